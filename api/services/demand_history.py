"""A demand's history: every version of its text, who wrote it, and the submission it came from."""

from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.errors import Conflict, NotFound
from api.services.lookups import id_by_slug
from api.services.pagination import PageRequest, paginate
from api.services.permissions import Action, Principal, authorize
from api.services.writes import save_audited
from schema import Demand, DemandRevision, TargetCategory, UserAccount
from schema.base import utcnow
from schema.catalog import DemandRevisionPublic
from schema.public import Page

_group = aliased(Demand, name="group_demand")


def record(
    *, session: Session, demand: Demand, principal: Principal, submission_id: int | None = None
) -> DemandRevision:
    """Append the demand's current text as its newest revision; call after every change to it."""
    revision = DemandRevision(
        demand_id=demand.id,  # type: ignore[arg-type]
        version=demand.version,
        title=demand.title,
        description=demand.description,
        category_id=demand.category_id,
        parent_id=demand.parent_id,
        retired_at=demand.retired_at,
        changed_by_id=principal.user_id,
        submission_id=submission_id,
    )
    session.add(revision)
    session.flush()
    return revision


def get_all(*, session: Session, slug: str, page: PageRequest) -> Page[DemandRevisionPublic]:
    """Every version of a demand, oldest first."""
    demand_id = id_by_slug(session=session, model=Demand, slug=slug, noun="demand")
    statement = (
        select(DemandRevision, col(TargetCategory.slug), col(_group.slug), col(UserAccount.username))
        .join(TargetCategory, col(TargetCategory.id) == col(DemandRevision.category_id))
        .outerjoin(_group, col(_group.id) == col(DemandRevision.parent_id))
        .outerjoin(UserAccount, col(UserAccount.id) == col(DemandRevision.changed_by_id))
        .where(col(DemandRevision.demand_id) == demand_id)
        .order_by(col(DemandRevision.version), col(DemandRevision.id))
    )
    return paginate(
        session=session,
        statement=statement,
        page=page,
        build=lambda rows: [
            DemandRevisionPublic(
                version=revision.version,
                title=revision.title,
                description=revision.description,
                category=category,
                parent=parent,
                retired_at=revision.retired_at,
                changed_at=revision.changed_at,
                changed_by=author,
                submission=revision.submission_id,
            )
            for revision, category, parent, author in rows
        ],
    )


def set_retired(
    *, session: Session, principal: Principal, slug: str, retired: bool, expected: int | None
) -> datetime | None:
    """Retire a demand (or bring it back): it stays for campaigns and past scorecards, and leaves lists."""
    authorize(principal, Action.MANAGE_CATALOG)
    demand = session.exec(select(Demand).where(col(Demand.slug) == slug)).first()
    if demand is None:
        raise NotFound(f"No demand has the slug {slug!r}.")
    if (demand.retired_at is not None) == retired:
        raise Conflict(f"The demand {slug!r} is {'already' if retired else 'not'} retired.")
    save_audited(
        session=session,
        principal=principal,
        row=demand,
        expected=expected if expected is not None else demand.version,
        values={"retired_at": utcnow() if retired else None},
        noun="demand",
        entity_type="demand",
        entity_key=slug,
    )
    record(session=session, demand=demand, principal=principal)
    return demand.retired_at
