"""Small factories for test data: users with roles and tokens, written through the services."""

from itertools import count

from sqlalchemy import select
from sqlmodel import Session, col

from api.services import tokens, users
from schema import Coalition, CoalitionMember
from schema.enums import CoalitionRole

_serial = count(1)


def coalition_id(session: Session, slug: str) -> int:
    found = session.execute(select(col(Coalition.id)).where(col(Coalition.slug) == slug)).scalar_one()
    return int(found)


def auth_headers(
    session: Session,
    *,
    roles: dict[str, CoalitionRole] | None = None,
    site_admin: bool = False,
    username: str | None = None,
) -> dict[str, str]:
    """A new user with `roles` (coalition slug -> role) and a token; the headers that sign in as them."""
    user = users.create(
        session=session, username=username or f"user-{next(_serial)}", is_site_admin=site_admin
    )
    for slug, role in (roles or {}).items():
        session.add(CoalitionMember(coalition_id=coalition_id(session, slug), user_id=user.id, role=role))
    issued = tokens.issue(session=session, user=user, name="tests")
    session.flush()
    return {"Authorization": f"Bearer {issued.secret}"}


# The two seeded coalitions: tests act as members of one and outsiders to the other.
OWN = "immigrant-workplace-justice-coalition"
OTHER = "ice-out-of-la"
