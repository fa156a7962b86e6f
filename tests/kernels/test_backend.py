"""The array-module choice: numpy always, CuPy only on request, with a clear error when unavailable."""
import importlib.util

import numpy
import pytest

from kernels.backend import BackendUnavailable, get_xp, to_numpy


def test_numpy_is_the_default() -> None:
    assert get_xp() is numpy and get_xp("numpy") is numpy
    assert isinstance(to_numpy([1.0, 2.0]), numpy.ndarray)


def test_cupy_without_cupy_is_a_clear_error() -> None:
    if importlib.util.find_spec("cupy") is not None:
        pytest.skip("CuPy is installed here; this checks the message on machines without it")
    with pytest.raises(BackendUnavailable, match="CuPy backend unavailable: No module named 'cupy'"):
        get_xp("cupy")


def test_unknown_backend() -> None:
    with pytest.raises(BackendUnavailable, match="unknown backend 'jax'"):
        get_xp("jax")
