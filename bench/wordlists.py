"""Lines of English word lists and regular expressions in summarizer/, per module.

Counts the module-level assignments whose value is a regex (re.compile and helpers that
build one), a set or tuple of words, or a string of words split into a set: the rules a
reader must edit to teach the tool a new shape of English. Run from the project root:
    python bench/wordlists.py [FOLDER]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

_BUILDERS = {"compile", "frozenset", "set", "_words", "_word_set", "_words_pattern"}


def _is_word_rule(value: ast.expr) -> bool:
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in _BUILDERS
    if isinstance(value, ast.BinOp):
        return _is_word_rule(value.left) or _is_word_rule(value.right)
    if isinstance(value, ast.Tuple | ast.Set):
        return len(value.elts) > 1 and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        )
    return False


def count(path: Path) -> tuple[int, int]:
    """(rules, lines) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rules = lines = 0
    for node in tree.body:
        assigned = isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
        if assigned and _is_word_rule(node.value):  # type: ignore[union-attr,arg-type]
            rules += 1
            lines += (node.end_lineno or node.lineno) - node.lineno + 1
    return rules, lines


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "summarizer")
    rows = [(str(p.relative_to(folder)), *count(p)) for p in sorted(folder.rglob("*.py"))]
    rows = [row for row in rows if row[1]]
    print(f"{'module':<28} {'rules':>6} {'lines':>6}")
    for name, rules, lines in rows:
        print(f"{name:<28} {rules:>6} {lines:>6}")
    print(f"{'total':<28} {sum(r[1] for r in rows):>6} {sum(r[2] for r in rows):>6}")


if __name__ == "__main__":
    main()
