"""The layers point one way: bot.app → bot.listeners → bot.unit_of_work; tracker/ never imports bot/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "bot" / "listeners").glob("*.py"))
                         + sorted((ROOT / "bot" / "render").glob("*.py"))
                         + [ROOT / "bot" / "unit_of_work.py"], ids=lambda p: p.name)
def test_listeners_renderers_and_the_unit_of_work_never_import_the_app(path: Path) -> None:
    assert "bot.app" not in imported_modules(path)


@pytest.mark.parametrize("path", sorted((ROOT / "tracker").rglob("*.py")), ids=lambda p: p.name)
def test_tracker_never_imports_bot(path: Path) -> None:
    assert not {m for m in imported_modules(path) if m == "bot" or m.startswith("bot.")}
