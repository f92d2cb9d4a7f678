"""Inline SVG charts for the printable scorecard: drawn here, so the page needs no JavaScript or assets."""

from markupsafe import Markup, escape

from schema.enums import CampaignStatus
from schema.scorecards import Scorecard, ScoreSummary

# Print-friendly colours, from won (dark green) to not started (light grey).
STATUS_COLOURS: dict[CampaignStatus, str] = {
    CampaignStatus.WON: "#1a7f37",
    CampaignStatus.PARTIALLY_WON: "#74c476",
    CampaignStatus.IN_PROGRESS: "#2b6cb0",
    CampaignStatus.MADE: "#90cdf4",
    CampaignStatus.STALLED: "#f6ad55",
    CampaignStatus.REJECTED: "#c53030",
    CampaignStatus.WITHDRAWN: "#718096",
    CampaignStatus.NOT_STARTED: "#e2e8f0",
}
WIDTH = 640
LABEL_WIDTH = 210
BAR_WIDTH = 340
ROW = 26
FONT = "font-family:Helvetica,Arial,sans-serif;font-size:12px"


def label(status: CampaignStatus) -> str:
    return status.value.replace("_", " ")


def _short(name: str, limit: int = 30) -> str:
    """Fits the label column; the full name stays in the tables below the chart."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _rows(card: Scorecard) -> list[tuple[str, ScoreSummary]]:
    rows: list[tuple[str, ScoreSummary]] = [(_short(c.name), c) for c in card.categories]
    if len(rows) > 1:
        rows.append(("Overall", card.overall))
    return rows


def _svg(height: int, title: str, description: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH}px;{FONT}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>" + "".join(body) + "</svg>"
    )


def category_bars(card: Scorecard) -> Markup:
    """One bar per category (and overall): its score out of 100, with the grade bands as guides."""
    rows = _rows(card)
    top = 18
    height = top + ROW * len(rows) + 8
    body = []
    for index, (name, summary) in enumerate(rows):
        y = top + index * ROW
        width = BAR_WIDTH * summary.score / 100
        weight = "bold" if name == "Overall" else "normal"
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-weight="{weight}">'
            f"{escape(name)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="16" fill="#edf2f7"/>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="16" fill="#2b6cb0">'
            f"<title>{escape(name)}: {summary.score:.1f} ({escape(summary.grade)})</title></rect>"
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 15}" font-weight="{weight}">'
            f"{summary.score:.1f} · {escape(summary.grade)}</text>"
        )
    # The grade bands, drawn over the bars as guides.
    for band in card.rule.grades:
        if band.min_score <= 0:
            continue
        x = LABEL_WIDTH + BAR_WIDTH * band.min_score / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" stroke="#a0aec0" '
            f'stroke-dasharray="3 3"/><text x="{x:.1f}" y="{top - 7}" text-anchor="middle" '
            f'fill="#4a5568">{escape(band.grade)} {band.min_score:g}</text>'
        )
    return _svg(
        height,
        "Score by category",
        "; ".join(f"{name}: {s.score:.1f} ({s.grade})" for name, s in rows),
        body,
    )


def status_breakdown(card: Scorecard) -> Markup:
    """One stacked bar per category (and overall): how many leaf demands stand at each status."""
    rows = _rows(card)
    statuses = list(card.rule.precedence)
    legend_rows = (len(statuses) + 3) // 4
    top = 8
    bars_height = ROW * len(rows)
    height = top + bars_height + 12 + legend_rows * 18
    body = []
    for index, (name, summary) in enumerate(rows):
        y = top + index * ROW
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        x = float(LABEL_WIDTH)
        for status in statuses:
            count = summary.counts.get(status, 0)
            if not count or not summary.leaf_count:
                continue
            width = BAR_WIDTH * count / summary.leaf_count
            body.append(
                f'<rect class="segment" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="16" '
                f'fill="{STATUS_COLOURS[status]}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(name)}: {count} {label(status)}</title></rect>"
            )
            x += width
        body.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 15}">{summary.leaf_count} demands</text>'
        )
    legend_top = top + bars_height + 12
    for index, status in enumerate(statuses):
        x = 10 + (index % 4) * 155
        y = legend_top + (index // 4) * 18
        body.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{STATUS_COLOURS[status]}" stroke="#a0aec0" '
            f'stroke-width="0.5"/><text x="{x + 17}" y="{y + 10}">{label(status)}</text>'
        )
    return _svg(
        height,
        "Status breakdown",
        "; ".join(
            f"{name}: " + ", ".join(f"{s.counts.get(status, 0)} {label(status)}" for status in statuses)
            for name, s in rows
        ),
        body,
    )
