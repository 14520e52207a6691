"""The layering rules that import-linter cannot express (it sees only top-level external packages)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("bot", "commands", "integrations", "models")
SLACK_CLIENTS = ("slack_bolt", "slack_sdk.web", "slack_sdk.errors", "slack_sdk.signature")


def imports_of(path: Path) -> list[tuple[str, ast.AST, bool]]:
    """(module, node, inside a function) for every import in a file."""
    tree = ast.parse(path.read_text())
    found: list[tuple[str, ast.AST, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.module, child, in_function))
            visit(child, inner)
    visit(tree, False)
    return found


def test_the_floor_reaches_slack_only_through_its_port() -> None:
    """commands/ builds Block Kit (slack_sdk.models) but never calls Slack: no Bolt, no Web API client.
    Fails if e.g. commands/chain.py imports AsyncWebClient or SlackApiError again."""
    offenders = [f"{path.relative_to(ROOT)}: {module}" for path in (ROOT / "commands").rglob("*.py")
                 for module, _, _ in imports_of(path) if module.startswith(SLACK_CLIENTS)]
    assert offenders == []


def test_no_import_hides_inside_a_function_in_shipped_code() -> None:
    """An import inside a function is how a cycle was dodged before (17 of them); the few left are lazy
    for start-up cost or an optional driver, and say so on the line. Fails if one is added without."""
    source_lines: dict[Path, list[str]] = {}
    offenders = []
    for package in SHIPPED:
        for path in (ROOT / package).rglob("*.py"):
            lines = source_lines.setdefault(path, path.read_text().splitlines())
            for module, node, in_function in imports_of(path):
                said = " ".join(lines[max(node.lineno - 3, 0):node.lineno])  # type: ignore[attr-defined]
                if in_function and not any(word in said for word in ("lazy", "optional", "only when chosen")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")  # type: ignore[attr-defined]
    assert offenders == []
