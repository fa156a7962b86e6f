"""Initializers: the statistics they promise, their seeds, and their agreement with torch.nn.init."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from graphapp.core.train.errors import OptionError
from graphapp.core.train.init import fans, initialize, make_initializer

SHAPE = (400, 300)  # fan_in 400, fan_out 300: 120,000 draws, std known to about 0.3 %


@pytest.mark.parametrize(("kind", "settings", "std"), [
    ("normal", {"std": 0.01}, 0.01),
    ("uniform", {"low": -0.2, "high": 0.2}, 0.4 / math.sqrt(12)),
    ("xavier_normal", {}, 1 / math.sqrt(400)),  # the lecture: 1/√n, n = previous layer's size
    ("xavier_uniform", {}, 1 / math.sqrt(400)),
    ("xavier_normal", {"fan": "avg"}, math.sqrt(2 / 700)),  # Glorot, torch
    ("xavier_uniform", {"fan": "avg"}, math.sqrt(2 / 700)),
    ("he_normal", {}, math.sqrt(2 / 400)),
    ("he_uniform", {}, math.sqrt(2 / 400)),
])
def test_mean_and_std(kind: str, settings: dict, std: float) -> None:
    w = initialize({"W": SHAPE}, make_initializer(kind, **settings), seed=3)["W"]
    assert w.shape == SHAPE
    assert abs(w.mean()) < 4 * std / math.sqrt(w.size)
    assert w.std() == pytest.approx(std, rel=0.01)
    if kind.endswith("uniform"):
        assert np.abs(w).max() <= math.sqrt(3) * std + 1e-12


@pytest.mark.parametrize(("ours", "settings", "theirs"), [
    ("xavier_normal", {"fan": "avg"}, torch.nn.init.xavier_normal_),
    ("xavier_uniform", {"fan": "avg"}, torch.nn.init.xavier_uniform_),
    ("he_normal", {}, torch.nn.init.kaiming_normal_),
    ("he_uniform", {}, torch.nn.init.kaiming_uniform_),
])
def test_same_spread_as_torch(ours: str, settings: dict, theirs) -> None:  # noqa: ANN001
    w = initialize({"W": SHAPE}, make_initializer(ours, **settings), seed=1)["W"]
    torch.manual_seed(0)
    t = theirs(torch.empty(SHAPE[::-1], dtype=torch.float64)).numpy()  # torch's Linear layout is (out, in)
    assert w.std() == pytest.approx(t.std(), rel=0.02)
    if ours.endswith("uniform"):  # the same bound (a normal's maximum is too noisy to compare)
        assert np.abs(w).max() == pytest.approx(np.abs(t).max(), rel=1e-3)


def test_constant_zeros_and_seeds() -> None:
    assert np.all(initialize({"b": (5,)}, make_initializer("zeros"))["b"] == 0)
    assert np.all(initialize({"b": (2, 3)}, make_initializer("constant", value=0.5))["b"] == 0.5)
    he = make_initializer("he")
    a, b, c = (initialize({"W1": (3, 4), "W2": (4, 2)}, he, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(a["W2"], b["W2"])
    assert not np.array_equal(a["W1"], c["W1"])
    assert fans((3, 4)) == (3, 4) and fans((5,)) == (5, 5) and fans(()) == (1, 1)


@pytest.mark.parametrize(("kind", "settings", "words"), [
    ("lecun", {}, "unknown initializer 'lecun'"),
    ("normal", {"sigma": 1}, "unknown setting 'sigma'"),
    ("normal", {"std": -1.0}, "'std' must be ≥ 0"),
    ("xavier", {"fan": "out"}, "'fan' must be"),
    ("uniform", {"low": 1.0, "high": 0.0}, "'low' must not exceed"),
])
def test_bad_initializers(kind: str, settings: dict, words: str) -> None:
    with pytest.raises(OptionError, match=words):
        make_initializer(kind, **settings)
