"""The seeded checklist: complete, idempotent, safe, and loaded all-or-nothing."""

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.errors import SeedFileError
from api.services.seed_loading import read_seed_file
from api.services.seeding import apply_seed
from api.settings import Settings
from schema import (
    Campaign,
    Coalition,
    Demand,
    DemandResource,
    Example,
    Jurisdiction,
    Organization,
    Resource,
    ResourceLanguage,
    Target,
    TargetCategory,
)
from schema.seed_file import EMAIL_RE, SeedFile, iter_strings
from tests.brief import CHECKLIST, DESCRIPTIONS, EXAMPLES, RESOURCES

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


def demand_titled(session: Session, words: str) -> Demand:
    matches = session.exec(select(Demand).where(col(Demand.title).contains(words))).all()
    assert len(matches) == 1, f"expected one demand with {words!r}, found {len(matches)}"
    return matches[0]


def test_every_category_group_and_item_of_the_brief_is_present_in_order(session: Session) -> None:
    categories = session.exec(select(TargetCategory).order_by(col(TargetCategory.position))).all()
    assert [c.name for c in categories] == [name for _, name, _ in CHECKLIST]
    for category, (_, _, entries) in zip(categories, CHECKLIST, strict=True):
        top = session.exec(
            select(Demand)
            .where(Demand.category_id == category.id, col(Demand.parent_id).is_(None))
            .order_by(col(Demand.position))
        ).all()
        assert len(top) == len(entries), category.name
        for demand, (group, items) in zip(top, entries, strict=True):
            children = session.exec(
                select(Demand).where(Demand.parent_id == demand.id).order_by(col(Demand.position))
            ).all()
            if group is None:
                assert children == [], demand.title
                assert demand.title.startswith(items[0])
                continue
            assert demand.title == group
            assert len(children) == len(items), group
            for child, item in zip(children, items, strict=True):
                assert item in child.title or item == child.title, (group, item)


def test_descriptions_examples_and_resources_of_the_brief_are_present(session: Session) -> None:
    for title, words in DESCRIPTIONS:
        assert words in (demand_titled(session, title).description or "")
    for title, words in EXAMPLES:
        demand = demand_titled(session, title)
        texts = [
            f"{e.title} {e.description or ''}"
            for e in session.exec(select(Example).where(Example.demand_id == demand.id)).all()
        ]
        assert any(words in text for text in texts), (title, words)
    for title, words in RESOURCES:
        demand = demand_titled(session, title)
        linked = session.exec(
            select(Resource.title)
            .join(DemandResource, col(DemandResource.resource_id) == col(Resource.id))
            .where(DemandResource.demand_id == demand.id)
        ).all()
        assert any(words in t for t in linked), (title, words, linked)


def test_the_world_of_the_seeds_is_present(session: Session) -> None:
    def jurisdiction(slug: str) -> Jurisdiction:
        return session.exec(select(Jurisdiction).where(Jurisdiction.slug == slug)).one()

    us = jurisdiction("united-states")
    assert (us.ocd_id, us.iso_code) == ("ocd-division/country:us", "US")
    sgv = jurisdiction("san-gabriel-valley")
    la_county = jurisdiction("los-angeles-county")
    california = jurisdiction("california")
    assert (sgv.kind, sgv.parent_id) == ("region", la_county.id)
    assert (la_county.parent_id, california.parent_id) == (california.id, us.id)
    assert jurisdiction("tijuana").parent_id == jurisdiction("baja-california").id
    coalition = session.exec(
        select(Coalition).where(Coalition.slug == "immigrant-workplace-justice-coalition")
    ).one()
    assert coalition.name == "Immigrant Workplace Justice Coalition"
    assert session.exec(select(func.count()).select_from(Organization)).one() >= 9
    helpline_languages = set(
        session.exec(
            select(ResourceLanguage.language)
            .join(Resource, col(Resource.id) == col(ResourceLanguage.resource_id))
            .where(Resource.kind == "hotline")
        ).all()
    )
    assert helpline_languages == {"en", "zh", "vi", "tl", "th", "ko", "km", "es"}


def test_seed_data_holds_no_personal_contact_details() -> None:
    """Only organizations' hotlines carry numbers; the press contact's line and every email stay out."""
    for path in SEED_DIR.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert not EMAIL_RE.search(text), path
        assert "241-8817" not in text, path
        if path.suffix not in (".yaml", ".yml"):
            continue
        document = yaml.safe_load(text)
        resources = document.get("resources", [])
        # Translation files key their texts by slug; only the checklist itself lists resources.
        resources = list(resources.values()) if isinstance(resources, dict) else resources
        phones = {r["phone"] for r in resources if r.get("phone")}
        hotline_phones = {r["phone"] for r in resources if r.get("phone") and r["kind"] == "hotline"}
        assert phones == hotline_phones
        free_text = " ".join(s for s in iter_strings(document) if s not in phones)
        assert not re.search(r"\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}", free_text), path


def test_seeding_twice_changes_nothing(session: Session, settings: Settings) -> None:
    seed = read_seed_file(settings.seed_file)
    before = {d.slug: d.updated_at for d in session.exec(select(Demand)).all()}
    report = apply_seed(session=session, seed=seed)
    assert not report.changed
    assert report.created == {}
    assert sum(report.unchanged.values()) > 100
    session.expire_all()
    assert {d.slug: d.updated_at for d in session.exec(select(Demand)).all()} == before


def test_an_edited_seed_updates_texts_and_keeps_campaigns(session: Session, settings: Settings) -> None:
    demand = session.exec(select(Demand).where(Demand.slug == "sanctuary-union")).one()
    target = session.exec(select(Target)).first()
    coalition = session.exec(select(Coalition)).first()
    assert target is not None
    assert coalition is not None
    campaign = Campaign(coalition_id=coalition.id, demand_id=demand.id, target_id=target.id, status="made")  # type: ignore[arg-type]
    session.add(campaign)
    session.flush()

    edited = settings.seed_file.read_text(encoding="utf-8").replace(
        "Become a Sanctuary Union.", "Become a Sanctuary Union (updated wording)."
    )
    document = SeedFile.model_validate(yaml.safe_load(edited))
    report = apply_seed(session=session, seed=document)

    assert report.updated == {"demands": 1}
    session.refresh(demand)
    assert demand.title == "Become a Sanctuary Union (updated wording)."
    assert session.get(Campaign, campaign.id) is not None
    assert session.get(Campaign, campaign.id).demand_id == demand.id  # type: ignore[union-attr]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrong_value_names_the_file_line_and_key(tmp_path: Path, seed_text: str) -> None:
    lines = seed_text.splitlines()
    line_number = next(i for i, line in enumerate(lines) if "kind: county" in line) + 1
    path = write(tmp_path, seed_text.replace("kind: county", "kind: borough", 1))
    with pytest.raises(SeedFileError) as error:
        read_seed_file(path)
    message = str(error.value)
    assert str(path) in message
    assert f"line {line_number}:" in message
    assert re.search(r"jurisdictions\[\d+\]\.kind: Input should be", message)


def test_an_unknown_key_and_a_missing_key_are_both_reported(tmp_path: Path, seed_text: str) -> None:
    path = write(
        tmp_path,
        seed_text.replace(
            "    title: Be present at the scene of a raid.",
            "    titel: Be present at the scene of a raid.",
            1,
        ),
    )
    with pytest.raises(SeedFileError) as error:
        read_seed_file(path)
    message = str(error.value)
    assert "categories[0].demands[0].children[1].titel: Extra inputs are not permitted" in message
    assert "categories[0].demands[0].children[1].title: Field required" in message


def test_broken_yaml_names_the_line(tmp_path: Path, seed_text: str) -> None:
    path = write(tmp_path, seed_text.replace("format_version: 1", "format_version: 1\njurisdictions: [", 1))
    with pytest.raises(SeedFileError, match=r"line \d+, column \d+: invalid YAML"):
        read_seed_file(path)


def test_a_dangling_reference_is_refused(tmp_path: Path, seed_text: str) -> None:
    path = write(tmp_path, seed_text.replace("parent: los-angeles-county", "parent: atlantis", 1))
    with pytest.raises(SeedFileError, match="parent 'atlantis' must be declared before it"):
        read_seed_file(path)


def test_personal_contact_details_are_refused(tmp_path: Path, seed_text: str) -> None:
    path = write(
        tmp_path,
        seed_text.replace(
            "title: Provide resources for KYR programs.", "title: Write to someone@example.org", 1
        ),
    )
    with pytest.raises(SeedFileError, match="must not contain an email address"):
        read_seed_file(path)


def test_a_failing_seed_writes_nothing(session: Session, settings: Settings) -> None:
    """Validation passes but the database refuses a row midway: everything before it is undone."""
    seed = read_seed_file(settings.seed_file)
    demands_before = session.exec(select(func.count()).select_from(Demand)).one()
    # A new coalition, then a jurisdiction whose FIPS code collides with an existing one.
    clashing = seed.model_copy(
        update={
            "coalitions": [
                *seed.coalitions,
                seed.coalitions[0].model_copy(update={"slug": "brand-new-coalition"}),
            ],
            "jurisdictions": [
                *seed.jurisdictions,
                seed.jurisdictions[-1].model_copy(update={"slug": "clash", "fips": "06037", "parent": None}),
            ],
        }
    )
    with pytest.raises(IntegrityError), session.begin_nested():
        apply_seed(session=session, seed=clashing)
    assert session.exec(select(Coalition).where(Coalition.slug == "brand-new-coalition")).first() is None
    assert session.exec(select(func.count()).select_from(Demand)).one() == demands_before
