"""Where the migrations and seed data live, in a source checkout and in an installed wheel."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """A top-level project folder: copied into the wheel under `api/bundled/`, read in place from a checkout."""
    packaged = _PACKAGE_DIR / "bundled" / name
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / name
