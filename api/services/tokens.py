"""API tokens: random secrets shown once, kept only as SHA-256, expiring and revocable."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlmodel import Session, col

from api.errors import Invalid, NotFound, Unauthorized
from api.services.permissions import Principal
from schema import ApiToken, CoalitionMember, UserAccount
from schema.base import utcnow
from schema.enums import CoalitionRole

# Recognizable in logs and secret scanners; the rest is 256 random bits.
TOKEN_PREFIX = "dtk_"
SHOWN_PREFIX_LENGTH = 12


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The only time the secret exists outside the caller's hands.
    secret: str


def _digest(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe; a slow one would only slow every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    *, session: Session, user: UserAccount, name: str, expires_in: timedelta | None = None
) -> IssuedToken:
    """A new token for `user`; the secret is returned once and never stored."""
    if not user.is_active:
        raise Invalid(f"User {user.username!r} is deactivated; activate the account before issuing tokens.")
    if expires_in is not None and expires_in <= timedelta(0):
        raise Invalid("A token must expire in the future.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        token_hash=_digest(secret),
        expires_at=utcnow() + expires_in if expires_in is not None else None,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def listing(*, user_id: int | None) -> Select[ApiToken]:
    """A user's tokens, newest first, revoked and expired ones included."""
    return (
        select(ApiToken)
        .where(col(ApiToken.user_id) == user_id)
        .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
    )


def get_all(*, session: Session, user: UserAccount) -> list[ApiToken]:
    return list(session.execute(listing(user_id=user.id)).scalars())


def revoke(*, session: Session, token_id: int, user: UserAccount | None = None) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    token = session.get(ApiToken, token_id)
    if token is None or (user is not None and token.user_id != user.id):
        raise NotFound(f"No token has the id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def is_usable(token: ApiToken, *, now: datetime) -> bool:
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def authenticate(*, session: Session, secret: str) -> Principal:
    """The principal a bearer secret stands for, with its coalition roles; two queries."""
    refusal = Unauthorized("The API token is unknown, expired or revoked.")
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise refusal
    row = session.execute(
        select(ApiToken, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(ApiToken.user_id))
        .where(col(ApiToken.token_hash) == _digest(secret))
    ).first()
    if row is None:
        raise refusal
    token, user = row
    if not is_usable(token, now=utcnow()) or not user.is_active:
        raise refusal
    return principal_of(session=session, user=user)


def principal_of(*, session: Session, user: UserAccount) -> Principal:
    """What `user` may do: site-admin status and coalition roles, as a token of theirs carries (one query)."""
    roles: dict[int, CoalitionRole] = dict(
        session.execute(
            select(col(CoalitionMember.coalition_id), col(CoalitionMember.role)).where(
                col(CoalitionMember.user_id) == user.id
            )
        ).all()
    )
    return Principal(user_id=user.id, username=user.username, is_site_admin=user.is_site_admin, roles=roles)
