"""People who act in the service; roles and tokens hang off this table."""

from sqlmodel import Field

from schema.base import IdMixin, TimestampMixin


class UserAccount(TimestampMixin, IdMixin, table=True):
    """An organizer, moderator or admin. Deactivated, never deleted, so history keeps its authors."""

    __tablename__ = "user_account"

    username: str = Field(max_length=80, unique=True)
    display_name: str = Field(max_length=200)
    is_site_admin: bool = Field(default=False)
    is_active: bool = Field(default=True)
