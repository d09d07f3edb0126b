"""Rasa's LogisticRegressionClassifier, with the fitted model kept as plain numbers.

Rasa keeps the fitted scikit-learn model as a skops file. Reading one imports skops.io,
which imports every scikit-learn module to list the types it trusts: on 2 CPUs that took
longer than loading the rest of the model (docs/operations.md, start-up), and every Rasa
start pays it: `make run`, each cluster replica, each restart. The fitted model is only
the intent names, one weight row per intent and the intercepts, so here they are kept as
JSON. Like skops (and unlike pickle), reading the file runs no code from it.

Training, features and predictions are Rasa's own; a model trained by Rasa's class (a
skops file) is not read by this one: train again (`make train` does when config.yml
changes).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

MODEL_FILE = "logistic_regression.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PlainLogisticRegressionClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier persisted as {"classes", "coef", "intercept", "n_iter"}."""

    def persist(self) -> None:
        fitted = {
            "classes": self.clf.classes_.tolist(),
            "coef": self.clf.coef_.tolist(),
            "intercept": self.clf.intercept_.tolist(),
            "n_iter": self.clf.n_iter_.tolist(),
        }
        with self._model_storage.write_to(self._resource) as model_dir:
            # Python writes floats in their shortest exact form: they read back bit for bit.
            (model_dir / MODEL_FILE).write_text(json.dumps(fitted))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PlainLogisticRegressionClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                fitted = json.loads((model_dir / MODEL_FILE).read_text())
        except (ValueError, FileNotFoundError):
            # Nothing was trained (no intent examples): untrained, as Rasa's class returns it.
            return component
        component.clf.classes_ = np.array(fitted["classes"], dtype=object)
        component.clf.coef_ = np.array(fitted["coef"], dtype=np.float64)
        component.clf.intercept_ = np.array(fitted["intercept"], dtype=np.float64)
        component.clf.n_iter_ = np.array(fitted["n_iter"], dtype=np.int32)
        component.clf.n_features_in_ = component.clf.coef_.shape[1]
        return component
