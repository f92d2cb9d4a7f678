"""Accounts over REST: who is signed in, their tokens, and user accounts for site admins."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from api.rest.deps import PageDep, PrincipalDep, SessionDep
from api.rest.responses import NOT_FOUND, WRITE
from api.services import users
from schema.accounts import (
    MePublic,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from schema.public import Page

router = APIRouter(tags=["accounts"])

SIGNED_IN: dict[int | str, dict[str, Any]] = {401: WRITE[401]}
Username = Annotated[str, Path(max_length=80, description="The user's handle.")]


@router.get(
    "/me",
    response_model=MePublic,
    summary="Who am I",
    operation_id="get_me",
    responses=SIGNED_IN,
)
def get_me(*, session: SessionDep, principal: PrincipalDep) -> MePublic:
    """The user the API token belongs to, with their role in each coalition; 401 without a token."""
    return users.me(session=session, principal=principal)


@router.get(
    "/me/tokens",
    response_model=Page[TokenPublic],
    summary="List my API tokens",
    operation_id="list_my_tokens",
    responses=SIGNED_IN,
)
def list_my_tokens(*, session: SessionDep, principal: PrincipalDep, page: PageDep) -> Page[TokenPublic]:
    """Your tokens, newest first, with revoked and expired ones; secrets are never shown again."""
    return users.get_tokens(session=session, principal=principal, page=page)


@router.post(
    "/me/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token",
    operation_id="create_my_token",
    responses=WRITE,
)
def create_my_token(*, session: SessionDep, principal: PrincipalDep, data: TokenCreate) -> TokenIssued:
    """A new token for you. The secret is in `token` in this answer only: store it now."""
    return users.create_token(session=session, principal=principal, data=data)


@router.delete(
    "/me/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API token",
    operation_id="revoke_my_token",
    responses=WRITE,
)
def revoke_my_token(
    *,
    session: SessionDep,
    principal: PrincipalDep,
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    """Revoke one of your tokens at once; revoking twice is harmless. Someone else's token is a 404."""
    users.delete_token(session=session, principal=principal, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    operation_id="create_user",
    responses=WRITE,
)
def create_user(
    *, session: SessionDep, principal: PrincipalDep, data: UserCreate, response: Response
) -> UserPublic:
    """A new account (site admins). Give it tokens with `demands token create`, roles through members."""
    created = users.create_user(session=session, principal=principal, data=data)
    response.headers["Location"] = f"/api/v1/users/{created.username}"
    return created


@router.get(
    "/users/{username}",
    response_model=UserPublic,
    summary="Get a user",
    operation_id="get_user",
    responses={**SIGNED_IN, 403: WRITE[403], **NOT_FOUND},
)
def get_user(*, session: SessionDep, principal: PrincipalDep, username: Username) -> UserPublic:
    """One account: site admins read anyone's, users their own."""
    return users.get(session=session, principal=principal, username=username)


@router.patch(
    "/users/{username}",
    response_model=UserPublic,
    summary="Update a user",
    operation_id="update_user",
    responses=WRITE,
)
def update_user(
    *, session: SessionDep, principal: PrincipalDep, username: Username, data: UserUpdate
) -> UserPublic:
    """Change an account. Users may change their own display name; site admins may also deactivate
    (the account stays, history keeps naming it, its tokens stop working) or promote it."""
    return users.update(session=session, principal=principal, username=username, data=data)
