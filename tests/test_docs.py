"""The permission matrix and the transition table in docs/ are the ones the code enforces."""

from pathlib import Path

from api.services.permissions import matrix_markdown
from api.services.transitions import table_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _between(text: str, marker: str) -> str:
    return text.split(f"<!-- {marker}:start -->\n", 1)[1].split(f"<!-- {marker}:end -->", 1)[0]


def test_permission_matrix_doc_matches_the_code() -> None:
    assert _between((DOCS / "permissions.md").read_text(encoding="utf-8"), "matrix") == matrix_markdown()


def test_transition_table_doc_matches_the_code() -> None:
    assert _between((DOCS / "statuses.md").read_text(encoding="utf-8"), "transitions") == table_markdown()
