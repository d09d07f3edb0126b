"""Choosing the NLU by measurement: each candidate Rasa configuration, trained and served in
the same run, on the same held-out messages and the same load.

    .venv/actions/bin/python -m bench.nlu_choice [--candidates current diet-ted] [--label NAME]

For each candidate (a config file in bench/nlu_candidates/, or config.yml for "current"):
training time from scratch; start to the first answer; Rasa's resident memory at rest;
the held-out and dev sets played over REST (bench/dialogue_eval.py); CPU per message in
Rasa and in the action server over sequential short FAQ and small-talk turns (so the
ceiling in msg/s the cores allow); and msg/s at the knee of a short locust run (the mix
of bench/locustfile.py), beside the locust process's own CPU share. Results are merged
into bench/results/nlu_choice.json (one entry per candidate) and nlu_choice.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer

from bench.dialogue_eval import run_set
from bench.load import LOCUST, knee, locust_step
from bench.startup import rss_mib
from serving import REPO_ROOT
from serving.bot_servers import BotServers
from serving.processes import RASA, server_env

RESULTS = REPO_ROOT / "bench/results"
CHOSEN_BY_DEFAULT = ["current", "diet-ted"]
SETS = ["held_out", "dev"]
CANDIDATES = REPO_ROOT / "bench/nlu_candidates"
CPU_TURNS = [
    "which certifications should I get?", "hi", "how do i find a mentor", "thanks!",
    "what does a unit coordinator do", "are you a bot?", "do i need a masters to be a manager",
    "what can you do?", "how much do hospital managers make?", "bye",
]  # fmt: skip
CPU_ROUNDS = 12  # 120 turns
LOAD_USERS = [1, 5, 10, 20]
LOAD_STEP_S = 20
TICKS = os.sysconf("SC_CLK_TCK")


def config_of(candidate: str) -> Path:
    return REPO_ROOT / "config.yml" if candidate == "current" else CANDIDATES / f"{candidate}.yml"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants, in seconds."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def train(config: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(RASA), "train", "--force", "--config", str(config), "--fixed-model-name", "candidate",
         "--out", str(out)],
        cwd=REPO_ROOT, env={**server_env(), "RASA_MAX_CACHE_SIZE": "0"}, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return round(time.perf_counter() - started, 1)


def cpu_per_message(bot: BotServers) -> dict[str, float]:
    sender = f"cpu-{uuid.uuid4().hex[:8]}"
    rasa_before, actions_before = cpu_seconds(bot.rasa.pid), cpu_seconds(bot.actions.pid)
    started = time.perf_counter()
    turns = 0
    for _ in range(CPU_ROUNDS):
        for message in CPU_TURNS:
            bot.say(message, f"{sender}-{turns // 10}")  # a fresh conversation every ten turns
            turns += 1
    wall = time.perf_counter() - started
    rasa_ms = (cpu_seconds(bot.rasa.pid) - rasa_before) / turns * 1000
    actions_ms = (cpu_seconds(bot.actions.pid) - actions_before) / turns * 1000
    cores = os.cpu_count() or 1
    return {
        "turns": turns,
        "rasa_cpu_ms_per_message": round(rasa_ms, 1),
        "action_server_cpu_ms_per_message": round(actions_ms, 1),
        "sequential_wall_ms_per_message": round(wall / turns * 1000, 1),
        # Rasa handles messages on one core (one process); both servers share the cores.
        "ceiling_msg_s_one_rasa_process": round(1000 / rasa_ms, 1) if rasa_ms else None,
        "ceiling_msg_s_all_cores": round(cores * 1000 / (rasa_ms + actions_ms), 1)
        if rasa_ms + actions_ms
        else None,
    }


class LocustCpu:
    """CPU used by locust processes while a step runs (the load generator shares the cores)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _locust_cpu(self) -> float:
        total = 0.0
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    if "locust" in (proc / "cmdline").read_text(errors="ignore"):
                        total += cpu_seconds(int(proc.name))
                except (FileNotFoundError, ProcessLookupError, PermissionError):
                    continue
        return total

    def _run(self) -> None:
        last: dict = {}
        while not self._stop.is_set():
            last["cpu"] = self._locust_cpu()
            self.seconds = max(self.seconds, last["cpu"])
            self._stop.wait(0.5)

    def __enter__(self) -> LocustCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load(bot: BotServers, workdir: Path) -> dict:
    steps = []
    for users in LOAD_USERS:
        rasa_before, actions_before = cpu_seconds(bot.rasa.pid), cpu_seconds(bot.actions.pid)
        with LocustCpu() as locust:
            step = locust_step(bot.rasa_url, users, LOAD_STEP_S, workdir)
        step["cpu_share"] = {
            "rasa": round((cpu_seconds(bot.rasa.pid) - rasa_before) / LOAD_STEP_S, 2),
            "action_server": round((cpu_seconds(bot.actions.pid) - actions_before) / LOAD_STEP_S, 2),
            "locust": round(locust.seconds / LOAD_STEP_S, 2),
        }
        steps.append(step)
        print(f"    {users} users: {step['messages_per_s']} msg/s, p95 {step['p95_ms']:.0f} ms, "
              f"cpu {step['cpu_share']}", flush=True)  # fmt: skip
    at_knee = next((s for s in steps if s["users"] == knee(steps)), steps[0])
    return {"steps": steps, "knee_users": knee(steps), "msg_s_at_knee": at_knee["messages_per_s"],
            "max_msg_s": max(s["messages_per_s"] for s in steps)}  # fmt: skip


def measure(candidate: str, sets: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"nlu-{candidate}-") as tmp:
        workdir = Path(tmp)
        print(f"==> {candidate}: training", flush=True)
        training_s = train(config_of(candidate), workdir / "model")
        bot = BotServers(workdir, model=workdir / "model/candidate.tar.gz")
        started = time.perf_counter()
        try:
            bot.start()
            bot.say("which certifications should I get?", sender="nlu-first")
            first_answer_s = round(time.perf_counter() - started, 1)
            rest = {
                "rasa": round(rss_mib(bot.rasa.pid), 1),
                "action_server": round(rss_mib(bot.actions.pid), 1),
            }
            print(f"==> {candidate}: held-out and dev sets", flush=True)
            accuracy = {name: run_set(bot, name)["metrics"] for name in sets}
            print(f"==> {candidate}: CPU per message", flush=True)
            cpu = cpu_per_message(bot)
            print(f"==> {candidate}: load", flush=True)
            loaded = load(bot, workdir)
            peak = {
                "rasa": round(rss_mib(bot.rasa.pid), 1),
                "action_server": round(rss_mib(bot.actions.pid), 1),
            }
        finally:
            bot.stop()
    return {
        "config": str(config_of(candidate).relative_to(REPO_ROOT)),
        "training_s": training_s,
        "start_to_first_answer_s": first_answer_s,
        "memory_at_rest_mib": rest,
        "memory_after_load_mib": peak,
        "accuracy": accuracy,
        "cpu": cpu,
        "load": loaded,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def markdown(results: dict) -> str:
    names = list(results)
    rows = [
        ("held-out: questions right", lambda r: f"{r['accuracy']['held_out']['questions_right']:.1%}"),
        (
            "held-out: confidently wrong",
            lambda r: f"{r['accuracy']['held_out']['questions_confidently_wrong']:.1%}",
        ),
        ("held-out: form answers right", lambda r: f"{r['accuracy']['held_out']['form_answers_right']:.1%}"),
        ("held-out: personas planned", lambda r: f"{r['accuracy']['held_out']['personas_planned']:.1%}"),
        ("held-out: follow-ups right", lambda r: f"{r['accuracy']['held_out']['follow_ups_right']:.1%}"),
        (
            "held-out: out of scope declined",
            lambda r: f"{r['accuracy']['held_out']['out_of_scope_declined']:.1%}",
        ),
        (
            "held-out: plan requests started",
            lambda r: f"{r['accuracy']['held_out']['plan_requests_started']:.1%}",
        ),
        ("training from scratch (s)", lambda r: r["training_s"]),
        ("start to first answer (s)", lambda r: r["start_to_first_answer_s"]),
        ("Rasa resident memory at rest (MiB)", lambda r: r["memory_at_rest_mib"]["rasa"]),
        ("Rasa CPU per message (ms)", lambda r: r["cpu"]["rasa_cpu_ms_per_message"]),
        ("action server CPU per message (ms)", lambda r: r["cpu"]["action_server_cpu_ms_per_message"]),
        ("ceiling, one Rasa process (msg/s)", lambda r: r["cpu"]["ceiling_msg_s_one_rasa_process"]),
        ("ceiling, both servers on all cores (msg/s)", lambda r: r["cpu"]["ceiling_msg_s_all_cores"]),
        (
            "msg/s at the knee (locust)",
            lambda r: f"{r['load']['msg_s_at_knee']} at {r['load']['knee_users']} users",
        ),
        ("most msg/s (locust)", lambda r: r["load"]["max_msg_s"]),
    ]
    lines = ["# Choosing the NLU by measurement", "",
             "`python -m bench.nlu_choice` (bench/nlu_choice.py): each candidate trained and served",
             "in one run.", "",
             "| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]  # fmt: skip
    for label, value in rows:
        cells = []
        for name in names:
            try:
                cells.append(str(value(results[name])))
            except (KeyError, TypeError):
                cells.append("n/a")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    for name in names:
        share = [s["cpu_share"] for s in results[name].get("load", {}).get("steps", [])]
        if share:
            lines.append(f"- {name}: CPU share (cores) per load step {share}; {results[name]['when']}")
    return "\n".join(lines) + "\n"


def main(
    candidates: Annotated[
        list[str], typer.Option("--candidate", help="a pipeline (repeat for more)")
    ] = CHOSEN_BY_DEFAULT,
    sets: Annotated[list[str], typer.Option("--set", help="a message set (repeat for more)")] = SETS,
    label: Annotated[str | None, typer.Option(help="record the (single) candidate under this name")] = None,
) -> None:
    """Train and serve each NLU candidate: accuracy, cost, CPU per message, load."""
    if not LOCUST.exists():
        raise SystemExit(f"locust is missing ({LOCUST}): run `make setup`")
    store = RESULTS / "nlu_choice.json"
    results = json.loads(store.read_text()) if store.exists() else {}
    for candidate in candidates:
        results[label or candidate] = measure(candidate, sets)
        store.write_text(json.dumps(results, indent=1) + "\n")
        (RESULTS / "nlu_choice.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    typer.run(main)
