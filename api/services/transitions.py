"""The allowed campaign status transitions: one table, documented in docs/statuses.md.

Nothing returns to `not_started`: once asked, an ask has a history. Wins can be reversed
(a policy repealed), and a closed ask can be made again.
"""

from schema.enums import CampaignStatus as S

ALLOWED: dict[S, tuple[S, ...]] = {
    S.NOT_STARTED: (S.MADE, S.WITHDRAWN),
    S.MADE: (S.IN_PROGRESS, S.WON, S.PARTIALLY_WON, S.STALLED, S.REJECTED, S.WITHDRAWN),
    S.IN_PROGRESS: (S.WON, S.PARTIALLY_WON, S.STALLED, S.REJECTED, S.WITHDRAWN),
    S.STALLED: (S.MADE, S.IN_PROGRESS, S.WON, S.PARTIALLY_WON, S.REJECTED, S.WITHDRAWN),
    S.PARTIALLY_WON: (S.IN_PROGRESS, S.WON, S.STALLED, S.REJECTED),
    S.WON: (S.PARTIALLY_WON, S.IN_PROGRESS, S.STALLED, S.REJECTED),
    S.REJECTED: (S.MADE, S.IN_PROGRESS, S.WITHDRAWN),
    S.WITHDRAWN: (S.MADE,),
}

# Open asks can go stale; closed ones carry a closed date.
OPEN: frozenset[S] = frozenset({S.MADE, S.IN_PROGRESS})
CLOSED: frozenset[S] = frozenset({S.WON, S.PARTIALLY_WON, S.REJECTED, S.WITHDRAWN})


def allowed_next(status: S) -> tuple[S, ...]:
    return ALLOWED[status]


def is_allowed(current: S, new: S) -> bool:
    return new in ALLOWED[current]


def table_markdown() -> str:
    """The table as it appears in docs/statuses.md."""
    lines = ["| from | may move to |", "|---|---|"]
    for current, targets in ALLOWED.items():
        lines.append(f"| `{current.value}` | " + ", ".join(f"`{t.value}`" for t in targets) + " |")
    return "\n".join(lines) + "\n"
