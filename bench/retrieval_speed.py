"""How fast the knowledge base answers: per question in-process, and a whole FAQ turn over REST.

    .venv/actions/bin/python -m bench.retrieval_speed

Baselines in the same run, so ratios hold on a noisy machine: dense-only and BM25-only
search beside the hybrid, and a small-talk turn (no action server call) beside the FAQ
turn. Writes bench/results/retrieval_speed.json and bench/results/retrieval_speed.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from retrieval.advisor import KnowledgeAdvisor
from retrieval.evaluation import DevSet, load_dev_set
from retrieval.knowledge_entries import load_entries
from serving import REPO_ROOT
from serving.bot_servers import BotServers

RESULTS = REPO_ROOT / "bench/results"
DEV_SET = REPO_ROOT / "tests/retrieval_dev_set.yml"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples_ms), 2),
        "p95_ms": round(statistics.quantiles(samples_ms, n=20)[-1], 2),
        "n": len(samples_ms),
    }


def outcome(replies: list[dict], expected_bodies: list[str]) -> str:
    """What the user saw: the expected answer, another answer, suggestions, or a decline."""
    text = replies[0].get("text", "") if replies else ""
    if "_Source: " in text:
        return (
            "expected_answer"
            if any(text.startswith(body[:60]) for body in expected_bodies)
            else "other_answer"
        )
    if "Did you mean" in text:
        return "did_you_mean"
    return "declined"


def in_process(questions: list[str]) -> dict:
    advisor = KnowledgeAdvisor()
    started = time.perf_counter()
    advisor.answer("warm up")
    first_load_s = time.perf_counter() - started
    searcher = advisor.searcher()
    results: dict = {"first_load_s": round(first_load_s, 2)}
    for mode in ("hybrid", "dense", "bm25"):
        samples = []
        for question in questions:
            started = time.perf_counter()
            searcher.search(question, k=8, mode=mode)
            samples.append((time.perf_counter() - started) * 1000)
        results[mode] = percentiles(samples)
    samples = []
    for question in questions:  # search plus banding, reload and staleness checks: what the action calls
        started = time.perf_counter()
        advisor.answer(question)
        samples.append((time.perf_counter() - started) * 1000)
    results["advisor_answer"] = percentiles(samples)
    return results


def over_rest(dev: DevSet) -> dict:
    """Every in-domain dev question through Rasa (NLU, policies) and the action server."""
    bodies = {entry.id: entry.body for entry in load_entries([REPO_ROOT / "knowledge"])}
    with tempfile.TemporaryDirectory() as workdir:
        bot = BotServers(Path(workdir))
        bot.start()
        try:
            started = time.perf_counter()
            bot.say(dev.in_domain[0].question, "bench-first")
            first_faq_s = time.perf_counter() - started
            faq, small_talk, outcomes = [], [], Counter()
            for item in dev.in_domain:
                # One short conversation per question, as people ask: a tracker hundreds
                # of turns long would slow Rasa down and measure that instead.
                sender = f"bench-{uuid.uuid4().hex[:8]}"
                started = time.perf_counter()
                replies = bot.say(item.question, sender)
                faq.append((time.perf_counter() - started) * 1000)
                outcomes[outcome(replies, [bodies[i] for i in item.expected])] += 1
                started = time.perf_counter()
                bot.say("hello", sender)
                small_talk.append((time.perf_counter() - started) * 1000)
        finally:
            bot.stop()
    return {
        "first_faq_answer_s": round(first_faq_s, 2),
        "faq_turn": percentiles(faq),
        "small_talk_turn": percentiles(small_talk),
        "in_domain_outcomes": dict(outcomes),
    }


def main() -> None:
    dev = load_dev_set(DEV_SET)
    questions = [item.question for item in dev.in_domain]
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "in_process": in_process(questions),
        "rest": over_rest(dev),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "retrieval_speed.json").write_text(json.dumps(report, indent=2) + "\n")
    ip, rest = report["in_process"], report["rest"]
    lines = [
        "# Retrieval speed",
        "",
        f"{len(questions)} dev-set questions, default model, {report['machine']['cpus']} CPUs.",
        "",
        "| what | p50 ms | p95 ms | ratio of p50 to hybrid search |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, key in [
        ("hybrid search", "hybrid"),
        ("dense only", "dense"),
        ("BM25 only", "bm25"),
        ("advisor.answer (search + checks + reply)", "advisor_answer"),
    ]:
        row = ip[key]
        lines.append(
            f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['p50_ms'] / ip['hybrid']['p50_ms']:.2f} |"
        )
    faq, talk = rest["faq_turn"], rest["small_talk_turn"]
    lines += [
        "",
        "| REST turn | p50 ms | p95 ms | ratio of p50 to small talk |",
        "| --- | ---: | ---: | ---: |",
        f"| FAQ question (Rasa + action server) | {faq['p50_ms']} | {faq['p95_ms']} | "
        f"{faq['p50_ms'] / talk['p50_ms']:.2f} |",
        f"| small talk (Rasa only) | {talk['p50_ms']} | {talk['p95_ms']} | 1.00 |",
        "",
        f"Loading model and index in-process: {ip['first_load_s']} s; "
        f"first FAQ answer over REST after start-up "
        f"(the action server warms up while Rasa starts): {rest['first_faq_answer_s']} s.",
        "",
        "What the user saw for each in-domain question through Rasa and the action server: "
        + ", ".join(
            f"{name.replace('_', ' ')} {count}" for name, count in sorted(rest["in_domain_outcomes"].items())
        )
        + f" (of {len(questions)}).",
        "",
    ]
    (RESULTS / "retrieval_speed.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
