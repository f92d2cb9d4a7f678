"""User accounts: created by site admins or the CLI, deactivated rather than deleted."""

import re

from sqlmodel import Session, col, select

from api.errors import Conflict, Invalid, NotFound
from schema import UserAccount

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


def get_by_username(*, session: Session, username: str) -> UserAccount:
    user = session.exec(select(UserAccount).where(col(UserAccount.username) == username)).first()
    if user is None:
        raise NotFound(f"No user has the username {username!r}.")
    return user


def create(
    *, session: Session, username: str, display_name: str | None = None, is_site_admin: bool = False
) -> UserAccount:
    """A new active account; usernames are lower-case handles, not emails, and never reused."""
    if not USERNAME.match(username):
        raise Invalid(
            "A username is 2 to 80 lower-case letters, digits, dots, dashes or underscores "
            "(a handle, not an email address)."
        )
    exists = session.execute(select(col(UserAccount.id)).where(col(UserAccount.username) == username)).first()
    if exists is not None:
        raise Conflict(f"The username {username!r} is taken.")
    user = UserAccount(username=username, display_name=display_name or username, is_site_admin=is_site_admin)
    session.add(user)
    session.flush()
    return user
