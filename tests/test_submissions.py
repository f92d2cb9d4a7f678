"""The crowd-sourced checklist: anyone proposes, moderators decide, the catalog grows with its history."""

from typing import Any

import httpx
from sqlmodel import Session

from schema.enums import CoalitionRole
from tests.campaign_helpers import record_campaign
from tests.factories import OTHER, OWN, auth_headers

STRATEGY = {
    "kind": "strategy",
    "title": "Talleres de Conozca sus derechos con el sindicato",
    "body": "Organizamos talleres mensuales con el sindicato local para los trabajadores del turno de noche.",
    "category": "labor",
    "jurisdiction": "los-angeles-county",
    "language": "es",
    "submitter_name": "Ana",
    "submitter_contact": "ana-contact-detail",
}
QUEUE = "/api/v1/moderation/submissions"


def submit(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/submissions", json={**STRATEGY, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def moderator(session: Session, name: str | None = None) -> dict[str, str]:
    return auth_headers(session, roles={OWN: CoalitionRole.MODERATOR}, username=name)


def test_a_spanish_strategy_becomes_a_bilingual_checklist_item(
    client: httpx.Client, session: Session
) -> None:
    proposal = submit(client)
    assert proposal["status"] == "pending"
    assert "submitter_contact" not in proposal
    assert "submitter_name" not in proposal
    assert client.get(f"/api/v1/submissions/{proposal['id']}").json()["title"] == STRATEGY["title"]

    rosa = moderator(session, "rosa")
    queue = client.get(QUEUE, headers=rosa).json()
    (item,) = [s for s in queue["data"] if s["id"] == proposal["id"]]
    assert item["submitter_contact"] == "ana-contact-detail"

    claimed = client.post(f"{QUEUE}/{proposal['id']}/claim", headers=rosa)
    assert claimed.json()["claimed_by"] == "rosa"
    other = moderator(session)
    busy = client.post(f"{QUEUE}/{proposal['id']}/accept", json={"title": "x" * 5}, headers=other)
    assert busy.status_code == 409
    assert "rosa" in busy.json()["detail"]

    untranslated = client.post(f"{QUEUE}/{proposal['id']}/accept", json={}, headers=rosa)
    assert untranslated.status_code == 422
    assert "English" in untranslated.json()["detail"]
    accepted = client.post(
        f"{QUEUE}/{proposal['id']}/accept",
        json={"title": "Hold know-your-rights workshops with the union", "note": "Thank you!"},
        headers=rosa,
    )
    assert accepted.status_code == 200, accepted.text
    result = accepted.json()
    assert (result["status"], result["resolution"]) == ("accepted", "created")
    slug = result["demand"]

    english = client.get(f"/api/v1/demands/{slug}").json()
    assert english["title"] == "Hold know-your-rights workshops with the union"
    assert english["provenance"] == "submission"
    assert english["category"] == "labor"
    spanish = client.get(f"/api/v1/demands/{slug}", params={"lang": "es"})
    assert spanish.headers["content-language"] == "es"
    assert spanish.json()["title"] == STRATEGY["title"]
    assert spanish.json()["language"] == "es"
    listed = client.get("/api/v1/demands", params={"category": "labor"}).json()
    assert slug in [d["slug"] for d in listed["data"]]

    history = client.get(f"/api/v1/demands/{slug}/history").json()["data"]
    assert history[0]["submission"] == proposal["id"]
    assert history[0]["changed_by"] == "rosa"
    public = client.get(f"/api/v1/submissions/{proposal['id']}")
    assert public.json()["moderation_note"] == "Thank you!"
    assert "ana-contact-detail" not in public.text


def test_rejections_say_why_and_are_kept(client: httpx.Client, session: Session) -> None:
    proposal = submit(
        client, language="en", title="Ask the mayor for a hotline", body="A city hotline for raids."
    )
    mod = moderator(session)
    silent = client.post(f"{QUEUE}/{proposal['id']}/reject", json={}, headers=mod)
    assert silent.status_code == 422
    rejected = client.post(
        f"{QUEUE}/{proposal['id']}/reject", json={"reason": "Covered by rapid response."}, headers=mod
    )
    assert rejected.json()["status"] == "rejected"
    assert (
        client.get(f"/api/v1/submissions/{proposal['id']}").json()["moderation_note"]
        == "Covered by rapid response."
    )
    again = client.post(f"{QUEUE}/{proposal['id']}/accept", json={}, headers=mod)
    assert again.status_code == 409
    merged_one = submit(
        client, language="en", title="Sanctuary union please", body="Our local should adopt it."
    )
    merged = client.post(f"{QUEUE}/{merged_one['id']}/merge", json={"demand": "sanctuary-union"}, headers=mod)
    assert (merged.json()["resolution"], merged.json()["demand"]) == ("merged", "sanctuary-union")


def test_refusals_are_clear(client: httpx.Client) -> None:
    first = submit(client)
    duplicate = client.post(
        "/api/v1/submissions", json={**STRATEGY, "title": STRATEGY["title"].upper() + "!"}
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["existing_submission"] == first["id"]
    a_number = client.post(
        "/api/v1/submissions", json={**STRATEGY, "body": "Detained worker A 123 456 789 needs help."}
    )
    assert a_number.status_code == 422
    assert a_number.json()["errors"][0]["type"] == "a_number"
    too_long = client.post("/api/v1/submissions", json={**STRATEGY, "body": "x" * 20_000})
    assert too_long.status_code == 422
    for number in range(4):
        submit(client, title=f"Proposal number {number}", body=f"Body of proposal number {number} here.")
    limited = client.post(
        "/api/v1/submissions", json={**STRATEGY, "title": "One too many", "body": "Another body text."}
    )
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3600"
    assert limited.json()["code"] == "rate_limited"


def test_only_the_checklist_moderators_moderate(client: httpx.Client, session: Session) -> None:
    proposal = submit(client)
    assert client.get(QUEUE).status_code == 401
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    assert client.get(QUEUE, headers=organizer).status_code == 403
    elsewhere = auth_headers(session, roles={OTHER: CoalitionRole.MODERATOR})
    assert client.post(f"{QUEUE}/{proposal['id']}/claim", headers=elsewhere).status_code == 403


def test_a_submitters_contact_can_be_purged(client: httpx.Client, session: Session) -> None:
    proposal = submit(client)
    mod = moderator(session)
    purged = client.post(f"{QUEUE}/{proposal['id']}/purge-contact", headers=mod).json()
    assert purged["submitter_contact"] is None
    assert purged["submitter_name"] is None
    assert purged["contact_purged"] is True
    admin = auth_headers(session, site_admin=True)
    audit = client.get("/api/v1/audit", params={"entity_type": "submission"}, headers=admin)
    assert "ana-contact-detail" not in audit.text


def test_language_negotiation_falls_back_to_english(client: httpx.Client) -> None:
    preferred = client.get("/api/v1/categories/labor", headers={"Accept-Language": "ko, es;q=0.8, en;q=0.5"})
    assert preferred.headers["content-language"] == "es"
    assert preferred.json()["name"] != "Labor"
    assert preferred.json()["translation_needs_review"] is True
    unknown = client.get("/api/v1/categories/labor", headers={"Accept-Language": "fr"})
    assert unknown.headers["content-language"] == "en"
    assert unknown.json()["name"] == "Labor"
    override = client.get(
        "/api/v1/categories/labor", params={"lang": "en"}, headers={"Accept-Language": "es"}
    )
    assert override.json()["name"] == "Labor"
    demand = client.get("/api/v1/demands/consulate-direct-defense", params={"lang": "es-MX"}).json()
    assert demand["language"] == "es"
    assert all(example["language"] == "es" for example in demand["examples"])


def test_a_renamed_and_retired_demand_keeps_its_history_and_campaigns(
    client: httpx.Client, session: Session
) -> None:
    admin = auth_headers(session, site_admin=True, username="editor")
    organizer = auth_headers(session, roles={OWN: CoalitionRole.ORGANIZER})
    campaign = record_campaign(client, organizer, demand="kyr-messaging")
    version = client.get("/api/v1/demands/kyr-messaging").json()["version"]
    renamed = client.patch(
        "/api/v1/demands/kyr-messaging",
        json={"title": "Share know-your-rights messages"},
        headers={**admin, "If-Match": f'"{version}"'},
    )
    assert renamed.status_code == 200, renamed.text
    history = client.get("/api/v1/demands/kyr-messaging/history").json()["data"]
    assert [h["changed_by"] for h in history] == [None, "editor"]
    assert history[-1]["title"] == "Share know-your-rights messages"
    assert history[0]["title"] != history[-1]["title"]
    retired = client.post("/api/v1/demands/kyr-messaging/retire", headers=admin)
    assert retired.json()["retired_at"] is not None
    listed = client.get("/api/v1/demands", params={"category": "elected-officials"}).json()
    assert "kyr-messaging" not in [d["slug"] for d in listed["data"]]
    with_retired = client.get(
        "/api/v1/demands", params={"category": "elected-officials", "include_retired": True}
    )
    assert "kyr-messaging" in [d["slug"] for d in with_retired.json()["data"]]
    assert (
        client.get(f"/api/v1/campaigns/{campaign['id']}", headers=organizer).json()["demand"]
        == "kyr-messaging"
    )
    assert len(client.get("/api/v1/demands/kyr-messaging/history").json()["data"]) == 3
    assert client.post("/api/v1/demands/kyr-messaging/restore", headers=admin).json()["retired_at"] is None
