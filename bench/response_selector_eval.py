"""Rasa's own ResponseSelector on the same FAQ data, for `make eval` (runs in the Rasa env).

Reads the JSON that `python -m retrieval export-faq` writes (entries with their
phrasings, and the dev set), trains an NLU model whose retrieval intent has one response
per entry, asks it every dev question, and writes each question's rank of the expected
entry and its best confidence. `python -m retrieval eval` turns those into the same
metrics as for its own methods.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

import yaml

CONFIG = {
    "recipe": "default.v1",
    "language": "en",
    "assistant_id": "response-selector-baseline",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "ResponseSelector", "epochs": 100, "retrieval_intent": "faq", "random_seed": 2026},
    ],
    "policies": [],
}
RANK_DEPTH = 10


def write_project(faq: dict, directory: Path) -> tuple[Path, Path, Path]:
    nlu = {
        "version": "3.1",
        "nlu": [
            {
                "intent": f"faq/{entry['id']}",
                "examples": "".join(f"- {q}\n" for q in [entry["title"], *entry["questions"]]),
            }
            for entry in faq["entries"]
        ],
    }
    domain = {
        "version": "3.1",
        "intents": ["faq"],
        "responses": {f"utter_faq/{entry['id']}": [{"text": entry["body"]}] for entry in faq["entries"]},
    }
    paths = directory / "config.yml", directory / "nlu.yml", directory / "domain.yml"
    for path, content in zip(paths, [CONFIG, nlu, domain], strict=True):
        path.write_text(yaml.safe_dump(content, sort_keys=False))
    return paths


async def ranked(agent, question: str) -> tuple[list[str], float]:
    parsed = await agent.parse_message(question)
    ranking = parsed.get("response_selector", {}).get("faq", {}).get("ranking", [])
    entries = [item["intent_response_key"].split("/", 1)[1] for item in ranking]
    return entries, (ranking[0]["confidence"] if ranking else 0.0)


async def evaluate(faq: dict, model: str) -> dict:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    in_domain = []
    for item in faq["in_domain"]:
        entries, top = await ranked(agent, item["q"])
        rank = next((n for n, e in enumerate(entries[:RANK_DEPTH], 1) if e in item["expect"]), None)
        in_domain.append({"rank": rank, "top_score": top})
    out_of_domain = [(await ranked(agent, question))[1] for question in faq["out_of_domain"]]
    return {"in_domain": in_domain, "out_of_domain": out_of_domain}


def main(faq_file: str, out_file: str) -> None:
    from rasa.model_training import train_nlu

    faq = json.loads(Path(faq_file).read_text())
    with tempfile.TemporaryDirectory() as workdir:
        config, nlu, domain = write_project(faq, Path(workdir))
        model = train_nlu(str(config), str(nlu), str(Path(workdir) / "models"), domain=str(domain))
        results = asyncio.run(evaluate(faq, model))
    Path(out_file).write_text(json.dumps(results))
    print(
        f"ResponseSelector scores for {len(results['in_domain'])} + {len(results['out_of_domain'])} questions"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
