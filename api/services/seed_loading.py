"""Reading and validating a seed file, with errors that name the file, line and key."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from api.errors import SeedFileError
from schema.seed_file import SeedFile


def read_seed_file(path: Path) -> SeedFile:
    """Parse and validate `path`; raise SeedFileError describing the first problems found."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedFileError(path, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise SeedFileError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    try:
        document = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SeedFileError(path, [f"{where}invalid YAML: {problem}"]) from exc
    if not isinstance(document, dict):
        raise SeedFileError(path, ["the top level must be a mapping with `format_version: 1`"])
    try:
        return SeedFile.model_validate(document)
    except ValidationError as exc:
        raise SeedFileError(path, [_describe(error, root) for error in exc.errors()]) from exc


def _describe(error: Any, root: yaml.Node | None) -> str:
    location = tuple(error["loc"])
    key = _format_location(location) or "(top level)"
    line = _line_of(root, location)
    prefix = f"line {line}: " if line else ""
    message = error["msg"].removeprefix("Value error, ")
    return f"{prefix}{key}: {message}"


def _format_location(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    """Follow a validation error's path through the YAML nodes to the line it points at."""
    line = node.start_mark.line + 1 if node is not None and location else None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                None,
            )
            if found is None:
                return line
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
