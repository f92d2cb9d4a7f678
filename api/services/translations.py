"""Catalog texts in many languages: English on the records, other languages beside them, with fallback.

A response is localized in one pass per kind of record (one query), whatever the number of items.
"""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from api.errors import SeedFileError
from schema import Demand, Example, Resource, TargetCategory, Translation
from schema.enums import TranslatedEntity
from schema.inputs import contains_a_number
from schema.public import DemandPublic, Page
from schema.scorecards import Scorecard

DEFAULT_LANGUAGE = "en"
MODELS: dict[TranslatedEntity, type[SQLModel]] = {
    TranslatedEntity.CATEGORY: TargetCategory,
    TranslatedEntity.DEMAND: Demand,
    TranslatedEntity.EXAMPLE: Example,
    TranslatedEntity.RESOURCE: Resource,
}
# The texts each kind of record carries; the first is its name or title.
FIELDS: dict[TranslatedEntity, tuple[str, str]] = {
    TranslatedEntity.CATEGORY: ("name", "description"),
    TranslatedEntity.DEMAND: ("title", "description"),
    TranslatedEntity.EXAMPLE: ("title", "description"),
    TranslatedEntity.RESOURCE: ("title", "description"),
}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

Item = TypeVar("Item", bound=BaseModel)


class TranslationFile(BaseModel):
    """seed_data/translations/<language>.yaml: texts keyed by slug, per kind of record."""

    model_config = ConfigDict(extra="forbid")

    language: str
    needs_review: bool = True
    categories: dict[str, dict[str, str]] = {}
    demands: dict[str, dict[str, str]] = {}
    examples: dict[str, dict[str, str]] = {}
    resources: dict[str, dict[str, str]] = {}


def primary(tag: str) -> str:
    """`es-MX` → `es`: texts are kept per language, not per region."""
    return tag.strip().split("-")[0].lower()


def available(*, session: Session) -> set[str]:
    """The languages some catalog text exists in, English included."""
    return {DEFAULT_LANGUAGE, *session.execute(select(col(Translation.language)).distinct()).scalars()}


def negotiate(*, session: Session, lang: str | None, accept_language: str | None) -> str:
    """`lang` if given, else the caller's most preferred language we have, else English."""
    languages = available(session=session)
    if lang:
        return primary(lang) if primary(lang) in languages else DEFAULT_LANGUAGE
    preferences: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            preferences.append((-quality, index, primary(tag)))
    for _, _, language in sorted(preferences):
        if language in languages:
            return language
    return DEFAULT_LANGUAGE


def _texts(
    session: Session, entity: TranslatedEntity, slugs: Sequence[str], language: str
) -> dict[str, dict[str, tuple[str, bool]]]:
    """slug → field → (text, needs review), in one query."""
    if language == DEFAULT_LANGUAGE or not slugs:
        return {}
    model: Any = MODELS[entity]
    found: dict[str, dict[str, tuple[str, bool]]] = {}
    for slug, field, text, needs_review in session.execute(
        select(col(model.slug), col(Translation.field), col(Translation.text), col(Translation.needs_review))
        .join(model, col(model.id) == col(Translation.entity_id))
        .where(
            col(Translation.entity_type) == entity,
            col(Translation.language) == language,
            col(model.slug).in_(list(slugs)),
        )
    ).all():
        found.setdefault(slug, {})[field] = (text, needs_review)
    return found


def _apply(item: Item, texts: dict[str, tuple[str, bool]] | None, language: str, **extra: Any) -> Item:
    if not texts:
        return item.model_copy(update=extra) if extra else item
    update: dict[str, Any] = {field: text for field, (text, _) in texts.items()}
    update.update(language=language, translation_needs_review=any(review for _, review in texts.values()))
    return item.model_copy(update={**update, **extra})


def localize(
    *, session: Session, items: Sequence[Item], entity: TranslatedEntity, language: str
) -> list[Item]:
    """Categories, examples or resources in `language`, field by field, falling back to English."""
    texts = _texts(session, entity, [getattr(item, "slug") for item in items], language)  # noqa: B009
    return [_apply(item, texts.get(getattr(item, "slug")), language) for item in items]  # noqa: B009


def localize_demands(*, session: Session, items: Sequence[DemandPublic], language: str) -> list[DemandPublic]:
    """Demands and their examples in `language`: two queries."""
    demand_texts = _texts(session, TranslatedEntity.DEMAND, [item.slug for item in items], language)
    example_slugs = [example.slug for item in items for example in item.examples]
    example_texts = _texts(session, TranslatedEntity.EXAMPLE, example_slugs, language)
    return [
        _apply(
            item,
            demand_texts.get(item.slug),
            language,
            examples=[_apply(e, example_texts.get(e.slug), language) for e in item.examples],
        )
        for item in items
    ]


def set_text(
    *,
    session: Session,
    entity: TranslatedEntity,
    entity_id: int,
    field: str,
    language: str,
    text: str,
    needs_review: bool,
) -> None:
    """Create or replace one translated text."""
    existing = session.execute(
        select(Translation).where(
            col(Translation.entity_type) == entity,
            col(Translation.entity_id) == entity_id,
            col(Translation.field) == field,
            col(Translation.language) == language,
        )
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            Translation(
                entity_type=entity,
                entity_id=entity_id,
                field=field,
                language=language,
                text=text,
                needs_review=needs_review,
            )
        )
    elif existing.text != text or existing.needs_review != needs_review:
        existing.text, existing.needs_review = text, needs_review
    session.flush()


def read_file(path: Path) -> TranslationFile:
    """A translation file validated in full; nothing is written if any part is wrong."""
    try:
        document = TranslationFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise SeedFileError(path, [str(exc)]) from exc
    problems = []
    if not _LANGUAGE.match(document.language) or document.language == DEFAULT_LANGUAGE:
        problems.append(f"language: {document.language!r} is not a language other than English")
    for section in ("categories", "demands", "examples", "resources"):
        for slug, texts in getattr(document, section).items():
            problems += [
                f"{section}.{slug}.{field}: looks like an A-number"
                for field, t in texts.items()
                if contains_a_number(t)
            ]
    if problems:
        raise SeedFileError(path, problems)
    return document


def apply_file(*, session: Session, document: TranslationFile) -> int:
    """Load a translation file; slugs the catalog does not have are reported, not guessed at."""
    sections = {
        TranslatedEntity.CATEGORY: document.categories,
        TranslatedEntity.DEMAND: document.demands,
        TranslatedEntity.EXAMPLE: document.examples,
        TranslatedEntity.RESOURCE: document.resources,
    }
    written = 0
    for entity, entries in sections.items():
        model: Any = MODELS[entity]
        ids = dict(
            session.execute(
                select(col(model.slug), col(model.id)).where(col(model.slug).in_(list(entries)))
            ).all()
        )
        for slug, texts in entries.items():
            if slug not in ids:
                continue
            for field, text in texts.items():
                if field in FIELDS[entity]:
                    set_text(
                        session=session,
                        entity=entity,
                        entity_id=ids[slug],
                        field=field,
                        language=document.language,
                        text=text,
                        needs_review=document.needs_review,
                    )
                    written += 1
    return written


def localize_page(
    *, session: Session, page: Page[Item], entity: TranslatedEntity, language: str
) -> Page[Item]:
    """A page of categories, examples or resources in `language`."""
    return page.model_copy(
        update={"data": localize(session=session, items=page.data, entity=entity, language=language)}
    )


def localize_demand_page(*, session: Session, page: Page[DemandPublic], language: str) -> Page[DemandPublic]:
    return page.model_copy(
        update={"data": localize_demands(session=session, items=page.data, language=language)}
    )


def localize_scorecard(*, session: Session, card: Scorecard, language: str) -> Scorecard:
    """A scorecard's labels (category names, demand titles) in `language`; scores are the same in any."""
    if language == DEFAULT_LANGUAGE:
        return card
    demand_texts = _texts(session, TranslatedEntity.DEMAND, [d.slug for d in card.demands], language)
    category_texts = _texts(session, TranslatedEntity.CATEGORY, [c.slug for c in card.categories], language)
    return card.model_copy(
        update={
            "demands": [
                d.model_copy(update={"title": demand_texts[d.slug]["title"][0]})
                if "title" in demand_texts.get(d.slug, {})
                else d
                for d in card.demands
            ],
            "categories": [
                c.model_copy(update={"name": category_texts[c.slug]["name"][0]})
                if "name" in category_texts.get(c.slug, {})
                else c
                for c in card.categories
            ],
            "language": language,
        }
    )
