"""The read-only REST slice over the seeded checklist."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx

PROBLEM = "application/problem+json"


def test_categories_follow_the_brief_with_leaf_counts(client: httpx.Client) -> None:
    response = client.get("/api/v1/categories")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert [c["slug"] for c in body["data"]] == [
        "elected-officials",
        "business",
        "labor",
        "attorney-general-and-police",
        "consulates",
        "community-foundations",
    ]
    counts = {c["slug"]: c["demand_count"] for c in body["data"]}
    assert counts == {
        "elected-officials": 24,
        "business": 2,
        "labor": 6,
        "attorney-general-and-police": 2,
        "consulates": 4,
        "community-foundations": 3,
    }


def test_get_one_category_and_a_clear_404(client: httpx.Client) -> None:
    assert client.get("/api/v1/categories/labor").json()["name"] == "Labor"
    missing = client.get("/api/v1/categories/astrology")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["code"] == "not_found"
    assert "astrology" in missing.json()["detail"]


def test_demands_show_groups_with_their_items_in_order(client: httpx.Client) -> None:
    body = client.get("/api/v1/demands").json()
    assert body["count"] == 50
    assert len(body["data"]) == 50
    by_slug = {d["slug"]: d for d in body["data"]}
    group = by_slug["be-present-at-raids"]
    assert group["is_group"] is True
    assert group["parent"] is None
    items = [by_slug[slug] for slug in group["children"]]
    assert items[0]["title"] == "Get connected to your community's rapid response network/s."
    assert all(i["parent"] == "be-present-at-raids" and not i["is_group"] for i in items)
    # Each group is followed directly by its items.
    slugs = [d["slug"] for d in body["data"]]
    start = slugs.index("be-present-at-raids")
    assert slugs[start + 1 : start + 1 + len(items)] == group["children"]


def test_demands_filter_by_category_and_group(client: httpx.Client) -> None:
    labor = client.get("/api/v1/demands", params={"category": "labor"}).json()
    assert labor["count"] == 6
    assert {d["category"] for d in labor["data"]} == {"labor"}
    items = client.get("/api/v1/demands", params={"group": "consulate-direct-defense"}).json()
    assert [d["title"] for d in items["data"]] == [
        "Be present at raids.",
        "Intervene via direct diplomacy.",
        "Liaise with elected officials.",
    ]
    unknown = client.get("/api/v1/demands", params={"category": "nope"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM


def test_demand_search_treats_wildcards_literally(client: httpx.Client) -> None:
    found = client.get("/api/v1/demands", params={"q": "laken riley"}).json()
    assert found["count"] == 2
    assert client.get("/api/v1/demands", params={"q": "%"}).json()["count"] == 0


def test_a_demand_carries_its_examples(client: httpx.Client) -> None:
    demand = client.get("/api/v1/demands/consulate-direct-defense").json()
    assert [e["jurisdiction"] for e in demand["examples"]] == [
        "new-york-city",
        "dallas",
        "city-of-chicago",
        "houston",
        "milwaukee",
    ]


def test_pages_are_stable_and_complete(client: httpx.Client) -> None:
    everything = [d["slug"] for d in client.get("/api/v1/demands").json()["data"]]
    paged: list[str] = []
    for offset in range(0, 50, 7):
        page = client.get("/api/v1/demands", params={"limit": 7, "offset": offset}).json()
        assert page["count"] == 50
        assert page["limit"] == 7
        paged.extend(d["slug"] for d in page["data"])
    assert paged == everything


def test_page_size_limits_are_refused_not_truncated(client: httpx.Client) -> None:
    too_big = client.get("/api/v1/demands", params={"limit": 501})
    assert too_big.status_code == 422
    assert too_big.headers["content-type"] == PROBLEM
    assert too_big.json()["code"] == "validation_failed"
    assert too_big.json()["errors"][0]["location"] == ["query", "limit"]
    for params in ({"limit": 0}, {"offset": -1}, {"limit": "ten"}):
        bad = client.get("/api/v1/demands", params=params)
        assert bad.status_code == 422
        assert bad.json()["code"] == "validation_failed"
        assert bad.json()["errors"]


def test_jurisdictions_with_codes_and_nesting(client: httpx.Client) -> None:
    counties = client.get("/api/v1/jurisdictions", params={"kind": "county", "limit": 500}).json()
    la = next(j for j in counties["data"] if j["slug"] == "los-angeles-county")
    assert la == {
        "slug": "los-angeles-county",
        "name": "Los Angeles County",
        "kind": "county",
        "parent": "california",
        "ocd_id": "ocd-division/country:us/state:ca/county:los_angeles",
        "fips": "06037",
        "iso_code": None,
        "version": 1,
    }
    children = client.get("/api/v1/jurisdictions", params={"parent": "los-angeles-county"}).json()
    assert {j["slug"] for j in children["data"]} == {"city-of-los-angeles", "san-gabriel-valley"}
    mexico = client.get("/api/v1/jurisdictions", params={"parent": "baja-california"}).json()
    assert [j["name"] for j in mexico["data"]] == ["Tijuana"]


def test_a_jurisdiction_by_slug_id_or_ocd_id(client: httpx.Client) -> None:
    by_slug = client.get("/api/v1/jurisdictions/california").json()
    by_ocd = client.get("/api/v1/jurisdictions/ocd-division/country:us/state:ca").json()
    assert by_slug == by_ocd
    assert by_slug["iso_code"] == "US-CA"
    missing = client.get("/api/v1/jurisdictions/ocd-division/country:us/state:zz")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM


def test_unknown_routes_and_methods_are_problems(client: httpx.Client) -> None:
    for response in (client.get("/api/v1/nothing-here"), client.delete("/api/v1/demands")):
        assert response.status_code in (404, 405)
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["status"] == response.status_code


def test_list_reads_cost_a_fixed_number_of_queries(
    client: httpx.Client, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    costs = {}
    for path, params in (
        ("/api/v1/demands", {"limit": 5}),
        ("/api/v1/demands", {"limit": 500}),
        ("/api/v1/demands", {"limit": 500, "lang": "es"}),
        ("/api/v1/categories", {}),
        ("/api/v1/jurisdictions", {"limit": 3}),
        ("/api/v1/jurisdictions", {"limit": 500}),
    ):
        with count_queries() as statements:
            assert client.get(path, params=params).status_code == 200
        costs[(path, params.get("limit"), params.get("lang"))] = len(statements)
    # The languages on offer, page, total, items of groups, examples: five queries for 5 rows or 50;
    # in Spanish, one more each for the demands' and the examples' texts.
    assert costs[("/api/v1/demands", 5, None)] == costs[("/api/v1/demands", 500, None)] == 5
    assert costs[("/api/v1/demands", 500, "es")] == 7
    assert costs[("/api/v1/categories", None, None)] == 3
    assert costs[("/api/v1/jurisdictions", 3, None)] == costs[("/api/v1/jurisdictions", 500, None)] == 2


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/demands", "/api/v1/categories", "/api/v1/jurisdictions", "/healthz"} <= set(
        spec["paths"]
    )
    assert "Problem" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_healthz_reports_the_database_and_revision(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["revision"] == body["head_revision"]
    assert body["revision"]


def test_hostile_input_gets_a_problem_never_a_500(client: httpx.Client) -> None:
    for path, params in (
        ("/api/v1/demands/%00x", {}),
        ("/api/v1/demands", {"q": "a\x00b"}),
        ("/api/v1/jurisdictions", {"parent": "\x00"}),
        ("/api/v1/jurisdictions/99999999999999999999", {}),
        ("/api/v1/demands", {"category": "é" * 5000}),
        ("/api/v1/jurisdictions", {"kind": "planet"}),
        ("/api/v1/demands", {"offset": 10**20}),
        ("/api/v1/demands", {"limit": 10**20}),
        ("/api/v1/demands", {"q": "x" * 201}),
    ):
        response = client.get(path, params=params)
        assert response.status_code in (404, 422), (path, response.text)
        assert response.headers["content-type"] == PROBLEM
    nul = client.get("/api/v1/demands", params={"q": "a\x00b"}).json()
    assert nul["errors"] == [
        {"location": ["query", "q"], "message": "contains a NUL character", "type": "nul_character"}
    ]


def test_an_unknown_group_is_a_404(client: httpx.Client) -> None:
    response = client.get("/api/v1/demands", params={"group": "no-such-group"})
    assert response.status_code == 404
    assert "no-such-group" in response.json()["detail"]
