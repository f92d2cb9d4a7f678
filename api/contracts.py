"""The published API contracts (OpenAPI and GraphQL SDL), written to `schema/` so reviewers see every change.

Run `python -m api.contracts` after changing the API; a test fails while they differ.
"""

import json
from pathlib import Path
from typing import Any

from api.app import create_app
from api.graphql.schema import build_schema
from api.settings import Settings

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "schema" / "openapi.json"
SDL_FILE = OPENAPI_FILE.with_name("schema.graphql")


def render_openapi() -> str:
    """The OpenAPI document as committed: stable key order, trailing newline."""
    # No database is touched: building the document needs only the routes.
    app = create_app(settings=Settings(database_url="sqlite://", _env_file=None))
    document: dict[str, Any] = app.openapi()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_sdl() -> str:
    """The GraphQL schema in SDL, as committed."""
    return build_schema(Settings(database_url="sqlite://", _env_file=None)).as_str() + "\n"


def main() -> None:
    OPENAPI_FILE.write_text(render_openapi(), encoding="utf-8")
    print(f"wrote {OPENAPI_FILE}")
    SDL_FILE.write_text(render_sdl(), encoding="utf-8")
    print(f"wrote {SDL_FILE}")


if __name__ == "__main__":
    main()
