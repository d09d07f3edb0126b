"""Load on the REST channel with locust, for one server and for the cluster, in one run.

    .venv/actions/bin/python -m bench.load [--users 1 --users 5 ...] [--step-seconds 30]
                                           [--targets "one server" cluster]

For each target: start-up time to the first FAQ answer, resident memory of every process
at rest and its peak under load, then one headless locust run per step of users (the mix
in bench/locustfile.py) giving messages/s, p50/p95/p99 latency and errors. The knee is the
last step whose p95 stays within KNEE_FACTOR x the one-user p95 with under 1% errors.

Writes bench/results/load.json, load.md and load.png (latency and throughput against users).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import matplotlib
import typer

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import requests

from bench.startup import rss_mib
from local_cluster.__main__ import Cluster, Ports
from serving import REPO_ROOT
from serving.bot_servers import BotServers
from serving.processes import MODEL

RESULTS = REPO_ROOT / "bench/results"
USERS = [1, 5, 10, 20, 40]
TARGETS = ["one server", "cluster"]
LOCUST = REPO_ROOT / ".venv/actions/bin/locust"
LOCUSTFILE = REPO_ROOT / "bench/locustfile.py"
FIRST_QUESTION = "which certifications should I get?"
KNEE_FACTOR = 2.0
MAX_ERROR_SHARE = 0.01


class MemoryWatch:
    """Samples the resident memory of named processes once a second, keeping each one's peak."""

    def __init__(self, pids: Callable[[], dict[str, int]]) -> None:
        self.pids = pids
        self.peak: dict[str, float] = {}
        self.step_peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> dict[str, float]:
        return {name: round(rss_mib(pid), 1) for name, pid in self.pids().items()}

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, mib in self.now().items():
                self.peak[name] = max(self.peak.get(name, 0.0), mib)
                self.step_peak[name] = max(self.step_peak.get(name, 0.0), mib)
            self._stop.wait(1.0)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def first_answer(url: str) -> None:
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    reply = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": FIRST_QUESTION}, timeout=300,
    )  # fmt: skip
    reply.raise_for_status()
    if "_Source: " not in json.dumps(reply.json()):
        raise RuntimeError(f"the first FAQ answer has no source: {reply.text[:300]}")


def locust_step(url: str, users: int, seconds: int, workdir: Path) -> dict:
    prefix = workdir / f"step-{users}"
    subprocess.run(
        [str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--host", url, "--users", str(users),
         "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "30",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=REPO_ROOT, check=False, capture_output=True, text=True, timeout=seconds + 120,
    )  # fmt: skip
    rows = {row["Name"]: row for row in csv.DictReader((workdir / f"step-{users}_stats.csv").open())}
    total = rows["Aggregated"]
    count = int(total["Request Count"])
    return {
        "users": users,
        "messages": count,
        "messages_per_s": round(float(total["Requests/s"]), 2),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "errors": int(total["Failure Count"]),
        "error_share": round(int(total["Failure Count"]) / count, 4) if count else None,
        "p95_ms_by_kind": {name: float(row["95%"]) for name, row in rows.items() if name != "Aggregated"},
        "messages_by_kind": {
            name: int(row["Request Count"]) for name, row in rows.items() if name != "Aggregated"
        },
    }


def knee(steps: list[dict]) -> int | None:
    """The most users served before latency bends upward: p95 within KNEE_FACTOR x the first step's."""
    if not steps:
        return None
    base = steps[0]["p95_ms"]
    best = None
    for step in steps:
        if step["p95_ms"] > KNEE_FACTOR * base or (step["error_share"] or 0) > MAX_ERROR_SHARE:
            break
        best = step["users"]
    return best


def measure(name: str, url: str, pids: Callable[[], dict[str, int]], started_s: float, args) -> dict:
    watch = MemoryWatch(pids)
    at_rest = watch.now()
    steps = []
    with tempfile.TemporaryDirectory() as workdir, watch:
        for users in args.users:
            print(f"==> {name}: {users} users for {args.step_seconds} s", flush=True)
            watch.step_peak = {}
            step = locust_step(url, users, args.step_seconds, Path(workdir))
            step["peak_memory_mib"] = dict(watch.step_peak)
            steps.append(step)
            print(
                f"    {step['messages_per_s']} msg/s, p50 {step['p50_ms']:.0f} ms, "
                f"p95 {step['p95_ms']:.0f} ms, p99 {step['p99_ms']:.0f} ms, {step['errors']} errors",
                flush=True,
            )
    return {
        "start_to_first_answer_s": round(started_s, 1),
        "memory_at_rest_mib": at_rest,
        "peak_memory_under_load_mib": dict(watch.peak),
        "steps": steps,
        "knee_users": knee(steps),
    }


def one_server(args) -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        servers = BotServers(Path(workdir))
        started = time.monotonic()
        try:
            servers.start()
            first_answer(servers.rasa_url)
            started_s = time.monotonic() - started
            return measure(
                "one server",
                servers.rasa_url,
                lambda: {"rasa": servers.rasa.pid, "actions": servers.actions.pid},
                started_s,
                args,
            )
        finally:
            servers.stop()


def cluster(args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-cluster-"))
    os.chmod(data_dir, 0o755)
    ports = Ports.free()
    running = Cluster(ports, data_dir, MODEL)
    started = time.monotonic()
    try:
        running.start()
        url = f"http://127.0.0.1:{ports.front}"
        first_answer(url)
        started_s = time.monotonic() - started
        for _ in range(4):  # the second action server loads its model on its first question
            first_answer(url)

        def pids() -> dict[str, int]:
            found = {name: pid for name, pid in running.supervision.pids().items() if name != "site"}
            found["postgres"] = int((data_dir / "postgres/data/postmaster.pid").read_text().split()[0])
            return found

        return measure("cluster", url, pids, started_s, args)
    finally:
        running.stop()
        subprocess.run(["rm", "-rf", str(data_dir)], check=False)


def plot(results: dict, out: Path) -> None:
    fig, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    for (name, target), colour in zip(results["targets"].items(), ["tab:blue", "tab:orange"], strict=False):
        users = [step["users"] for step in target["steps"]]
        latency.plot(users, [s["p95_ms"] for s in target["steps"]], "o-", color=colour, label=f"{name} p95")
        latency.plot(
            users, [s["p50_ms"] for s in target["steps"]], "o--", color=colour, alpha=0.6, label=f"{name} p50"
        )
        throughput.plot(users, [s["messages_per_s"] for s in target["steps"]], "o-", color=colour, label=name)
        if target["knee_users"]:
            latency.axvline(target["knee_users"], color=colour, linestyle=":", alpha=0.7)
    latency.set(xlabel="simulated users (1-3 s think time)", ylabel="latency (ms)", yscale="log",
                title="REST reply latency")  # fmt: skip
    throughput.set(xlabel="simulated users", ylabel="messages / s", title="Throughput")
    for axes in (latency, throughput):
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
    fig.suptitle(f"Career advisor under load ({results['machine']['cpus']} CPUs; dotted line: knee)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def summary(results: dict) -> str:
    lines = [
        "# Load (make bench-load)",
        "",
        f"{results['machine']['cpus']} CPUs; locust, {results['step_seconds']} s per step; "
        "mix 70% FAQ / 20% plan form / 10% small talk; 1-3 s think time. Plot: load.png.",
        "",
        "| target | users | msg/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, target in results["targets"].items():
        for s in target["steps"]:
            lines.append(f"| {name} | {s['users']} | {s['messages_per_s']} | {s['p50_ms']:.0f} | "
                         f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {s['errors']} |")  # fmt: skip
    lines += [
        "",
        "| target | knee (users) | start to first answer s | memory at rest MiB | peak under load MiB |",
        "|---|---|---|---|---|",
    ]
    for name, target in results["targets"].items():
        rest = ", ".join(f"{k} {v:.0f}" for k, v in target["memory_at_rest_mib"].items())
        peak = ", ".join(f"{k} {v:.0f}" for k, v in target["peak_memory_under_load_mib"].items())
        lines.append(
            f"| {name} | {target['knee_users']} | {target['start_to_first_answer_s']} | {rest} | {peak} |"
        )
    return "\n".join(lines) + "\n"


def main(
    users: Annotated[
        list[int], typer.Option("--users", help="simulated users at a step (repeat for more)")
    ] = USERS,
    step_seconds: Annotated[int, typer.Option(help="how long each step lasts")] = 30,
    targets: Annotated[
        list[str], typer.Option("--target", help='"one server" or "cluster" (repeat for both)')
    ] = TARGETS,
) -> None:
    """Locust on REST, one server then the cluster."""
    run = {"one server": one_server, "cluster": cluster}
    unknown = set(targets) - set(run)
    if unknown:
        raise typer.BadParameter(f"unknown target(s) {sorted(unknown)}; choose from {sorted(run)}")
    args = SimpleNamespace(users=users, step_seconds=step_seconds)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "step_seconds": step_seconds,
        "mix": {"faq": 0.7, "plan form": 0.2, "small talk": 0.1},
        "knee_rule": (
            f"last step with p95 <= {KNEE_FACTOR} x the first step's p95 and < {MAX_ERROR_SHARE:.0%} errors"
        ),
        "targets": {name: run[name](args) for name in targets},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / "load.png")
    (RESULTS / "load.md").write_text(summary(results))
    print(summary(results))


if __name__ == "__main__":
    typer.run(main)
