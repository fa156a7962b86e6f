"""The lecture's initialization experiment: saturation at std 1, collapse at 0.01, a spread with Xavier/He."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.analysis.histograms import BINS, activation_histograms
from graphapp.core.errors import StudioError


def edge_mass(counts: np.ndarray) -> float:
    return float(counts[:3].sum() + counts[-3:].sum()) / float(counts.sum())


def test_sigmoid_with_std_1_saturates_at_0_and_1() -> None:
    h = activation_histograms("sigmoid", "normal", 1.0, seed=0)
    assert len(h.layers) == 5 and all(l.counts.shape == (BINS,) and l.counts.sum() == 100_000 for l in h.layers)
    assert all(edge_mass(l.counts) > 0.6 for l in h.layers)  # most mass near 0 and 1: gradients vanish


def test_std_001_collapses_and_xavier_spreads() -> None:
    small = activation_histograms("sigmoid", "normal", 0.01, seed=0)
    assert all(l.std < 0.03 and abs(l.mean - 0.5) < 0.01 for l in small.layers)  # all near 0.5: no expressive power
    assert all(edge_mass(l.counts) == 0 for l in small.layers)
    xavier = activation_histograms("sigmoid", "xavier", seed=0)
    assert xavier.std == pytest.approx(0.1)
    for layer in xavier.layers:
        assert edge_mass(layer.counts) < 0.2 and 0.05 < layer.std < 0.3
        assert (layer.counts > 0).sum() > BINS // 2  # spread over most of the bins


def test_relu_with_he_keeps_its_spread_through_the_layers() -> None:
    he = activation_histograms("relu", "he", seed=0)
    xavier = activation_histograms("relu", "xavier", seed=0)
    assert he.layers[-1].std > 0.5 * he.layers[0].std  # He: about the same in every layer
    assert xavier.layers[-1].std < 0.5 * xavier.layers[0].std  # Xavier with ReLU: shrinks towards 0
    assert all(l.outside >= 0 for l in he.layers)


def test_seeded_and_refusing_bad_options() -> None:
    a, b = activation_histograms("tanh", seed=3), activation_histograms("tanh", seed=3)
    assert all((x.counts == y.counts).all() for x, y in zip(a.layers, b.layers))
    for kwargs, option in (({"activation": "softplus"}, "--activation"), ({"init": "zeros"}, "--init"),
                           ({"std": -1.0}, "--std"), ({"std": float("nan")}, "--std")):
        with pytest.raises(StudioError, match=option):
            activation_histograms(**kwargs)
