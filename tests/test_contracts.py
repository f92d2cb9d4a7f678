"""The committed API contract matches the code, so clients see every change in review."""

import json

from api.contracts import OPENAPI_FILE, SDL_FILE, render_openapi, render_sdl


def test_openapi_contract_is_current() -> None:
    assert OPENAPI_FILE.read_text(encoding="utf-8") == render_openapi(), (
        "schema/openapi.json is out of date: run `python -m api.contracts` and commit the result"
    )


def test_graphql_sdl_contract_is_current() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == render_sdl(), (
        "schema/schema.graphql is out of date: run `python -m api.contracts` and commit the result"
    )


def test_every_operation_documents_its_errors_as_problems() -> None:
    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            assert operation.get("operationId"), (method, path)
            errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
            assert "422" in errors, f"{method.upper()} {path} documents no validation problem"
            for code, response in errors.items():
                assert list(response["content"]) == ["application/problem+json"], (method, path, code)


def test_every_operation_is_described_and_every_payload_has_an_example() -> None:
    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert operation.get("description"), (method, path)
            body = operation.get("requestBody")
            if body is None:
                continue
            if "application/json" not in body["content"]:
                # Uploads (a CSV file) carry their example on one of their media types.
                shown = [
                    media
                    for media in body["content"].values()
                    if media.get("example") or media.get("examples")
                ]
                assert shown, f"{method.upper()} {path}: no example"
                continue
            name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            schema = schemas[name]
            examples = schema.get("examples") or [p for p in schema["properties"].values() if "examples" in p]
            assert examples, f"{method.upper()} {path}: {name} has no example"
