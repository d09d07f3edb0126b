"""Turn time late in one long conversation against its first turns, in the same run.

    .venv/actions/bin/python -m bench.long_conversation [--turns 300]

One sender talks for `--turns` turns without a pause (so the session never expires): FAQ
questions, small talk, thanks and ratings, over the REST channel of the real Rasa and action
servers. The first window (turns 1-50) is the baseline for the last one (turns 250-300);
the issue's target is a ratio of at most 1.3 for both p50 and p95.

Writes bench/results/long_conversation.json and bench/results/long_conversation.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer

from serving import REPO_ROOT
from serving.bot_servers import BotServers
from serving.processes import MODEL

RESULTS = REPO_ROOT / "bench/results"
# Stands for a click on the 👍 button of the answer just given.
RATE = "<click helpful>"
# What one person might say over a long sitting; cycled, so every window sees the same mix.
TURNS = [
    "hi there",
    "what does a health services manager actually do",
    RATE,
    "which certifications are worth getting for management",
    "thanks",
    "how much do medical and health services managers earn",
    "what degree do I need to become a manager",
    "ok",
    "is the job outlook good for managers",
    "tell me a joke",
]
TARGET_RATIO = 1.3


def window_figures(latencies_s: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds of one window of turns."""
    return {
        "p50_ms": round(statistics.median(latencies_s) * 1000, 1),
        "p95_ms": round(statistics.quantiles(latencies_s, n=20)[-1] * 1000, 1),
    }


def talk(bot: BotServers, turns: int) -> list[float]:
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    latencies, replies = [], []
    for turn in range(turns):
        message = TURNS[turn % len(TURNS)]
        if message == RATE:
            buttons = [button for reply in replies for button in reply.get("buttons", [])]
            message = next(b["payload"] for b in buttons if b["title"].startswith("👍"))
        sent = time.perf_counter()
        replies = bot.say(message, sender)
        latencies.append(time.perf_counter() - sent)
    return latencies


def summary_markdown(result: dict) -> str:
    first, last = result["turns_1_50"], result["turns_250_300"]
    lines = [
        "# Long conversation",
        "",
        f"{result['date']}, {result['machine']}; one sender, {result['turns']} turns without a pause,",
        "REST channel, real Rasa and action servers. The first window is the baseline.",
        "",
        "| window | p50 ms | p95 ms |",
        "| --- | ---: | ---: |",
        f"| turns 1-50 | {first['p50_ms']} | {first['p95_ms']} |",
        f"| turns 250-300 | {last['p50_ms']} | {last['p95_ms']} |",
        f"| ratio (target ≤ {TARGET_RATIO}) | {result['ratio_p50']} | {result['ratio_p95']} |",
        "",
    ]
    return "\n".join(lines)


def main(
    turns: Annotated[int, typer.Option(help="turns in the one conversation (at least 300)")] = 300,
) -> None:
    """Turn time late in one long conversation against its first turns."""
    if not MODEL.exists():
        raise SystemExit(f"no trained model at {MODEL}: run `make train` first")
    with tempfile.TemporaryDirectory() as tmp:
        bot = BotServers(Path(tmp))
        try:
            bot.start()
            bot.say("hello", sender="bench-warmup")
            latencies = talk(bot, max(turns, 300))
        finally:
            bot.stop()
    first, last = window_figures(latencies[:50]), window_figures(latencies[249:300])
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "turns": len(latencies),
        "turns_1_50": first,
        "turns_250_300": last,
        "ratio_p50": round(last["p50_ms"] / first["p50_ms"], 2),
        "ratio_p95": round(last["p95_ms"] / first["p95_ms"], 2),
        "latencies_ms": [round(latency * 1000, 1) for latency in latencies],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = summary_markdown(result)
    (RESULTS / "long_conversation.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "long_conversation.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    typer.run(main)
