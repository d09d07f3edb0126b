"""Start-up, memory and page latency of the intranet site (widget page, FAQ, search endpoint),
with `/healthz` (no work at all) timed in the same run as the baseline for the ratios.

    .venv/actions/bin/python -m bench.intranet_site [--rounds 20]

Writes bench/results/intranet_site.json and bench/results/intranet_site.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Annotated

import requests
import typer
import yaml

from bench.startup import RESULTS, rss_mib
from serving import REPO_ROOT
from serving.bot_servers import IntranetSite

DEV_SET = REPO_ROOT / "tests/retrieval_dev_set.yml"


def timed_get(url: str, **params: str) -> float:
    started = time.perf_counter()
    response = requests.get(url, params=params, timeout=60)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def percentiles_ms(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1] * 1000, 1),
    }


def measure(rounds: int) -> dict:
    questions = [case["q"] for case in yaml.safe_load(DEV_SET.read_text())["in_domain"]]
    with tempfile.TemporaryDirectory() as tmp:
        site = IntranetSite(Path(tmp), socket_url="http://localhost:5005")
        started = time.perf_counter()
        site.start()
        pages_ready_s = time.perf_counter() - started
        # The model loads in the background; the first search waits for it if it has not finished.
        timed_get(f"{site.url}/api/search", q=questions[0])
        first_search_s = time.perf_counter() - started
        rss_at_rest = rss_mib(site.process.pid)
        try:
            samples: dict[str, list[float]] = {
                "healthz": [],
                "home": [],
                "faq": [],
                "faq_entry": [],
                "search": [],
            }
            for round_number in range(rounds):
                samples["healthz"].append(timed_get(f"{site.url}/healthz"))
                samples["home"].append(timed_get(f"{site.url}/"))
                samples["faq"].append(timed_get(f"{site.url}/faq"))
                samples["faq_entry"].append(timed_get(f"{site.url}/faq/hsm-certifications"))
                for question in questions[round_number::rounds][:5]:
                    samples["search"].append(timed_get(f"{site.url}/api/search", q=question))
            rss_after = rss_mib(site.process.pid)
        finally:
            site.stop()
    latency = {name: percentiles_ms(values) for name, values in samples.items()}
    base = latency["healthz"]["p50_ms"]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "rounds": rounds,
        "pages_ready_s": round(pages_ready_s, 2),
        "first_search_answered_s": round(first_search_s, 2),
        "rss_mib_at_rest": round(rss_at_rest, 1),
        "rss_mib_after_load": round(rss_after, 1),
        "latency": latency,
        "p50_ratio_to_healthz": {name: round(value["p50_ms"] / base, 1) for name, value in latency.items()},
        "searches_timed": len(samples["search"]),
    }


def summary_markdown(result: dict) -> str:
    lines = [
        "# Intranet site benchmark",
        "",
        f"{result['date']}, {result['machine']}; {result['rounds']} rounds, "
        f"{result['searches_timed']} searches (dev-set questions). "
        "Baseline: `/healthz`, which does no work, timed in the same run.",
        "",
        f"- pages served {result['pages_ready_s']} s after start; first search answered after "
        f"{result['first_search_answered_s']} s (model and index load in the background)",
        f"- resident memory {result['rss_mib_at_rest']} MiB after the first search, "
        f"{result['rss_mib_after_load']} MiB after the run",
        "",
        "| request | p50 ms | p95 ms | p50 / healthz |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, value in result["latency"].items():
        lines.append(
            f"| {name} | {value['p50_ms']} | {value['p95_ms']} | {result['p50_ratio_to_healthz'][name]} |"
        )
    return "\n".join(lines) + "\n"


def main(rounds: Annotated[int, typer.Option(help="requests per page")] = 20) -> None:
    """Speed of the intranet site's pages and search."""
    result = measure(rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = summary_markdown(result)
    (RESULTS / "intranet_site.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "intranet_site.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    typer.run(main)
