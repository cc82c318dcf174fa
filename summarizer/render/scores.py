"""An evaluation report as a plain-text table: one row per article and a micro total."""

from __future__ import annotations

from summarizer.evaluate import EvalReport, GroundingCounts, MatchCounts
from summarizer.schema import Usage

_ID_WIDTH = 28


def render_score_table(report: EvalReport) -> str:
    groups = f"{'actors':^17}  {'allegations':^17}  {'denials':^17}  {'grounded':^11} {'supp.':>5}"
    lines = [
        f"{'':<{_ID_WIDTH}} {groups}  {'tokens':^13}",
        f"{'article':<{_ID_WIDTH}} "
        + "  ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in range(3))
        + f"  {'exact':>5} {'fuzzy':>5} {'share':>5}  {'prompt':>6} {'compl':>6} {'seconds':>8}",
    ]
    for article in report.articles:
        name = article.score.article_id + ("" if article.has_record else " *")
        lines.append(
            _row(
                name,
                [article.score.actors, article.score.allegations, article.score.denials],
                article.score.grounding,
                article.usage,
                article.seconds,
            )
        )
    lines.append("-" * len(lines[1]))
    total = report.total
    lines.append(
        _row(
            f"micro total ({total.article_count})",
            [total.actors, total.allegations, total.denials],
            total.grounding,
            report.usage,
            report.seconds,
        )
    )
    if not all(article.has_record for article in report.articles):
        lines.append("* no record for this article: scored as an empty prediction")
    return "\n".join(lines) + "\n"


def _row(
    name: str, counts: list[MatchCounts], grounding: GroundingCounts, usage: Usage, seconds: float
) -> str:
    scores = "  ".join(f"{c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f}" for c in counts)
    return (
        f"{name[:_ID_WIDTH]:<{_ID_WIDTH}} {scores}  {_share(grounding.exact_share)} "
        f"{_share(grounding.fuzzy_share)} {_share(grounding.support_share)}  "
        f"{usage.prompt_tokens:>6} {usage.completion_tokens:>6} "
        f"{seconds:>8.1f}"
    )


def _share(value: float | None) -> str:
    return f"{'-':>5}" if value is None else f"{value:5.0%}"
