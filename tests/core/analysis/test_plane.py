"""The fast plane evaluation (analysis.plane) gives the straightforward landscape's numbers."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.analysis.landscape import landscape
from graphapp.core.analysis.plane import GraphLoss, affine_region, training_loss
from graphapp.core.expr import parse_expression
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.templates import mlp


def _both(run, **kw):  # noqa: ANN001, ANN003, ANN202
    fast = landscape(run.loss_at, run.result.params, run.path, plane=training_loss(run.trainer).plane, **kw)
    slow = landscape(run.loss_at, run.result.params, run.path, **kw)
    return fast, slow


@pytest.mark.parametrize("directions", ["random", "pca"])
def test_digits_mlp_plane_equals_the_straightforward_evaluation(directions: str) -> None:
    run = run_lab(LabOptions("mlp", "digits", hidden=(40, 20), batch_size=100, epochs=2))
    fast, slow = _both(run, grid=7, directions=directions)
    assert np.isfinite(slow.loss).all()
    np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-9, atol=0)
    assert fast.center_loss == slow.center_loss


def test_regularized_mlp_and_moving_biases_give_the_same_numbers() -> None:
    # L2 reads the weights directly, batch_norm (evaluation mode, its running statistics) follows Z1,
    # dropout is the identity when evaluating; with keep_biases the biases move along the plane too
    run = run_lab(LabOptions("mlp", "moons", hidden=(16, 8), steps=40, batch_size=50, dropout=0.2, batch_norm=True,
                             l2=0.01))
    assert {"BN1", "drop1", "L2_W1"} <= set(run.graph.nodes)
    for keep in (False, True):
        fast, slow = _both(run, grid=5, keep_biases=keep)
        np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-9, atol=0)


def test_float32_runs_agree_to_float32_rounding() -> None:
    run = run_lab(LabOptions("mlp", "digits", hidden=(30,), steps=20, batch_size=100, dtype="float32"))
    fast, slow = _both(run, grid=5)
    np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-5)


def test_the_affine_region_stops_at_the_first_nonlinearity() -> None:
    g = mlp(load_dataset("digits"), (8, 4), "relu", seed=0, l2=0.1)
    assert affine_region(g, {"W1", "W2", "W3"}) == {"W1", "W2", "W3", "XW1", "Z1"}
    # A1·W2 is affine in W2 while A1 stays: the region then starts at the second layer
    assert affine_region(g, {"W2"}) == {"W2", "A1W2", "Z2"}
    assert affine_region(g, {"b1"}) == {"b1", "Z1"}


def test_an_overflowing_point_is_a_hole_as_in_the_straightforward_evaluation() -> None:
    g = parse_expression("L = sum(exp(x * w))", {"x": [300.0, 1.0], "w": 1.0})
    loss = GraphLoss(g, "L", {})
    at = loss.plane({"w": np.asarray(1.0)}, {"w": np.asarray(1.0)}, {"w": np.asarray(0.0)})
    assert at(0.0, 0.0) == pytest.approx(np.exp(300.0) + np.e)
    assert np.isnan(at(5.0, 0.0))  # exp(1800) overflows: NaN, not an error
    assert at(0.5, 0.0) == pytest.approx(np.exp(450.0) + np.exp(1.5))
