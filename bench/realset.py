"""The real-news evaluation set (fixtures/real): check rebuilt texts, lay the set out for
`summarizer eval`, and print what it holds.

    python bench/realset.py TEXTS OUT     # TEXTS/<id>.txt as rebuilt (fixtures/real/README.md)
    summarizer eval OUT/dev               # the part we read and tune on
    summarizer eval OUT/test              # the part we only measure

Every text is checked against the sha256 in fixtures/real/sources.jsonl before it is
used: a text rebuilt with a different excerpt would score against the wrong gold. The
texts are other people's writing and never go into the repository; OUT must be outside it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


def sources() -> list[dict[str, object]]:
    lines = (REAL / "sources.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def assemble(texts: Path, out: Path) -> list[str]:
    """Copy each gold file and its verified text into OUT/<split>/; the problems found."""
    problems = []
    for source in sources():
        article_id, split = str(source["id"]), str(source["split"])
        text_path = texts / f"{article_id}.txt"
        try:
            text = text_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{text_path}: missing; rebuild it (fixtures/real/README.md)")
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != source["sha256"]:
            problems.append(
                f"{text_path}: sha256 {digest[:12]}... is not {str(source['sha256'])[:12]}...; "
                "rebuild it from the search result, whitespace stripped only at both ends"
            )
            continue
        folder = out / split
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        shutil.copyfile(REAL / split / f"{article_id}.json", folder / f"{article_id}.json")
    return problems


def summary() -> str:
    rows = sources()
    lines = [f"{'split':<6} {'articles':>8} {'outlets':>8} {'countries':>9}  beats"]
    for split in ("dev", "test"):
        part = [r for r in rows if r["split"] == split]
        beats = Counter(str(r["beat"]) for r in part)
        lines.append(
            f"{split:<6} {len(part):>8} {len({r['outlet'] for r in part}):>8} "
            f"{len({r['country'] for r in part}):>9}  "
            + ", ".join(f"{beat} {count}" for beat, count in beats.most_common())
        )
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0])
        print("usage: python bench/realset.py TEXTS OUT")
        print(summary())
        return 2
    texts, out = Path(sys.argv[1]), Path(sys.argv[2])
    problems = assemble(texts, out)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(summary())
    print(f"laid out in {out}/dev and {out}/test; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
