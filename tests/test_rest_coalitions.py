"""Coalitions, their member organizations, focus jurisdictions and people over REST."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from sqlmodel import Session, col, select

from schema import Campaign, Demand, Target
from schema.enums import CoalitionRole
from tests.factories import OTHER, OWN, auth_headers, coalition_id

PROBLEM = "application/problem+json"
BASE = "/api/v1/coalitions"


def test_coalitions_list_with_organizations_and_focus(client: httpx.Client) -> None:
    body = client.get(BASE).json()
    assert body["count"] == 2
    by_slug = {c["slug"]: c for c in body["data"]}
    own = by_slug[OWN]
    assert "advancing-justice-la" in own["organizations"]
    assert "wage-justice-center" in own["organizations"]
    assert own["focus"]
    assert by_slug[OTHER]["organizations"] == []
    assert client.get(BASE, params={"q": "ice out"}).json()["count"] == 1
    assert client.get(BASE, params={"q": "%"}).json()["count"] == 0
    naive = client.get(BASE, params={"updated_since": "2020-01-01T00:00:00"})
    assert naive.status_code == 422
    assert client.get(BASE, params={"updated_since": "2100-01-01T00:00:00Z"}).json()["count"] == 0


def test_coalition_lists_cost_the_same_whatever_the_page(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    costs = []
    for limit in (1, 500):
        with count_queries() as statements:
            assert client.get(BASE, params={"limit": limit}).status_code == 200
        costs.append(len(statements))
    # Page, total, member organizations, focus jurisdictions.
    assert costs == [4, 4]


def test_get_one_with_etag_and_a_clear_404(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/{OWN}")
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{response.json()["version"]}"'
    missing = client.get(f"{BASE}/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert "nope" in missing.json()["detail"]


def test_site_admins_create_and_delete_coalitions(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    payload = {"slug": "inland-empire-rapid-response", "name": "Inland Empire Rapid Response"}
    created = client.post(BASE, headers=admin, json=payload)
    assert created.status_code == 201
    assert created.headers["location"] == f"{BASE}/inland-empire-rapid-response"
    assert created.headers["etag"] == '"1"'
    assert created.json()["organizations"] == []
    assert created.json()["focus"] == []
    duplicate = client.post(BASE, headers=admin, json=payload)
    assert duplicate.status_code == 409
    assert "inland-empire-rapid-response" in duplicate.json()["detail"]
    assert client.post(BASE, headers=admin, json={"slug": "Bad Slug", "name": "x"}).status_code == 422

    coalition_admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    assert client.post(BASE, headers=coalition_admin, json={"slug": "x-y", "name": "x"}).status_code == 403
    assert client.post(BASE, json={"slug": "x-y", "name": "x"}).status_code == 401

    stale = client.delete(f"{BASE}/inland-empire-rapid-response", headers={**admin, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert client.delete(f"{BASE}/inland-empire-rapid-response", headers=admin).status_code == 204
    assert client.get(f"{BASE}/inland-empire-rapid-response").status_code == 404


def test_a_coalition_with_campaigns_is_not_deleted(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, site_admin=True)
    demand = session.exec(select(Demand).where(col(Demand.parent_id).is_not(None))).first()
    target = session.exec(select(Target)).first()
    assert demand is not None
    assert target is not None
    session.add(Campaign(coalition_id=coalition_id(session, OTHER), demand_id=demand.id, target_id=target.id))
    session.flush()
    refused = client.delete(f"{BASE}/{OTHER}", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["campaigns"] >= 1
    assert "campaign" in refused.json()["detail"]


def test_coalition_admins_edit_their_profile_with_versions(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    version = client.get(f"{BASE}/{OWN}").json()["version"]
    no_version = client.patch(f"{BASE}/{OWN}", headers=admin, json={"name": "IWJC"})
    assert no_version.status_code == 428
    updated = client.patch(
        f"{BASE}/{OWN}", headers={**admin, "If-Match": f'"{version}"'}, json={"name": "IWJC"}
    )
    assert updated.status_code == 200
    assert updated.json()["name"] == "IWJC"
    assert updated.headers["etag"] == f'"{version + 1}"'
    stale = client.patch(f"{BASE}/{OWN}", headers=admin, json={"name": "Again", "version": version})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == version + 1

    organizer = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    assert (
        client.patch(f"{BASE}/{OWN}", headers=organizer, json={"name": "x", "version": 2}).status_code == 403
    )
    assert client.patch(f"{BASE}/{OTHER}", headers=admin, json={"name": "x", "version": 1}).status_code == 403
    assert (
        client.patch(f"{BASE}/{OWN}", headers=admin, json={"slug": "renamed", "version": 2}).status_code
        == 422
    )


def test_member_organizations_are_added_idempotently_and_removed(
    client: httpx.Client, session: Session
) -> None:
    admin = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN})
    url = f"{BASE}/{OTHER}/organizations/kiwa"
    assert client.put(url, headers=admin).status_code == 201
    assert client.put(url, headers=admin).status_code == 204
    listed = client.get(f"{BASE}/{OTHER}/organizations").json()
    assert [o["slug"] for o in listed["data"]] == ["kiwa"]
    assert client.get(f"{BASE}/{OTHER}").json()["organizations"] == ["kiwa"]
    assert client.delete(url, headers=admin).status_code == 204
    assert client.delete(url, headers=admin).status_code == 404
    assert client.put(f"{BASE}/{OTHER}/organizations/nope", headers=admin).status_code == 404
    assert client.put(f"{BASE}/{OWN}/organizations/kiwa", headers=admin).status_code == 403
    assert client.put(url).status_code == 401


def test_focus_jurisdictions_accept_slugs_ids_and_ocd_ids(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN})
    state = client.get("/api/v1/jurisdictions/california").json()
    ocd = state["ocd_id"]
    assert client.put(f"{BASE}/{OTHER}/focus/{ocd}", headers=admin).status_code == 201
    assert client.put(f"{BASE}/{OTHER}/focus/california", headers=admin).status_code == 204
    focus = client.get(f"{BASE}/{OTHER}/focus").json()
    assert "california" in [j["slug"] for j in focus["data"]]
    assert client.delete(f"{BASE}/{OTHER}/focus/{ocd}", headers=admin).status_code == 204
    assert client.delete(f"{BASE}/{OTHER}/focus/california", headers=admin).status_code == 404
    assert client.put(f"{BASE}/{OTHER}/focus/atlantis", headers=admin).status_code == 404
    assert client.put(f"{BASE}/{OWN}/focus/california", headers=admin).status_code == 403


def test_members_are_private_to_the_coalition(client: httpx.Client, session: Session) -> None:
    viewer = auth_headers(session, roles={OWN: CoalitionRole.VIEWER}, username="own-viewer")
    outsider = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN})
    site_admin = auth_headers(session, site_admin=True)
    listed = client.get(f"{BASE}/{OWN}/members", headers=viewer)
    assert listed.status_code == 200
    assert {"username": "own-viewer", "display_name": "own-viewer", "role": "viewer"}.items() <= next(
        m for m in listed.json()["data"] if m["username"] == "own-viewer"
    ).items()
    assert "email" not in listed.text
    assert client.get(f"{BASE}/{OWN}/members", headers=site_admin).status_code == 200
    assert client.get(f"{BASE}/{OWN}/members", headers=outsider).status_code == 403
    assert client.get(f"{BASE}/{OWN}/members").status_code == 401
    assert client.get(f"{BASE}/nope/members", headers=viewer).status_code == 404


def test_members_list_costs_the_same_whatever_the_page(
    client: httpx.Client, session: Session, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    headers = auth_headers(session, site_admin=True)
    for n in range(3):
        auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER}, username=f"count-member-{n}")
    costs = []
    for limit in (1, 500):
        with count_queries() as statements:
            assert (
                client.get(f"{BASE}/{OWN}/members", headers=headers, params={"limit": limit}).status_code
                == 200
            )
        costs.append(len(statements))
    # Token and roles, the coalition, the page, the total.
    assert costs == [5, 5]


def test_coalition_admins_manage_members(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN}, username="own-admin")
    auth_headers(session, username="joining-organizer")
    url = f"{BASE}/{OWN}/members"
    added = client.post(url, headers=admin, json={"username": "joining-organizer", "role": "organizer"})
    assert added.status_code == 201
    assert added.headers["location"] == f"{url}/joining-organizer"
    assert added.json()["role"] == "organizer"
    again = client.post(url, headers=admin, json={"username": "joining-organizer", "role": "viewer"})
    assert again.status_code == 409
    unknown = client.post(url, headers=admin, json={"username": "ghost", "role": "viewer"})
    assert unknown.status_code == 404
    bad_role = client.post(url, headers=admin, json={"username": "joining-organizer", "role": "king"})
    assert bad_role.status_code == 422

    promoted = client.patch(f"{url}/joining-organizer", headers=admin, json={"role": "moderator"})
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "moderator"
    assert client.delete(f"{url}/joining-organizer", headers=admin).status_code == 204
    assert client.delete(f"{url}/joining-organizer", headers=admin).status_code == 404

    moderator = auth_headers(session, roles={OWN: CoalitionRole.MODERATOR})
    assert (
        client.post(url, headers=moderator, json={"username": "own-admin", "role": "viewer"}).status_code
        == 403
    )
    assert client.delete(f"{url}/own-admin", headers=moderator).status_code == 403


def test_the_last_coalition_admin_stays(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN}, username="only-admin")
    url = f"{BASE}/{OTHER}/members"
    demote = client.patch(f"{url}/only-admin", headers=admin, json={"role": "organizer"})
    assert demote.status_code == 409
    assert "last active coalition_admin" in demote.json()["detail"]
    assert client.delete(f"{url}/only-admin", headers=admin).status_code == 409

    auth_headers(session, username="second-admin")
    assert (
        client.post(
            url, headers=admin, json={"username": "second-admin", "role": "coalition_admin"}
        ).status_code
        == 201
    )
    assert client.patch(f"{url}/only-admin", headers=admin, json={"role": "organizer"}).status_code == 200
    # The caller's roles were read with their token, so the demoted admin is now refused.
    assert client.delete(f"{url}/second-admin", headers=admin).status_code == 403


def test_member_changes_are_audited_for_the_coalition(client: httpx.Client, session: Session) -> None:
    admin = auth_headers(session, roles={OTHER: CoalitionRole.COALITION_ADMIN}, username="auditing-admin")
    auth_headers(session, username="audited-member")
    url = f"{BASE}/{OTHER}/members"
    client.post(url, headers=admin, json={"username": "audited-member", "role": "viewer"})
    client.patch(f"{url}/audited-member", headers=admin, json={"role": "organizer"})
    client.delete(f"{url}/audited-member", headers=admin)
    log = client.get(
        "/api/v1/audit",
        headers=admin,
        params={"entity_type": "coalition_member", "entity_key": f"{OTHER}/audited-member"},
    ).json()
    assert [(e["action"], e["before"], e["after"]) for e in log["data"]] == [
        ("delete", {"coalition": OTHER, "username": "audited-member", "role": "organizer"}, None),
        ("update", {"role": "viewer"}, {"role": "organizer"}),
        ("create", None, {"coalition": OTHER, "username": "audited-member", "role": "viewer"}),
    ]
    assert {e["actor"] for e in log["data"]} == {"auditing-admin"}
    assert {e["coalition"] for e in log["data"]} == {OTHER}


def test_linking_organizations_and_focus_moves_the_coalition_version(
    client: httpx.Client, session: Session
) -> None:
    admin = auth_headers(session, roles={OWN: CoalitionRole.COALITION_ADMIN})
    url = f"/api/v1/coalitions/{OWN}"
    before = client.get(url)
    assert client.put(f"{url}/organizations/jobs-with-justice", headers=admin).status_code == 201
    assert client.put(f"{url}/focus/california", headers=admin).status_code == 201
    after = client.get(url)
    assert after.json()["version"] == before.json()["version"] + 2
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["updated_at"] > before.json()["updated_at"]
    # An edit made against the version read before the links changed is refused.
    stale = client.patch(url, json={"name": "Renamed"}, headers={**admin, "If-Match": before.headers["etag"]})
    assert stale.status_code == 412
