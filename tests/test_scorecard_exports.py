"""Scorecard exports over HTTP: JSON, CSV parsed back, HTML validated, map JSON; each names its rule,
date, filters and whose private campaigns it counts."""

import csv
import io
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api.services.scorecard_exports import COMPARISON_COLUMNS, SCORECARD_COLUMNS
from schema import Jurisdiction, Target
from schema.enums import CampaignStatus, CoalitionRole, JurisdictionKind
from tests.factories import OWN, auth_headers
from tests.test_scorecards import API, World, _campaign, _id, _target, build_world, recent

PRIVATE_LINE = f"the private campaigns of {OWN}"


@pytest.fixture
def world(session: Session) -> World:
    built = build_world(session)
    # A place with a name beyond ASCII, to check the encoding end to end.
    session.add(
        Jurisdiction(
            slug="san-jose",
            name="San José",
            kind=JurisdictionKind.CITY,
            parent_id=_id(session, Jurisdiction, "california"),
            ocd_id="ocd-division/country:us/state:ca/place:san_jose",
            fips="0668000",
        )
    )
    session.flush()
    _target(session, "san-jose-council", "elected-officials", "san-jose")
    built.ids["san_jose"] = _campaign(
        session, OWN, "kyr-messaging", "san-jose-council", [(CampaignStatus.WON, recent())]
    )
    return built


@pytest.fixture
def member(session: Session) -> dict[str, str]:
    return auth_headers(session, roles={OWN: CoalitionRole.VIEWER})


def parse_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The `# ` rows, then the table as dicts: what a program reading the export does."""
    rows = list(csv.reader(io.StringIO(text)))
    notes = [row[0] for row in rows if row and row[0].startswith("#")]
    table = [row for row in rows if row and not row[0].startswith("#")]
    return notes, [dict(zip(table[0], row, strict=True)) for row in table[1:]]


# --- JSON -------------------------------------------------------------------------------------------


def test_json_is_the_api_model_and_names_its_rule(client: httpx.Client, world: World) -> None:
    response = client.get(f"{API}/los-angeles-county/scorecard", params={"as_of": "2025-06-15"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["as_of"] == "2025-06-15"
    assert body["rule"]["name"] == "default"
    assert body["rule"]["weights"] == {
        "won": 1.0,
        "partially_won": 0.5,
        "in_progress": 0.25,
        "made": 0.1,
        "stalled": 0.0,
        "rejected": 0.0,
        "withdrawn": 0.0,
        "not_started": 0.0,
    }
    assert [band["grade"] for band in body["rule"]["grades"]] == ["A", "B", "C", "D", "F"]
    assert body["filters"] == {"category": None, "coalition": None, "include_descendants": False}
    assert body["overall"]["score"] == 2.4
    # format=json wins over an Accept asking for CSV.
    forced = client.get(f"{API}/los-angeles-county/scorecard?format=json", headers={"Accept": "text/csv"})
    assert forced.headers["content-type"] == "application/json"


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_demand_in_a_stable_column_order(client: httpx.Client, world: World) -> None:
    response = client.get(
        f"{API}/los-angeles-county/scorecard",
        params={"include_descendants": True},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="scorecard-los-angeles-county-now.csv"'
    )
    notes, rows = parse_csv(response.content.decode("utf-8"))
    assert list(rows[0]) == list(SCORECARD_COLUMNS)
    assert len(rows) == 41
    assert {row["jurisdiction"] for row in rows} == {"los-angeles-county"}
    assert {row["ocd_id"] for row in rows} == {"ocd-division/country:us/state:ca/county:los_angeles"}
    rrn = next(row for row in rows if row["demand"] == "rapid-response-network")
    assert rrn["status"] == "won"
    assert rrn["weight"] == "1"
    assert rrn["campaign_count"] == "3"
    assert rrn["campaigns"] == str(world.ids["county_won"])
    assert rrn["group"] == "be-present-at-raids"
    assert [row["status"] for row in rows].count("not_started") == 35
    text = "\n".join(notes)
    assert (
        "# Scorecard: Los Angeles County (county, ocd-division/country:us/state:ca/county:los_angeles" in text
    )
    assert "# As of: now" in text
    assert "# Weights: won 1, partially_won 0.5, in_progress 0.25, made 0.1" in text
    assert "# Grades: A ≥ 80, B ≥ 60, C ≥ 40, D ≥ 20, F ≥ 0" in text
    assert "# Filters: category: all; coalition: all; includes places inside it" in text
    assert "# Counts: public campaigns only" in text
    assert "# Rule: default" in text


def test_csv_as_of_filters_and_utf8(client: httpx.Client, world: World) -> None:
    response = client.get(
        f"{API}/california/scorecard",
        params={
            "format": "csv",
            "as_of": "2025-06-15",
            "category": "elected-officials",
            "include_descendants": True,
        },
    )
    assert response.headers["content-disposition"].endswith('filename="scorecard-california-2025-06-15.csv"')
    notes, rows = parse_csv(response.content.decode("utf-8"))
    assert len(rows) == 24
    assert {row["as_of"] for row in rows} == {"2025-06-15"}
    assert "# As of: 2025-06-15 (end of day, UTC)" in notes
    assert "# Filters: category: elected-officials; coalition: all; includes places inside it" in notes
    name = client.get(f"{API}/san-jose/scorecard", params={"format": "csv"}).content.decode("utf-8")
    assert "San José" in name


def test_comparison_csv_has_one_row_per_jurisdiction(client: httpx.Client, world: World) -> None:
    response = client.get(
        f"{API}/texas/comparison", params={"kind": "county", "category": "business", "format": "csv"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "comparison-county-texas-now.csv" in response.headers["content-disposition"]
    notes, rows = parse_csv(response.text)
    assert list(rows[0]) == list(COMPARISON_COLUMNS)
    assert [(r["rank"], r["jurisdiction"], r["fips"], r["score"], r["grade"]) for r in rows] == [
        ("1", "dallas-county", "48113", "100.0", "A"),
        ("2", "harris-county", "48201", "62.5", "B"),
    ]
    assert (rows[1]["won"], rows[1]["in_progress"], rows[1]["not_started"], rows[1]["won_share"]) == (
        "1",
        "1",
        "0",
        "0.500",
    )
    assert any(note.startswith("# Comparison of every county under: Texas") for note in notes)
    assert "# Filters: category: business; coalition: all; this place only" in notes
    accepted = client.get(
        f"{API}/texas/comparison", params={"kind": "county"}, headers={"Accept": "text/csv"}
    )
    assert accepted.headers["content-type"] == "text/csv; charset=utf-8"


# --- HTML -------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageChecker(HTMLParser):
    """Checks that every element closes in order, and collects tags, classes, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.classes: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.in_style = False
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes.append((tag, name, value))
            if name == "class" and value:
                self.classes.update(value.split())

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.style += data
        else:
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def checked(html: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(html)
    checker.close()
    assert html.startswith("<!DOCTYPE html>")
    assert checker.errors == []
    assert checker.stack == []
    return checker


def test_html_page_is_valid_with_its_svg_charts(client: httpx.Client, world: World) -> None:
    response = client.get(f"{API}/los-angeles-county/scorecard", params={"format": "html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"].startswith("inline;")
    page = checked(response.text)
    # Two charts drawn by the service: a bar per category (6) plus overall, and the status breakdown.
    assert page.tags["svg"] == 2
    assert page.classes["bar"] == 7
    assert page.classes["segment"] >= 7
    assert page.tags["script"] == 0
    assert not [a for a in page.attributes if a[1] in {"src", "href"}]
    assert "@media print" in page.style
    assert "@page" in page.style
    words = page.words
    assert "Los Angeles County F" in words
    assert "Score 3.9 of 100" in words
    assert "Counts public campaigns only." in words
    assert "Weights won 1, partially_won 0.5, in_progress 0.25, made 0.1" in words
    assert "As of now" in words
    assert "Filters category: all; coalition: all; this place only" in words
    # The demand table: a header row and one row per leaf demand.
    assert page.tags["tr"] >= 42
    assert f"#{world.ids['county_won']} {OWN} → La County Supervisors" in words
    # The stale list names the quiet campaign.
    assert f"#{world.ids['county_stale']}" in words.split("Stale campaigns", 1)[1]


def test_html_escapes_what_users_wrote(client: httpx.Client, session: Session, world: World) -> None:
    target = session.get(Target, _id(session, Target, "la-county-supervisors"))
    assert target is not None
    target.name = "<script>alert(1)</script> & Co"
    session.flush()
    html = client.get(f"{API}/los-angeles-county/scorecard", params={"format": "html"}).text
    page = checked(html)
    assert page.tags["script"] == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_html_is_chosen_by_accept_and_shows_as_of(client: httpx.Client, world: World) -> None:
    response = client.get(
        f"{API}/city-of-los-angeles/scorecard",
        params={"as_of": "2025-06-14"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    words = checked(response.text).words
    assert "As of 2025-06-14 (end of day, UTC)" in words
    assert "Score 0.2 of 100" in words


# --- Visibility in every export ---------------------------------------------------------------------


def _exports(client: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    place = f"{API}/los-angeles-county"
    return {
        "json": client.get(f"{place}/scorecard", headers=headers).json(),
        "csv": client.get(f"{place}/scorecard", params={"format": "csv"}, headers=headers).text,
        "html": client.get(f"{place}/scorecard", params={"format": "html"}, headers=headers).text,
        "comparison": client.get(
            f"{API}/california/comparison", params={"kind": "county"}, headers=headers
        ).json(),
        "comparison_csv": client.get(
            f"{API}/california/comparison", params={"kind": "county", "format": "csv"}, headers=headers
        ).text,
        "map": client.get(
            f"{API}/california/comparison/map", params={"kind": "county"}, headers=headers
        ).json(),
        "trend": client.get(f"{place}/scorecard/trend", headers=headers).json(),
    }


def test_every_export_counts_and_names_private_campaigns_for_members_only(
    client: httpx.Client, world: World, member: dict[str, str]
) -> None:
    private = world.ids["county_private_own"]
    anonymous = _exports(client, {})
    members = _exports(client, member)

    assert anonymous["json"]["includes_private_for"] == []
    assert members["json"]["includes_private_for"] == [OWN]
    assert (anonymous["json"]["overall"]["score"], members["json"]["overall"]["score"]) == (3.9, 6.3)
    for name in ("comparison", "map", "trend"):
        assert anonymous[name]["includes_private_for"] == []
        assert members[name]["includes_private_for"] == [OWN]
    assert anonymous["map"]["by_fips"]["06037"]["score"] == 3.9
    assert members["map"]["by_fips"]["06037"]["score"] == 6.3
    assert anonymous["comparison"]["entries"][0]["score"] == 3.9
    assert anonymous["trend"]["points"][-1]["score"] == 3.9
    assert members["trend"]["points"][-1]["score"] == 6.3

    _, public_rows = parse_csv(anonymous["csv"])
    member_notes, member_rows = parse_csv(members["csv"])
    one_stop = "consulate-one-stop-shop"
    assert next(r for r in public_rows if r["demand"] == one_stop)["status"] == "not_started"
    assert next(r for r in member_rows if r["demand"] == one_stop)["campaigns"] == str(private)
    assert "# Counts: public campaigns only" in anonymous["csv"]
    assert f"# Counts: public campaigns, and {PRIVATE_LINE}" in member_notes
    assert PRIVATE_LINE in members["comparison_csv"]
    assert "public campaigns only" in anonymous["comparison_csv"]

    assert f"#{private} " not in checked(anonymous["html"]).words
    member_words = checked(members["html"]).words
    assert f"#{private} {OWN}" in member_words
    assert f"Counts public campaigns, and {PRIVATE_LINE}." in member_words


def test_scorecard_labels_follow_the_language_asked_for(client: httpx.Client) -> None:
    spanish = client.get("/api/v1/jurisdictions/california/scorecard", params={"lang": "es"})
    assert spanish.headers["content-language"] == "es"
    body = spanish.json()
    assert body["language"] == "es"
    labor = next(c for c in body["categories"] if c["slug"] == "labor")
    assert labor["name"] != "Labor"
    english = client.get("/api/v1/jurisdictions/california/scorecard").json()
    assert english["overall"] == body["overall"]
    csv_text = client.get(
        "/api/v1/jurisdictions/california/scorecard", params={"lang": "es", "format": "csv"}
    ).text
    assert body["demands"][0]["title"] in csv_text
    assert body["demands"][0]["title"] != english["demands"][0]["title"]
