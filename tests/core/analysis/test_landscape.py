"""Loss landscapes: filter-normalized directions, the projected path, the centre's loss; the 1-D cost curve."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.analysis.landscape import cost_curve, filter_normalized, landscape, project
from graphapp.core.errors import StudioError


def test_directions_are_scaled_per_unit_and_biases_are_zeroed() -> None:
    rng = np.random.default_rng(1)
    params = {"W1": rng.normal(size=(5, 3)) * [1.0, 10.0, 0.1], "b1": np.ones(3)}
    d = filter_normalized(params, np.random.default_rng(0))
    np.testing.assert_allclose(np.linalg.norm(d["W1"], axis=0), np.linalg.norm(params["W1"], axis=0))
    assert not d["b1"].any()
    kept = filter_normalized(params, np.random.default_rng(0), keep_biases=True)
    assert np.linalg.norm(kept["b1"]) == pytest.approx(np.linalg.norm(params["b1"]))


def test_projection_recovers_points_in_the_plane() -> None:
    rng = np.random.default_rng(2)
    center = {"W": rng.normal(size=(4, 3))}
    d1, d2 = filter_normalized(center, rng), filter_normalized(center, rng)
    coords = [(0.3, -1.2), (0.0, 0.0), (2.0, 0.5)]
    path = [{"W": center["W"] + a * d1["W"] + b * d2["W"]} for a, b in coords]
    np.testing.assert_allclose(project(path, center, d1, d2), coords, atol=1e-12)


def test_landscape_of_a_trained_network_is_centred_on_its_loss() -> None:
    run = run_lab(LabOptions("xor_net", "xor", optimizer="sgd", lr=5.0, steps=300, test_fraction=0.0))
    land = run.landscape(grid=9)
    assert land.loss.shape == (9, 9) and land.center_loss == pytest.approx(run.result.final.train_loss)
    assert land.loss[4, 4] == pytest.approx(run.result.final.train_loss)  # the grid's middle point is θ*
    assert len(land.path) == len(run.path) and np.allclose(land.path[-1], 0.0)
    assert np.abs(land.path).max() <= land.alphas[-1]  # the square holds the whole path
    assert np.nanmin(land.loss) >= 0 and np.nanmax(land.loss) > land.center_loss
    with pytest.raises(StudioError, match="--grid"):
        landscape(run.loss_at, run.result.params, grid=2)


def test_cost_curve_is_the_lectures_parabola() -> None:
    w, cost, grad = cost_curve(points=9, w_min=-3, w_max=5)
    np.testing.assert_allclose(cost, (w - 1) ** 2 * 14 / 3)  # mean((W·x − x)²) = (W − 1)²·(1 + 4 + 9)/3
    np.testing.assert_allclose(grad, 2 * (w - 1) * 14 / 3)
    assert w[np.argmin(cost)] == 1.0


def test_pca_directions_show_the_path_where_random_ones_lose_it() -> None:
    run = run_lab(LabOptions("mlp", "digits", hidden=(32,), batch_size=100, epochs=3))
    random_plane, pca_plane = run.landscape(grid=3), run.landscape(grid=3, directions="pca")
    start = np.concatenate([np.ravel(run.path[0][k] - run.result.params[k]) for k in run.result.params])
    # the PCA plane holds most of the way from the start to θ*; a random plane hardly any of it
    assert np.linalg.norm(pca_plane.path[0]) > 0.9 * np.linalg.norm(start)
    rng = np.random.default_rng(0)
    d1, d2 = filter_normalized(run.result.params, rng), filter_normalized(run.result.params, rng)
    a, b = project(run.path[:1], run.result.params, d1, d2)[0]
    np.testing.assert_allclose(random_plane.path[0], (a, b))
    caught = np.concatenate([np.ravel(a * d1[k] + b * d2[k]) for k in run.result.params])
    assert np.linalg.norm(caught) < 0.3 * np.linalg.norm(start)
    assert pca_plane.loss[1, 1] == pytest.approx(run.result.final.train_loss)
    with pytest.raises(StudioError, match="at least 3 points"):
        landscape(run.loss_at, run.result.params, run.path[:2], grid=3, directions="pca")
    with pytest.raises(StudioError, match="--directions"):
        landscape(run.loss_at, run.result.params, run.path, grid=3, directions="hessian")
