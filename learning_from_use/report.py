"""The usage report: one HTML page (Jinja2, escaped) with PNG plots (matplotlib) beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from handoff.store import HandoffCounts
from learning_from_use.answer_records import Outcome
from learning_from_use.question_clusters import QuestionCluster
from learning_from_use.usage import OUTCOMES, Usage

TEMPLATES = Path(__file__).parent / "templates"
TOP_N = 12
OUTCOME_COLOURS = {
    Outcome.CONFIDENT: "#2e7d32",
    Outcome.UNSURE: "#f9a825",
    Outcome.REFERRED: "#6a1b9a",
    Outcome.DECLINED: "#c62828",
}


@dataclass(frozen=True)
class Plot:
    file: str
    title: str
    description: str


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _labels(days: Sequence[date]) -> list[str]:
    return [day.strftime("%d %b") for day in days]


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    _pyplot().close(figure)


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plot_conversations(usage: Usage, path: Path) -> None:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 3.2))
    axes.bar(_labels(usage.days), [usage.conversations_per_day[d] for d in usage.days], color="#1565c0")
    axes.set_ylabel("conversations")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="x", rotation=45)
    _save(figure, path)


def plot_outcomes(usage: Usage, path: Path) -> None:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 3.2))
    labels = _labels(usage.days)
    bottom = [0.0] * len(usage.days)
    for outcome in OUTCOMES:
        shares = []
        for day in usage.days:
            counts = usage.outcomes_per_day.get(day)
            total = sum(counts.values()) if counts else 0
            shares.append(100 * counts[outcome] / total if total else 0.0)
        axes.bar(labels, shares, bottom=bottom, label=outcome.value, color=OUTCOME_COLOURS[outcome])
        bottom = [b + s for b, s in zip(bottom, shares, strict=True)]
    axes.set_ylabel("% of typed questions")
    axes.set_ylim(0, 100)
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1))
    axes.tick_params(axis="x", rotation=45)
    _save(figure, path)


def plot_horizontal(values: Mapping[str, float], path: Path, xlabel: str, colour: str = "#1565c0") -> None:
    plt = _pyplot()
    names = list(values)[::-1]
    figure, axes = plt.subplots(figsize=(8, 0.9 + 0.32 * max(1, len(names))))
    axes.barh([_shorten(n) for n in names], [values[n] for n in names], color=colour)
    axes.set_xlabel(xlabel)
    axes.xaxis.get_major_locator().set_params(integer=True)
    _save(figure, path)


def plot_helpfulness(usage: Usage, titles: Mapping[str, str], path: Path) -> None:
    plt = _pyplot()
    rated = usage.entry_ratings[:TOP_N][::-1]
    names = [_shorten(titles.get(r.entry_id, r.entry_id)) for r in rated]
    figure, axes = plt.subplots(figsize=(8, 0.9 + 0.32 * max(1, len(names))))
    axes.barh(names, [r.helpful for r in rated], color="#2e7d32", label="helpful")
    axes.barh(names, [r.not_helpful for r in rated], left=[r.helpful for r in rated], color="#c62828",
              label="not helpful")  # fmt: skip
    axes.set_xlabel("ratings")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="lower right")
    _save(figure, path)


def plot_plans(usage: Usage, path: Path) -> None:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 3.2))
    positions = range(len(usage.days))
    axes.bar([p - 0.2 for p in positions], [usage.plans_started_per_day[d] for d in usage.days], width=0.4,
             label="started", color="#90caf9")  # fmt: skip
    axes.bar([p + 0.2 for p in positions], [usage.plans_finished_per_day[d] for d in usage.days], width=0.4,
             label="finished", color="#1565c0")  # fmt: skip
    axes.set_xticks(list(positions), _labels(usage.days), rotation=45)
    axes.set_ylabel("plan forms")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend()
    _save(figure, path)


def draw_plots(
    usage: Usage, clusters: Sequence[QuestionCluster], titles: Mapping[str, str], out: Path
) -> list[Plot]:
    plots = [
        Plot("conversations_per_day.png", "Conversations per day", "Conversations started each day (UTC)."),
        Plot("answer_outcomes.png", "Confident, unsure, referred and declined answers",
             "Share of typed questions per day: answered, answered with \"did you mean\", pointed to who "
             "would know (the guides leave it open), or declined."),
        Plot("plan_forms.png", "Career plans started and finished",
             "Plan forms opened and plans built, per day."),
    ]  # fmt: skip
    plot_conversations(usage, out / plots[0].file)
    plot_outcomes(usage, out / plots[1].file)
    plot_plans(usage, out / plots[2].file)
    if usage.topics:
        plot_horizontal(dict(usage.topics.most_common(TOP_N)), out / "top_topics.png", "answers")
        plots.append(Plot("top_topics.png", "Top topics", "Topics of the answers given."))
    if usage.entry_ratings:
        plot_helpfulness(usage, titles, out / "helpfulness_per_entry.png")
        plots.append(
            Plot(
                "helpfulness_per_entry.png",
                "Helpfulness per entry",
                "Helpful and not helpful ratings per knowledge entry.",
            )
        )
    if clusters:
        sizes = {f"{c.title} ({i})": c.count for i, c in enumerate(clusters[:TOP_N], start=1)}
        plot_horizontal(sizes, out / "unanswered_clusters.png", "questions", colour="#c62828")
        what = (
            "Questions the bot declined or pointed elsewhere (the guides leave them open), or that people "
            "said it missed, grouped by meaning."
        )
        plots.append(Plot("unanswered_clusters.png", "Unanswered questions, grouped", what))
    return plots


def write_report(
    usage: Usage,
    clusters: Sequence[QuestionCluster],
    titles: Mapping[str, str],
    store: str,
    out: Path,
    handoffs: HandoffCounts | None = None,
) -> Path:
    """Writes out/index.html and its plots; on an empty store, a page that says so. With
    `handoffs`, the requests for a person: how many, answered, and the time to answer."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    plots = [] if usage.is_empty else draw_plots(usage, clusters, titles, out)
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    page = environment.get_template("report.html.j2").render(
        usage=usage,
        clusters=clusters,
        titles=titles,
        plots=plots,
        store=store,
        handoffs=handoffs,
        outcomes=OUTCOMES,
        totals=usage.outcome_totals(),
        top_n=TOP_N,
        generated=datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
