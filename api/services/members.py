"""People in a coalition and their roles; a coalition always keeps an active admin."""

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from api.errors import Conflict, Forbidden, NotFound, Unauthorized
from api.services import audit, coalitions, users
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.writes import flush_or_conflict
from schema import Coalition, CoalitionMember, UserAccount
from schema.accounts import MemberCreate, MemberPublic, MemberUpdate
from schema.enums import AuditAction, CoalitionRole
from schema.public import Page

ENTITY = "coalition_member"


def _listing() -> Select[CoalitionMember, UserAccount]:
    return (
        select(CoalitionMember, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(CoalitionMember.user_id))
        .order_by(col(UserAccount.username), col(UserAccount.id))
    )


def _public(member: CoalitionMember, user: UserAccount) -> MemberPublic:
    return MemberPublic(
        username=user.username, display_name=user.display_name, role=member.role, created_at=member.created_at
    )


def _build(rows: Sequence[Row[CoalitionMember, UserAccount]]) -> list[MemberPublic]:
    return [_public(member, user) for member, user in rows]


def get_all(*, session: Session, principal: Principal, slug: str, page: PageRequest) -> Page[MemberPublic]:
    """The coalition's people, by username: readable by its members (any role) and site admins."""
    coalition = coalitions.row(session=session, slug=slug)
    if principal.is_anonymous:
        raise Unauthorized("Only signed-in members of a coalition may list its members.")
    if not principal.can_read_private(coalition.id or 0):
        raise Forbidden(f"Only members of the coalition {slug!r} and site admins may list its members.")
    statement = _listing().where(col(CoalitionMember.coalition_id) == coalition.id)
    return paginate(session=session, statement=statement, page=page, build=_build)


def _member(session: Session, coalition: Coalition, username: str) -> tuple[CoalitionMember, UserAccount]:
    found = session.execute(
        _listing().where(
            col(CoalitionMember.coalition_id) == coalition.id, col(UserAccount.username) == username
        )
    ).first()
    if found is None:
        raise NotFound(f"{username!r} is not a member of the coalition {coalition.slug!r}.")
    return found[0], found[1]


def _key(coalition: Coalition, username: str) -> str:
    return f"{coalition.slug}/{username}"


def _keep_an_admin(session: Session, coalition: Coalition, member: CoalitionMember, doing: str) -> None:
    """Refuse to leave a coalition without an active admin: nobody but site admins could manage it."""
    if member.role != CoalitionRole.COALITION_ADMIN:
        return
    # Lock the admin rows so two admins cannot demote each other at once (PostgreSQL; SQLite serializes writes).
    others = session.execute(
        select(col(CoalitionMember.user_id))
        .join(UserAccount, col(UserAccount.id) == col(CoalitionMember.user_id))
        .where(
            col(CoalitionMember.coalition_id) == coalition.id,
            col(CoalitionMember.role) == CoalitionRole.COALITION_ADMIN,
            col(CoalitionMember.user_id) != member.user_id,
            col(UserAccount.is_active).is_(True),
        )
        .with_for_update(of=CoalitionMember)
    ).all()
    if not others:
        raise Conflict(
            f"Cannot {doing} the last active coalition_admin of {coalition.slug!r}; "
            "make someone else coalition_admin first."
        )


def create(*, session: Session, principal: Principal, slug: str, data: MemberCreate) -> MemberPublic:
    """Give an existing user a role in the coalition (its admins)."""
    coalition = coalitions.row(session=session, slug=slug)
    authorize(principal, Action.MANAGE_MEMBERS, coalition_id=coalition.id)
    user = users.get_by_username(session=session, username=data.username)
    if session.get(CoalitionMember, (coalition.id, user.id)) is not None:
        raise Conflict(
            f"{data.username!r} is already a member of the coalition {slug!r}; change their role instead."
        )
    member = CoalitionMember(coalition_id=coalition.id or 0, user_id=user.id or 0, role=data.role)
    session.add(member)
    flush_or_conflict(session, f"{data.username!r} was added to {slug!r} concurrently.")
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.CREATE,
        entity_type=ENTITY,
        entity_key=_key(coalition, user.username),
        coalition_id=coalition.id,
        after={"coalition": slug, "username": user.username, "role": data.role.value},
    )
    return _public(member, user)


def update(
    *, session: Session, principal: Principal, slug: str, username: str, data: MemberUpdate
) -> MemberPublic:
    """Change a member's role (its admins); the last admin cannot be demoted."""
    coalition = coalitions.row(session=session, slug=slug)
    authorize(principal, Action.MANAGE_MEMBERS, coalition_id=coalition.id)
    member, user = _member(session, coalition, username)
    if member.role == data.role:
        return _public(member, user)
    if data.role != CoalitionRole.COALITION_ADMIN:
        _keep_an_admin(session, coalition, member, "demote")
    before = {"role": member.role.value}
    member.role = data.role
    session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.UPDATE,
        entity_type=ENTITY,
        entity_key=_key(coalition, username),
        coalition_id=coalition.id,
        before=before,
        after={"role": data.role.value},
    )
    return _public(member, user)


def delete(*, session: Session, principal: Principal, slug: str, username: str) -> None:
    """Remove someone from the coalition (its admins); the last admin cannot be removed."""
    coalition = coalitions.row(session=session, slug=slug)
    authorize(principal, Action.MANAGE_MEMBERS, coalition_id=coalition.id)
    member, _user = _member(session, coalition, username)
    _keep_an_admin(session, coalition, member, "remove")
    before = {"coalition": slug, "username": username, "role": member.role.value}
    session.delete(member)
    session.flush()
    audit.record(
        session=session,
        actor=principal,
        action=AuditAction.DELETE,
        entity_type=ENTITY,
        entity_key=_key(coalition, username),
        coalition_id=coalition.id,
        before=before,
    )


def add_by_cli(*, session: Session, slug: str, username: str, role: CoalitionRole) -> CoalitionRole | None:
    """Set a user's role from the command line (no permission check); returns the previous role, if any."""
    coalition = coalitions.row(session=session, slug=slug)
    user = users.get_by_username(session=session, username=username)
    member = session.get(CoalitionMember, (coalition.id, user.id))
    actor = Principal()
    if member is None:
        session.add(CoalitionMember(coalition_id=coalition.id or 0, user_id=user.id or 0, role=role))
        session.flush()
        audit.record(
            session=session,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type=ENTITY,
            entity_key=_key(coalition, username),
            coalition_id=coalition.id,
            after={"coalition": slug, "username": username, "role": role.value},
        )
        return None
    previous = member.role
    if previous != role:
        if role != CoalitionRole.COALITION_ADMIN:
            _keep_an_admin(session, coalition, member, "demote")
        member.role = role
        session.flush()
        audit.record(
            session=session,
            actor=actor,
            action=AuditAction.UPDATE,
            entity_type=ENTITY,
            entity_key=_key(coalition, username),
            coalition_id=coalition.id,
            before={"role": previous.value},
            after={"role": role.value},
        )
    return previous
