"""People who act in the service, their roles in coalitions and their API tokens."""

from datetime import datetime

from pydantic import ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, UTCDateTime, enum_column_type, utcnow
from schema.enums import CoalitionRole
from schema.inputs import InputModel
from schema.public import PublicModel


class UserAccount(TimestampMixin, IdMixin, table=True):
    """An organizer, moderator or admin. Deactivated, never deleted, so history keeps its authors."""

    __tablename__ = "user_account"

    username: str = Field(max_length=80, unique=True)
    display_name: str = Field(max_length=200)
    is_site_admin: bool = Field(default=False)
    is_active: bool = Field(default=True)


class CoalitionMember(TimestampMixin, SQLModel, table=True):
    """A user's role in one coalition; the role decides what they may read and write there."""

    __tablename__ = "coalition_member"

    coalition_id: int = Field(foreign_key="coalition.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True, index=True)
    role: CoalitionRole = Field(sa_type=enum_column_type(CoalitionRole, "role"))


class ApiToken(IdMixin, table=True):
    """A bearer token. Only its SHA-256 is kept: the secret is shown once, when it is issued."""

    __tablename__ = "api_token"

    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    # A label the owner chose ("laptop", "dashboard sync").
    name: str = Field(max_length=120)
    # The first characters of the secret, so a listed token can be recognized without revealing it.
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# Public shapes and payloads: usernames are the public keys; emails are never stored.

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,79}$"


class MemberPublic(PublicModel):
    """A person's role in one coalition."""

    username: str
    display_name: str
    role: CoalitionRole
    created_at: datetime = PydanticField(description="When they joined the coalition.")


class MemberCreate(InputModel):
    """Give an existing user a role in the coalition."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"username": "maria", "role": "organizer"}]})

    username: str = PydanticField(max_length=80)
    role: CoalitionRole


class MemberUpdate(InputModel):
    """The member's new role."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "moderator"}]})

    role: CoalitionRole


class MembershipPublic(PublicModel):
    """One coalition the signed-in user belongs to, and their role there."""

    coalition: str = PydanticField(description="Slug of the coalition.")
    role: CoalitionRole


class UserPublic(PublicModel):
    """A user account as site admins (and the user themself) see it."""

    username: str
    display_name: str
    is_site_admin: bool
    is_active: bool = PydanticField(
        description="Deactivated accounts keep their history; their tokens stop working."
    )
    created_at: datetime
    updated_at: datetime


class MePublic(PublicModel):
    """Who the API token in this request belongs to, and their coalition roles."""

    username: str
    display_name: str
    is_site_admin: bool
    memberships: list[MembershipPublic]


class UserCreate(InputModel):
    """A new account: a lower-case handle, never an email address."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"username": "maria", "display_name": "Maria G.", "is_site_admin": False}]
        }
    )

    username: str = PydanticField(pattern=USERNAME_PATTERN, max_length=80)
    display_name: str | None = PydanticField(default=None, min_length=1, max_length=200)
    is_site_admin: bool = False


class UserUpdate(InputModel):
    """Fields to change. Users may change their own display name; the rest is for site admins."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"display_name": "Maria G."}, {"is_active": False}]}
    )

    display_name: str | None = PydanticField(default=None, min_length=1, max_length=200)
    is_active: bool | None = None
    is_site_admin: bool | None = None


class TokenPublic(PublicModel):
    """An API token without its secret: the prefix is enough to recognize it."""

    id: int
    name: str
    prefix: str = PydanticField(description="The first characters of the secret.")
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenPublic):
    """A new token. `token` is the secret, shown this once and never again."""

    token: str = PydanticField(
        description="The secret to send as `Authorization: Bearer <token>`; shown once."
    )


class TokenCreate(InputModel):
    """A new token for the signed-in user."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "dashboard sync", "expires_in_days": 90}]}
    )

    name: str = PydanticField(min_length=1, max_length=120)
    expires_in_days: int | None = PydanticField(
        default=None, ge=1, le=3650, description="Days until the token stops working; none for no expiry."
    )
