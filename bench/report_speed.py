"""Time and memory of `make report` on tracker stores of growing size, with the empty store
(imports and an empty page) run the same way in the same run as the baseline.

    .venv/actions/bin/python -m bench.report_speed [--sizes 1000 10000] [--rounds 2]

Each store is an SQLite file written the way Rasa writes one (tests/unit/learning_from_use):
per conversation a session, three answers (about 70% confident, 15% unsure, 15% declined,
the declined ones drawn from a few hundred distinct unanswered questions), a rating on
a third of the answers and a plan form in one conversation of ten.
Writes bench/results/report_speed.json and bench/results/report_speed.md.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
import yaml

from bench.startup import RESULTS
from learning_from_use.answer_records import AnswerRecord, Outcome, Rating, RatingRecord, Via
from learning_from_use.store_writer import StoreWriter
from serving import REPO_ROOT
from serving.processes import ACTIONS_PYTHON, server_env

DEV_SET = REPO_ROOT / "tests/retrieval_dev_set.yml"
START = 1_790_000_000.0  # 2026-09-21
TOPICS = ["parking", "the cafeteria", "night shifts", "payslips", "annual leave", "uniforms", "the gym",
          "childcare", "locker keys", "flu jabs", "visitor badges", "pension"]  # fmt: skip
FORMS = ["where is {}", "how do I sort out {}", "who handles {} for staff", "what is the rule on {}",
         "can you help with {}", "question about {} please", "is there a policy on {}"]  # fmt: skip

SIZES = [1000, 10000]


def fill(path: Path, conversations: int, seed: int = 7) -> int:
    """A store of `conversations` made-up conversations; returns how many events it holds."""
    rng = random.Random(seed)
    questions = [case["q"] for case in yaml.safe_load(DEV_SET.read_text())["in_domain"]]
    unanswered = [form.format(topic) for topic in TOPICS for form in FORMS]
    unanswered += [f"{q} at {site}" for q in unanswered for site in ("the north site", "St Anne's", "home")]
    store = StoreWriter(f"sqlite:///{path}")
    rows = []
    for number in range(conversations):
        sender, at = f"bench-{number}", START + number * 600 + rng.random()
        rows.append((sender, {"event": "session_started"}, at))
        for turn in range(3):
            roll = rng.random()
            if roll < 0.70:
                entry, topic = f"entry-{rng.randrange(48)}", rng.choice(["skills", "certifications"])
                record = AnswerRecord(
                    rng.choice(questions), Outcome.CONFIDENT, Via.TYPED, 0.7, entry, None, topic
                )
            elif roll < 0.85:
                record = AnswerRecord(rng.choice(questions), Outcome.UNSURE, Via.TYPED, 0.58)
            else:
                record = AnswerRecord(rng.choice(unanswered), Outcome.DECLINED, Via.TYPED, 0.3)
            rows.append(
                (sender, {"event": "slot", "name": "answer_record", "value": record.as_slot()}, at + turn)
            )
            if record.outcome is Outcome.CONFIDENT and rng.random() < 0.33:
                rating = RatingRecord.for_answer(rng.choice(list(Rating)), record)
                rows.append(
                    (sender, {"event": "slot", "name": "answer_rating", "value": rating.as_slot()}, at + turn)
                )
        if rng.random() < 0.1:
            rows.append((sender, {"event": "active_loop", "name": "career_plan_form"}, at + 5))
    store.add_many(rows)
    return len(rows)


def run_report(store: str, out: Path, log: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of the report command (as `make report` runs it)."""
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ACTIONS_PYTHON), "-m", "learning_from_use", "report", "--store", store, "--out", str(out)],
            env=server_env(), cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(log.read_text())
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def measure(sizes: list[int], rounds: int) -> dict:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in [0, *sizes]:
            path = Path(tmp) / f"store-{size}.db"
            events = fill(path, size) if size else 0
            times, peaks = [], []
            for round_ in range(rounds):
                out = Path(tmp) / f"report-{size}-{round_}"
                seconds, peak = run_report(f"sqlite:///{path}", out, Path(tmp) / "report.log")
                times.append(seconds)
                peaks.append(peak)
            rows.append({
                "conversations": size, "events": events,
                "median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times],
                "peak_rss_mib": round(max(peaks)),
            })  # fmt: skip
            print(f"{size:>6} conversations ({events} events): {rows[-1]['median_s']} s")
    baseline = rows[0]["median_s"]
    for row in rows:
        row["ratio_to_empty_store"] = round(row["median_s"] / baseline, 2)
    return {"machine": platform.platform(), "cpus": os.cpu_count(), "rounds": rounds, "rows": rows}


def summary(results: dict) -> str:
    lines = [
        "# `make report` on stores of growing size",
        "",
        f"{results['machine']}, {results['cpus']} CPUs, median of {results['rounds']} runs each. "
        "The empty store is the baseline (imports and an empty page; the embedding model loads only "
        "when there are unanswered questions to group).",
        "",
        "| conversations | events | seconds | ratio to empty store | peak RSS (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["rows"]:
        lines.append(
            f"| {row['conversations']:,} | {row['events']:,} | {row['median_s']} | "
            f"{row['ratio_to_empty_store']} | {row['peak_rss_mib']} |"
        )
    return "\n".join(lines) + "\n"


def main(
    sizes: Annotated[
        list[int], typer.Option("--size", help="conversations in a store (repeat for more)")
    ] = SIZES,
    rounds: Annotated[int, typer.Option(help="reports per size (the median is kept)")] = 2,
) -> None:
    """How long `make report` takes on stores of growing size."""
    results = measure(sizes, rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report_speed.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "report_speed.md").write_text(summary(results))
    print(summary(results))


if __name__ == "__main__":
    typer.run(main)
