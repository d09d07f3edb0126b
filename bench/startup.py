"""Training time, start-up time, memory and reply latency of the career advisor, measured
beside the stock `rasa init` bot in the same run, so ratios hold on a noisy machine.

    .venv/actions/bin/python -m bench.startup [--runs 3]

Writes bench/results/startup.json and bench/results/summary.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer

from serving import REPO_ROOT
from serving.bot_servers import BotServers
from serving.processes import MODEL, RASA, server_env

RESULTS = REPO_ROOT / "bench/results"
BASELINE_PROJECT = REPO_ROOT / "bench/.baseline"
MESSAGES = ["hello", "what can you do?", "which certifications should I get?", "tell me a joke", "thanks"]
LATENCY_ROUNDS = 10


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants: the action server serves
    from a Sanic worker process, which holds the embedding model."""
    total_kib = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:  # the process ended while we looked
            continue
        total_kib += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total_kib / 1024


def timed_training(project: Path, out: Path) -> float:
    """Trains from scratch: the training cache is off so both bots pay the full price."""
    env = {**server_env(), "RASA_MAX_CACHE_SIZE": "0"}
    started = time.perf_counter()
    subprocess.run(
        [str(RASA), "train", "--force", "--fixed-model-name", "bench", "--out", str(out)],
        cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def baseline_project() -> Path:
    """The bot `rasa init` creates, made once and kept (git ignores it)."""
    if not (BASELINE_PROJECT / "domain.yml").exists():
        BASELINE_PROJECT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(RASA), "init", "--no-prompt", "--init-dir", str(BASELINE_PROJECT)],
            env=server_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return BASELINE_PROJECT


def serve_and_measure(workdir: Path, **bot_args) -> dict[str, float]:
    workdir.mkdir(parents=True)
    bot = BotServers(workdir, **bot_args)
    started = time.perf_counter()
    try:
        bot.start()
        bot.say("hello", sender="bench-warmup")
        first_reply_s = time.perf_counter() - started
        latencies = []
        for _ in range(LATENCY_ROUNDS):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            for message in MESSAGES:
                sent = time.perf_counter()
                bot.say(message, sender)
                latencies.append(time.perf_counter() - sent)
        figures = {
            "start_to_first_reply_s": first_reply_s,
            "reply_latency_median_ms": statistics.median(latencies) * 1000,
            "reply_latency_p95_ms": statistics.quantiles(latencies, n=20)[-1] * 1000,
            "rasa_rss_mib": rss_mib(bot.rasa.pid),
        }
        if bot.actions is not None:
            figures["action_server_rss_mib"] = rss_mib(bot.actions.pid)
        return figures
    finally:
        bot.stop()


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(run[key] for run in runs), 2) for key in runs[0]}


def setup_noop_s() -> float:
    started = time.perf_counter()
    subprocess.run(
        ["make", "--no-print-directory", "setup"], cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL
    )
    return round(time.perf_counter() - started, 2)


def summary_markdown(result: dict) -> str:
    ours, base = result["career_advisor"], result["rasa_init_baseline"]
    lines = [
        "# Start-up benchmark",
        "",
        f"{result['date']}, {result['machine']}, median of {result['runs']} runs.",
        "Baseline: the stock `rasa init` bot, trained and served the same way in the same run.",
        "",
        "| figure | career advisor | rasa init | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, value in ours.items():
        if key in base:
            lines.append(f"| {key} | {value} | {base[key]} | {value / base[key]:.2f} |")
        else:
            lines.append(f"| {key} | {value} | n/a | n/a |")
    lines += ["", f"`make setup` when nothing changed: {result['setup_noop_s']} s", ""]
    return "\n".join(lines)


def main(runs: Annotated[int, typer.Option(help="server starts per bot (the median is kept)")] = 3) -> None:
    """Training time, start-up time, memory and latency beside the stock `rasa init` bot."""
    if not MODEL.exists():
        raise SystemExit(f"no trained model at {MODEL}: run `make train` first")

    baseline = baseline_project()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        train_ours = timed_training(REPO_ROOT, tmp_path / "ours")
        train_base = timed_training(baseline, tmp_path / "baseline")
        base_model = tmp_path / "baseline/bench.tar.gz"
        ours_runs, base_runs = [], []
        for run in range(runs):  # interleaved, so drift on the machine hits both alike
            ours_runs.append(serve_and_measure(tmp_path / f"ours-{run}", model=MODEL))
            base_runs.append(
                serve_and_measure(
                    tmp_path / f"base-{run}", project=baseline, model=base_model, with_actions=False
                )
            )

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "runs": runs,
        "setup_noop_s": setup_noop_s(),
        "career_advisor": {"train_from_scratch_s": round(train_ours, 1), **median_of(ours_runs)},
        "rasa_init_baseline": {"train_from_scratch_s": round(train_base, 1), **median_of(base_runs)},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = summary_markdown(result)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "summary.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    typer.run(main)
