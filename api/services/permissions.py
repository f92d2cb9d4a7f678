"""The one place that decides who may do what; REST and GraphQL both ask it.

The matrix below is the policy. `docs/permissions.md` renders it, and a test walks every
role against every write, in the caller's own coalition and in another.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import col

from api.errors import Forbidden, Unauthorized
from schema.enums import CoalitionRole, Visibility

# Each role includes every power of the roles before it.
ROLE_RANK: dict[CoalitionRole, int] = {role: rank for rank, role in enumerate(CoalitionRole, start=1)}


@dataclass(frozen=True)
class Principal:
    """Who is asking: an anonymous reader, or a user with site-admin status and coalition roles."""

    user_id: int | None = None
    username: str | None = None
    is_site_admin: bool = False
    roles: Mapping[int, CoalitionRole] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has_role(self, coalition_id: int, minimum: CoalitionRole) -> bool:
        role = self.roles.get(coalition_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]

    def can_read_private(self, coalition_id: int) -> bool:
        """Members of any role, and site admins, read their coalition's private records and notes."""
        return self.is_site_admin or coalition_id in self.roles


ANONYMOUS = Principal()


class Action(StrEnum):
    """Every kind of write (and privileged read) the service allows someone."""

    MANAGE_CATALOG = "manage_catalog"
    MANAGE_JURISDICTIONS = "manage_jurisdictions"
    MANAGE_TARGETS = "manage_targets"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    MANAGE_RESOURCES = "manage_resources"
    MANAGE_USERS = "manage_users"
    MANAGE_COALITIONS = "manage_coalitions"
    EDIT_COALITION = "edit_coalition"
    MANAGE_MEMBERS = "manage_members"
    READ_AUDIT_LOG = "read_audit_log"
    WRITE_CAMPAIGNS = "write_campaigns"
    WRITE_ACTIVITIES = "write_activities"
    REVIEW_SUBMISSIONS = "review_submissions"


@dataclass(frozen=True)
class Rule:
    """Who may take an action: site admins always; members with `minimum` role in the coalition concerned."""

    describes: str
    minimum: CoalitionRole | None = None


MATRIX: dict[Action, Rule] = {
    Action.MANAGE_CATALOG: Rule("create, edit or delete target categories, demands and examples"),
    Action.MANAGE_JURISDICTIONS: Rule("create, edit or delete jurisdictions"),
    Action.MANAGE_TARGETS: Rule("create, edit or delete targets"),
    Action.MANAGE_ORGANIZATIONS: Rule("create, edit or delete organizations"),
    Action.MANAGE_RESOURCES: Rule("create, edit or delete resources"),
    Action.MANAGE_USERS: Rule("create, edit or deactivate user accounts"),
    Action.MANAGE_COALITIONS: Rule("create or delete coalitions"),
    Action.EDIT_COALITION: Rule(
        "edit a coalition's profile, member organizations and focus jurisdictions",
        CoalitionRole.COALITION_ADMIN,
    ),
    Action.MANAGE_MEMBERS: Rule("add, change or remove a coalition's members", CoalitionRole.COALITION_ADMIN),
    Action.READ_AUDIT_LOG: Rule("read a coalition's audit log", CoalitionRole.COALITION_ADMIN),
    Action.WRITE_CAMPAIGNS: Rule(
        "create, edit, delete or change the status of a coalition's campaigns", CoalitionRole.ORGANIZER
    ),
    Action.WRITE_ACTIVITIES: Rule(
        "log, edit or delete activities on a coalition's campaigns", CoalitionRole.ORGANIZER
    ),
    Action.REVIEW_SUBMISSIONS: Rule("accept or reject submissions to the checklist", CoalitionRole.MODERATOR),
}


def authorize(principal: Principal, action: Action, *, coalition_id: int | None = None) -> None:
    """Return if `principal` may take `action` (in `coalition_id`); raise Unauthorized or Forbidden if not."""
    rule = MATRIX[action]
    if principal.is_anonymous:
        raise Unauthorized(
            f"Only signed-in users may {rule.describes}: send an API token as `Authorization: Bearer <token>`."
        )
    if principal.is_site_admin:
        return
    if rule.minimum is None or coalition_id is None:
        raise Forbidden(f"Only site admins may {rule.describes}.")
    if not principal.has_role(coalition_id, rule.minimum):
        raise Forbidden(f"Only the coalition's {rule.minimum.value}s and above may {rule.describes}.")


def allowed(principal: Principal, action: Action, *, coalition_id: int | None = None) -> bool:
    try:
        authorize(principal, action, coalition_id=coalition_id)
    except (Unauthorized, Forbidden):
        return False
    return True


def readable(principal: Principal, *, visibility: Any, coalition_id: Any) -> ColumnElement[bool]:
    """SQL: a record of `coalition_id` with `visibility` that `principal` may see."""
    if principal.is_site_admin:
        return true()
    public = col(visibility) == Visibility.PUBLIC
    if not principal.roles:
        return public
    return public | col(coalition_id).in_(sorted(principal.roles))


def matrix_markdown() -> str:
    """The matrix as the table in docs/permissions.md."""
    roles = ["anonymous", *[role.value for role in CoalitionRole], "site admin"]
    lines = [
        "| action | " + " | ".join(roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action, rule in MATRIX.items():
        cells = ["no"]
        for role in CoalitionRole:
            if rule.minimum is not None and ROLE_RANK[role] >= ROLE_RANK[rule.minimum]:
                cells.append("own coalition")
            else:
                cells.append("no")
        cells.append("yes")
        lines.append(f"| `{action.value}`: {rule.describes} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
