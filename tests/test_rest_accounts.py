"""Who is signed in, their tokens, and user accounts over REST."""

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.factories import OTHER, OWN, auth_headers

PROBLEM = "application/problem+json"


def test_me_names_the_user_and_their_roles(client: httpx.Client, session: Session) -> None:
    headers = auth_headers(
        session,
        roles={OWN: CoalitionRole.MODERATOR, OTHER: CoalitionRole.VIEWER},
        username="me-reader",
    )
    body = client.get("/api/v1/me", headers=headers).json()
    assert body == {
        "username": "me-reader",
        "display_name": "me-reader",
        "is_site_admin": False,
        "memberships": [
            {"coalition": OTHER, "role": "viewer"},
            {"coalition": OWN, "role": "moderator"},
        ],
    }


def test_me_needs_a_token(client: httpx.Client) -> None:
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    assert anonymous.json()["code"] == "authentication_required"
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer dtk_nope"})
    assert bad.status_code == 401


def test_tokens_are_shown_once_listed_without_secrets_and_revoked(
    client: httpx.Client, session: Session
) -> None:
    headers = auth_headers(session)
    created = client.post(
        "/api/v1/me/tokens", headers=headers, json={"name": "dashboard", "expires_in_days": 30}
    )
    assert created.status_code == 201
    issued = created.json()
    secret = issued["token"]
    assert secret.startswith("dtk_")
    assert secret.startswith(issued["prefix"])
    assert issued["expires_at"] is not None
    assert issued["revoked_at"] is None

    new_headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=new_headers).status_code == 200

    listed = client.get("/api/v1/me/tokens", headers=headers).json()
    assert listed["count"] == 2
    assert [t["name"] for t in listed["data"]] == ["dashboard", "tests"]
    assert all("token" not in t and "token_hash" not in t for t in listed["data"])
    assert secret not in client.get("/api/v1/me/tokens", headers=headers).text

    assert client.delete(f"/api/v1/me/tokens/{issued['id']}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/me/tokens/{issued['id']}", headers=headers).status_code == 204
    refused = client.get("/api/v1/me", headers=new_headers)
    assert refused.status_code == 401
    revoked = client.get("/api/v1/me/tokens", headers=headers).json()["data"][0]
    assert revoked["revoked_at"] is not None


def test_someone_elses_token_cannot_be_revoked(client: httpx.Client, session: Session) -> None:
    mine = auth_headers(session)
    theirs = auth_headers(session)
    their_id = client.get("/api/v1/me/tokens", headers=theirs).json()["data"][0]["id"]
    refused = client.delete(f"/api/v1/me/tokens/{their_id}", headers=mine)
    assert refused.status_code == 404
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    assert client.delete("/api/v1/me/tokens/99999999999", headers=mine).status_code == 422


def test_token_payloads_are_checked(client: httpx.Client, session: Session) -> None:
    headers = auth_headers(session)
    for payload in ({"name": ""}, {"name": "x", "expires_in_days": 0}, {"name": "x", "secret": "y"}):
        response = client.post("/api/v1/me/tokens", headers=headers, json=payload)
        assert response.status_code == 422, payload
    assert client.post("/api/v1/me/tokens", json={"name": "x"}).status_code == 401


def test_site_admins_create_users_others_may_not(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    created = client.post(
        "/api/v1/users", headers=admin, json={"username": "new-organizer", "display_name": "New Organizer"}
    )
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/users/new-organizer"
    assert created.json()["is_active"] is True
    assert created.json()["is_site_admin"] is False
    taken = client.post("/api/v1/users", headers=admin, json={"username": "new-organizer"})
    assert taken.status_code == 409
    assert "new-organizer" in taken.json()["detail"]
    email = client.post("/api/v1/users", headers=admin, json={"username": "someone@example.org"})
    assert email.status_code == 422

    organizer = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    assert client.post("/api/v1/users", headers=organizer, json={"username": "nope-user"}).status_code == 403
    assert client.post("/api/v1/users", json={"username": "nope-user"}).status_code == 401


def test_users_read_and_rename_themselves_only(client: httpx.Client, session: Session) -> None:
    own = auth_headers(session, username="self-reader")
    auth_headers(session, username="someone-else")
    assert client.get("/api/v1/users/self-reader", headers=own).json()["username"] == "self-reader"
    assert client.get("/api/v1/users/someone-else", headers=own).status_code == 403
    assert client.get("/api/v1/users/self-reader").status_code == 401

    renamed = client.patch("/api/v1/users/self-reader", headers=own, json={"display_name": "Self R."})
    assert renamed.status_code == 200
    assert renamed.json()["display_name"] == "Self R."
    promote = client.patch("/api/v1/users/self-reader", headers=own, json={"is_site_admin": True})
    assert promote.status_code == 403
    other = client.patch("/api/v1/users/someone-else", headers=own, json={"display_name": "X"})
    assert other.status_code == 403


def test_deactivating_keeps_the_account_and_stops_its_tokens(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    user = auth_headers(session, username="leaving-organizer")
    assert client.get("/api/v1/me", headers=user).status_code == 200
    response = client.patch("/api/v1/users/leaving-organizer", headers=admin, json={"is_active": False})
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=user).status_code == 401
    assert client.get("/api/v1/users/leaving-organizer", headers=admin).json()["is_active"] is False
    assert (
        client.patch("/api/v1/users/leaving-organizer", headers=admin, json={"is_active": None}).status_code
        == 422
    )
    assert client.get("/api/v1/users/nobody-here", headers=admin).status_code == 404


def test_account_writes_are_audited_without_secrets(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True, username="audit-admin")
    created = client.post("/api/v1/me/tokens", headers=admin, json={"name": "audited"}).json()
    client.post("/api/v1/users", headers=admin, json={"username": "audited-user"})
    log = client.get("/api/v1/audit", headers=admin, params={"actor": "audit-admin"}).json()
    kinds = [(e["entity_type"], e["action"]) for e in log["data"]]
    assert kinds == [("user", "create"), ("api_token", "create")]
    token_entry = log["data"][1]
    assert token_entry["entity_key"] == str(created["id"])
    text = str(log)
    assert created["token"] not in text
    assert created["prefix"] not in text


def test_the_last_admin_of_a_coalition_cannot_be_deactivated(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN}, username="only-admin")
    refused = client.patch("/api/v1/users/only-admin", json={"is_active": False}, headers=admin)
    assert refused.status_code == 409
    assert OWN in refused.json()["detail"]
    auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN}, username="second-admin")
    assert (
        client.patch("/api/v1/users/only-admin", json={"is_active": False}, headers=admin).status_code == 200
    )
    # Now the second is the last active one.
    assert (
        client.patch("/api/v1/users/second-admin", json={"is_active": False}, headers=admin).status_code
        == 409
    )
