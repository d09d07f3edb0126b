from __future__ import annotations

import sys

import numpy as np
from scipy.sparse import csr_matrix

from components.intent_classifier import MODEL_FILE, PlainLogisticRegressionClassifier


def fitted_classifier(component_args) -> tuple[PlainLogisticRegressionClassifier, csr_matrix]:
    classifier = PlainLogisticRegressionClassifier.create({}, **component_args)
    features = csr_matrix(np.random.default_rng(7).random((60, 12)))
    classifier.clf.fit(features, ["greet", "ask_skills", "deny"] * 20)
    return classifier, features


def test_the_fitted_model_reads_back_exactly_and_without_skops(component_args, monkeypatch):
    monkeypatch.setitem(sys.modules, "skops", None)  # importing skops now fails
    monkeypatch.setitem(sys.modules, "skops.io", None)
    classifier, features = fitted_classifier(component_args)

    classifier.persist()
    loaded = PlainLogisticRegressionClassifier.load({}, **component_args)

    assert list(loaded.clf.classes_) == ["ask_skills", "deny", "greet"]
    np.testing.assert_array_equal(loaded.clf.predict_proba(features), classifier.clf.predict_proba(features))
    with component_args["model_storage"].read_from(component_args["resource"]) as stored:
        assert [path.name for path in stored.iterdir()] == [MODEL_FILE]


def test_with_nothing_trained_it_loads_untrained_as_rasas_does(component_args):
    loaded = PlainLogisticRegressionClassifier.load({}, **component_args)

    assert not hasattr(loaded.clf, "coef_")
