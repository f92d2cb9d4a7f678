"""Recording campaigns through the API, as an organizer would."""

from typing import Any

import httpx

from tests.factories import OWN

# Ten leaf demands of the elected-officials category, for tests that need many campaigns.
LEAVES = [
    "rapid-response-network",
    "raid-scene-presence",
    "document-raids",
    "consulate-point-of-contact",
    "consulate-detainee-info",
    "share-info-with-families",
    "post-raid-press-statement",
    "kyr-messaging",
    "employer-info",
    "agency-trainings-memos",
]

DEFAULT_CAMPAIGN = {
    "coalition": OWN,
    "demand": "rapid-response-network",
    "target": "los-angeles-city-council",
}


def record_campaign(client: httpx.Client, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """POST a campaign and return its body, failing loudly if the API refused it."""
    response = client.post("/api/v1/campaigns", json={**DEFAULT_CAMPAIGN, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def move(
    client: httpx.Client, headers: dict[str, str], campaign_id: int, status: str, **fields: Any
) -> httpx.Response:
    return client.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": status, **fields}, headers=headers
    )
