# The hospital career advisor. `make run` serves the bot, `make test` tests it;
# both build what they need first. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)

RASA_VENV := .venv/rasa
ACTIONS_VENV := .venv/actions
RASA := $(RASA_VENV)/bin/rasa
MODEL := models/career-advisor.tar.gz
WEBCHAT := web/node_modules/rasa-webchat/lib/index.js
TRAINING_DATA := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
RASA_TEST_OUT := results/rasa-test
RETRIEVAL := $(ACTIONS_VENV)/bin/python -m retrieval
# pytest-xdist workers for the end-to-end tier, each with its own bot (about 1.5 GB). Three
# on two cores: a worker mostly waits on a server, and two left a quarter of the CPU idle.
E2E_WORKERS ?= 3
PY_DIRS := actions components retrieval understanding learning_from_use planning intranet_site local_cluster rasa_sdk_plugins serving scripts tests bench

.PHONY: help setup chromium services train index ingest eval tune nlu-choice report review approve run cluster shell audit test test-checks test-unit test-integration test-conversations test-e2e validate lint bench bench-load clean

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

setup: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed $(WEBCHAT)  ## build both virtual environments and the web widget (idempotent)

$(RASA_VENV)/.installed: requirements/rasa.txt
	scripts/make-venv $(RASA_VENV) 3.10 requirements/rasa.txt

$(ACTIONS_VENV)/.installed: requirements/actions.txt
	scripts/make-venv $(ACTIONS_VENV) 3.11 requirements/actions.txt

# rasa-webchat from npm, pinned with integrity hashes in web/package-lock.json; the intranet
# site serves its prebuilt bundle from this machine.
$(WEBCHAT): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed to install the chat widget (apt-get install npm)" >&2; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

chromium:  ## install Debian's Chromium for the browser tests if it is missing (needs root)
	scripts/install-chromium

services:  ## install Debian's PostgreSQL and Redis for the persistence tests if missing (needs root)
	scripts/install-services

train: $(MODEL)  ## train the model if the training data or config changed

$(MODEL): $(TRAINING_DATA) $(RASA_VENV)/.installed
	$(RASA) train --fixed-model-name career-advisor --out models

# The check is cheap (hashes the entries, loads no model), so it runs every time and
# also catches a changed model (ADVISOR_EMBEDDING_MODEL) or settings file.
index: $(ACTIONS_VENV)/.installed  ## build the knowledge index if knowledge, model or chunking changed
	$(RETRIEVAL) build --if-needed

ingest: $(ACTIONS_VENV)/.installed  ## add documents to the knowledge base: make ingest FILES="a.pdf b.html"
	@test -n "$(FILES)" || { echo 'usage: make ingest FILES="handbook.pdf intranet-page.html notes.md"'; exit 2; }
	$(RETRIEVAL) ingest $(FILES)
	$(RETRIEVAL) build

eval: setup train index  ## the whole bot over REST on tests/messages (held-out and dev); retrieval: dense, BM25, hybrid, ResponseSelector
	$(ACTIONS_VENV)/bin/python -m bench.dialogue_eval --commit "$$(git rev-parse --short HEAD 2>/dev/null)"
	$(RETRIEVAL) export-faq results/eval/faq.json
	$(RASA_VENV)/bin/python bench/response_selector_eval.py results/eval/faq.json results/eval/response_selector.json
	$(RETRIEVAL) eval --response-selector results/eval/response_selector.json

tune: setup index  ## suggest answer bands from the dev and calibration sets (copy them into retrieval.yml)
	$(RETRIEVAL) tune

# Reads the tracker store the bot writes to (TRACKER_STORE_URL, else var/data/conversations.db).
report: setup  ## usage report from the stored conversations: results/report/index.html and its plots
	$(ACTIONS_VENV)/bin/python -m learning_from_use report

review: setup  ## candidate paraphrases and new entries from use, to approve in var/review/knowledge-review.yml
	$(ACTIONS_VENV)/bin/python -m learning_from_use review

approve: setup  ## add the approved items of the review file to knowledge/ and rebuild the index
	$(ACTIONS_VENV)/bin/python -m learning_from_use approve

run: setup train index  ## set up if needed, then serve the bot, the intranet page and the FAQ (Ctrl-C stops it)
	$(ACTIONS_VENV)/bin/python -m serving run

cluster: setup train index services  ## two Rasa and two action servers behind nginx, sharing PostgreSQL and Redis (Ctrl-C stops it)
	$(ACTIONS_VENV)/bin/python -m local_cluster

shell: setup train index  ## chat with the bot in this terminal (starts the action server too)
	$(ACTIONS_VENV)/bin/python -m serving shell

validate: $(RASA_VENV)/.installed  ## check domain, data and stories for consistency
	$(RASA) data validate

lint: $(ACTIONS_VENV)/.installed  ## ruff over all Python code
	$(ACTIONS_VENV)/bin/ruff check $(PY_DIRS)
	$(ACTIONS_VENV)/bin/ruff format --check $(PY_DIRS)

test-unit: setup  ## fast tier, plain Python only: actions, packages and project rules (action env), Rasa components (Rasa env)
	$(ACTIONS_VENV)/bin/python -m pytest tests/unit --ignore=tests/unit/components
	$(RASA_VENV)/bin/python -m pytest tests/unit/components

test-conversations: setup train  ## rasa test on tests/conversations, failing on any prediction error
	$(RASA) test core --model $(MODEL) --stories tests/conversations \
	  --fail-on-prediction-errors --out $(RASA_TEST_OUT)

test-e2e: setup train index chromium services  ## real servers on free ports: REST, Slack events, the widget and FAQ in Chromium (E2E_WORKERS at once)
	$(ACTIONS_VENV)/bin/python -m pytest tests/e2e -n $(E2E_WORKERS) --dist loadgroup

test-integration: setup services  ## components against real services: the Redis lock store (Rasa env, a throwaway redis-server)
	$(RASA_VENV)/bin/python -m pytest tests/integration

# Built first, one at a time (chromium and services may both call apt-get); then the
# end-to-end tier runs beside the other tiers, on what CPU it leaves idle. Each tier's
# output is printed whole when it ends.
test: setup train index chromium services  ## everything CI runs
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target test-e2e test-checks

test-checks: lint validate test-unit test-integration test-conversations  ## every tier but the end-to-end one

nlu-choice: setup index  ## train and serve each NLU candidate: accuracy on tests/messages, cost, CPU per message, load
	$(ACTIONS_VENV)/bin/python -m bench.nlu_choice

bench: setup train index  ## start-up, memory, latency, training time; retrieval and FAQ-turn speed; intranet site; make report; turns 1-50 vs 250-300 of one long conversation
	$(ACTIONS_VENV)/bin/python -m bench.startup
	$(ACTIONS_VENV)/bin/python -m bench.retrieval_speed
	$(ACTIONS_VENV)/bin/python -m bench.intranet_site
	$(ACTIONS_VENV)/bin/python -m bench.report_speed
	$(ACTIONS_VENV)/bin/python -m bench.long_conversation

audit: setup  ## pip-audit on both environments against PyPI's vulnerability data (needs that service)
	scripts/audit

bench-load: setup train index services  ## locust on REST, one server then the cluster: bench/results/load.{json,md,png}
	$(ACTIONS_VENV)/bin/python -m bench.load

clean:  ## remove the trained model, the index and test output (keeps the environments, var/ingested and var/data)
	rm -rf models results .rasa var/index
