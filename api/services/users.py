"""User accounts and their API tokens: created by site admins or the CLI, deactivated rather than deleted."""

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from api.services import audit, tokens
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from schema import ApiToken, Coalition, CoalitionMember, UserAccount
from schema.accounts import (
    MembershipPublic,
    MePublic,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from schema.enums import AuditAction, CoalitionRole
from schema.public import Page

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")

# Changes made from the command line are audited with no actor.
COMMAND_LINE = Principal()


def get_by_username(*, session: Session, username: str) -> UserAccount:
    user = session.exec(select(UserAccount).where(col(UserAccount.username) == username)).first()
    if user is None:
        raise NotFound(f"No user has the username {username!r}.")
    return user


def create(
    *,
    session: Session,
    username: str,
    display_name: str | None = None,
    is_site_admin: bool = False,
    actor: Principal = COMMAND_LINE,
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
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"The username {username!r} is taken.") from exc
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.CREATE,
        entity_type="user",
        entity_key=username,
        after=audit.snapshot(user),
    )
    return user


def public(user: UserAccount) -> UserPublic:
    return UserPublic.model_validate(user)


def create_user(*, session: Session, principal: Principal, data: UserCreate) -> UserPublic:
    """A new account, made by a site admin."""
    authorize(principal, Action.MANAGE_USERS)
    return public(
        create(
            session=session,
            username=data.username,
            display_name=data.display_name,
            is_site_admin=data.is_site_admin,
            actor=principal,
        )
    )


def _may_see(principal: Principal, username: str) -> None:
    if principal.is_anonymous:
        raise Unauthorized("Sign in with an API token to read user accounts.")
    if not principal.is_site_admin and principal.username != username:
        raise Forbidden("Only site admins may read other people's accounts.")


def get(*, session: Session, principal: Principal, username: str) -> UserPublic:
    """One account: site admins read any, users read their own."""
    _may_see(principal, username)
    return public(get_by_username(session=session, username=username))


def update(*, session: Session, principal: Principal, username: str, data: UserUpdate) -> UserPublic:
    """Change an account: users rename themselves; site admins also (de)activate and (un)promote."""
    _may_see(principal, username)
    changes: dict[str, Any] = data.changes()
    if not principal.is_site_admin and set(changes) - {"display_name"}:
        raise Forbidden("Only site admins may activate, deactivate or promote accounts.")
    for field, value in changes.items():
        if value is None:
            raise Invalid(f"`{field}` cannot be null.")
    user = get_by_username(session=session, username=username)
    if changes.get("is_active") is False and user.is_active:
        _refuse_orphaning_coalitions(session, user)
    before = audit.snapshot(user)
    for field, value in changes.items():
        setattr(user, field, value)
    session.flush()
    after = audit.snapshot(user)
    if after != before:
        audit.record(
            session=session,
            actor=principal,
            action=AuditAction.UPDATE,
            entity_type="user",
            entity_key=username,
            before=before,
            after=after,
        )
    return public(user)


def _refuse_orphaning_coalitions(session: Session, user: UserAccount) -> None:
    """Deactivating a coalition's last active admin would leave it unmanageable, as removing them would."""
    other = aliased(CoalitionMember)
    other_user = aliased(UserAccount)
    has_other_admin = (
        sa_select(col(other.user_id))
        .join(other_user, col(other_user.id) == col(other.user_id))
        .where(
            col(other.coalition_id) == col(CoalitionMember.coalition_id),
            col(other.role) == CoalitionRole.COALITION_ADMIN,
            col(other.user_id) != user.id,
            col(other_user.is_active).is_(True),
        )
        .exists()
    )
    orphaned = list(
        session.execute(
            sa_select(col(Coalition.slug))
            .join(CoalitionMember, col(CoalitionMember.coalition_id) == col(Coalition.id))
            .where(
                col(CoalitionMember.user_id) == user.id,
                col(CoalitionMember.role) == CoalitionRole.COALITION_ADMIN,
                ~has_other_admin,
            )
            .order_by(col(Coalition.slug))
        ).scalars()
    )
    if orphaned:
        raise Conflict(
            f"{user.username!r} is the last active coalition_admin of {', '.join(orphaned)}; "
            "make someone else coalition_admin there first.",
        )


def _signed_in(session: Session, principal: Principal) -> UserAccount:
    if principal.is_anonymous:
        raise Unauthorized("Sign in with an API token: send `Authorization: Bearer <token>`.")
    user = session.get(UserAccount, principal.user_id)
    if user is None:
        raise Unauthorized("The account behind this token no longer exists.")
    return user


def me(*, session: Session, principal: Principal) -> MePublic:
    """The signed-in user and their coalition roles."""
    user = _signed_in(session, principal)
    memberships = [
        MembershipPublic(coalition=slug, role=role)
        for slug, role in session.execute(
            sa_select(col(Coalition.slug), col(CoalitionMember.role))
            .join(CoalitionMember, col(CoalitionMember.coalition_id) == col(Coalition.id))
            .where(col(CoalitionMember.user_id) == user.id)
            .order_by(col(Coalition.slug))
        )
    ]
    return MePublic(
        username=user.username,
        display_name=user.display_name,
        is_site_admin=user.is_site_admin,
        memberships=memberships,
    )


# API tokens.


def token_public(token: ApiToken) -> TokenPublic:
    return TokenPublic.model_validate(token)


def _token_summary(token: ApiToken, username: str) -> dict[str, Any]:
    # Never the secret or its hash: the log is read by more people than the token's owner.
    return {
        "username": username,
        "name": token.name,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


def issue_token(
    *, session: Session, user: UserAccount, name: str, expires_in_days: int | None, actor: Principal
) -> TokenIssued:
    """A new token for `user`, audited; the secret is in the answer and nowhere else."""
    issued = tokens.issue(
        session=session,
        user=user,
        name=name,
        expires_in=timedelta(days=expires_in_days) if expires_in_days is not None else None,
    )
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.CREATE,
        entity_type="api_token",
        entity_key=issued.token.id or 0,
        after=_token_summary(issued.token, user.username),
    )
    return TokenIssued(**token_public(issued.token).model_dump(), token=issued.secret)


def revoke_token(
    *, session: Session, token_id: int, actor: Principal, user: UserAccount | None = None
) -> ApiToken:
    """Revoke a token (only `user`'s, if given), audited the first time."""
    if not 1 <= token_id <= 2**31 - 1:
        raise NotFound(f"No token has the id {token_id}.")
    already = session.get(ApiToken, token_id)
    was_revoked = already is not None and already.revoked_at is not None
    token = tokens.revoke(session=session, token_id=token_id, user=user)
    if not was_revoked:
        owner = user or session.get(UserAccount, token.user_id)
        audit.record(
            session=session,
            actor=actor,
            action=AuditAction.UPDATE,
            entity_type="api_token",
            entity_key=token_id,
            before={"revoked_at": None},
            after={
                "username": owner.username if owner else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            },
        )
    return token


def get_tokens(*, session: Session, principal: Principal, page: PageRequest) -> Page[TokenPublic]:
    """The signed-in user's tokens, newest first, revoked and expired ones included."""
    if principal.is_anonymous:
        raise Unauthorized("Sign in with an API token: send `Authorization: Bearer <token>`.")
    statement = tokens.listing(user_id=principal.user_id)

    def build(rows: Sequence[Row[ApiToken]]) -> list[TokenPublic]:
        return [token_public(token) for (token,) in rows]

    return paginate(session=session, statement=statement, page=page, build=build)


def create_token(*, session: Session, principal: Principal, data: TokenCreate) -> TokenIssued:
    """A new token for the signed-in user."""
    user = _signed_in(session, principal)
    return issue_token(
        session=session, user=user, name=data.name, expires_in_days=data.expires_in_days, actor=principal
    )


def delete_token(*, session: Session, principal: Principal, token_id: int) -> None:
    """Revoke one of the signed-in user's tokens; someone else's is answered 404."""
    user = _signed_in(session, principal)
    revoke_token(session=session, token_id=token_id, actor=principal, user=user)
