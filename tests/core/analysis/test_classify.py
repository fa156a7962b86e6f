"""Decision grids and confusion matrices, on their own and from a trained 2-D classifier."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graphapp.core.analysis.classify import confusion_matrix, decision_grid, probabilities
from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.errors import StudioError


def test_probabilities_from_each_head() -> None:
    np.testing.assert_allclose(probabilities(np.array([[0.25]]), "probability"), [[0.75, 0.25]])
    np.testing.assert_allclose(probabilities(np.array([[0.0]]), "logits"), [[0.5, 0.5]])
    p = probabilities(np.array([[1.0, 2.0, 3.0]]), "logits")
    np.testing.assert_allclose(p[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())


def test_confusion_counts_true_rows_against_predicted_columns() -> None:
    m = confusion_matrix(np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0]), 3)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]


def test_grid_covers_the_data_and_calls_the_model_once() -> None:
    calls = []

    def proba(rows: np.ndarray) -> np.ndarray:
        calls.append(len(rows))
        p = (rows[:, 0] > 0).astype(float)
        return np.stack([1 - p, p], axis=1)
    g = decision_grid(proba, np.array([[-1.0, 0.0], [1.0, 2.0]]), n=11)
    assert calls == [121] and g.probs.shape == (11, 11, 2)
    assert g.xs[0] < -1 and g.xs[-1] > 1 and g.ys[0] < 0 and g.ys[-1] > 2
    assert (g.classes[:, g.xs > 0] == 1).all() and (g.classes[:, g.xs <= 0] == 0).all()
    with pytest.raises(StudioError, match="2 features"):
        decision_grid(proba, np.zeros((3, 4)))


def test_trained_moons_classifier_boundary_and_confusion(tmp_path: Path) -> None:
    run = run_lab(LabOptions("mlp", "moons", hidden=(16,), optimizer="adam", lr=0.05, steps=300))
    grid, counts = run.boundary(40), run.confusion()
    assert grid.probs.shape == (40, 40, 2) and np.allclose(grid.probs.sum(axis=2), 1.0)
    assert counts.sum() == run.prepared.test.n
    assert np.trace(counts) / counts.sum() == pytest.approx(run.result.final.test_accuracy)
    digits = run_lab(LabOptions("softmax_classifier", "digits", steps=1))
    with pytest.raises(StudioError, match="2 features"):
        digits.boundary()
    (tmp_path / "r.csv").write_text("x,y\n1,2.1\n2,3.9\n3,6.2\n4,8.1\n5,9.8\n", encoding="utf-8")
    regression = run_lab(LabOptions("linear_regression", str(tmp_path / "r.csv"), steps=1))
    with pytest.raises(StudioError, match="regression"):
        regression.confusion()
