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
TRAINING_DATA := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
RASA_TEST_OUT := results/rasa-test

.PHONY: help setup train run shell test test-unit test-conversations test-e2e validate lint bench clean

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

setup: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed  ## build both virtual environments (idempotent)

$(RASA_VENV)/.installed: requirements/rasa.txt
	scripts/make-venv $(RASA_VENV) 3.10 requirements/rasa.txt

$(ACTIONS_VENV)/.installed: requirements/actions.txt
	scripts/make-venv $(ACTIONS_VENV) 3.11 requirements/actions.txt

train: $(MODEL)  ## train the model if the training data or config changed

$(MODEL): $(TRAINING_DATA) $(RASA_VENV)/.installed
	$(RASA) train --fixed-model-name career-advisor --out models

run: setup train  ## set up if needed, then serve the bot (Ctrl-C stops it)
	scripts/serve

shell: setup train  ## chat with the bot in this terminal (starts the action server too)
	scripts/serve shell

validate: $(RASA_VENV)/.installed  ## check domain, data and stories for consistency
	$(RASA) data validate

lint: $(ACTIONS_VENV)/.installed  ## ruff over all Python code
	$(ACTIONS_VENV)/bin/ruff check actions components tests bench
	$(ACTIONS_VENV)/bin/ruff format --check actions components tests bench

test-unit: setup  ## fast tier: actions and project rules (action env), Rasa components (Rasa env)
	$(ACTIONS_VENV)/bin/python -m pytest tests/unit --ignore=tests/unit/components
	$(RASA_VENV)/bin/python -m pytest tests/unit/components

test-conversations: setup train  ## rasa test on tests/conversations, failing on any prediction error
	$(RASA) test core --model $(MODEL) --stories tests/conversations \
	  --fail-on-prediction-errors --out $(RASA_TEST_OUT)

test-e2e: setup train  ## start the real servers on free ports and talk to them over REST
	$(ACTIONS_VENV)/bin/python -m pytest tests/e2e

test: setup train lint validate test-unit test-conversations test-e2e  ## everything CI runs

bench: setup train  ## start-up, memory, latency and training time beside the stock rasa init bot
	$(ACTIONS_VENV)/bin/python -m bench.startup

clean:  ## remove the trained model and test output (keeps the environments)
	rm -rf models results .rasa
