"""People who act in the service, their roles in coalitions and their API tokens."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from schema.base import IdMixin, TimestampMixin, UTCDateTime, enum_column_type, utcnow
from schema.enums import CoalitionRole


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
