"""The array-module choice: numpy always, CuPy only on request, with a clear error when unavailable."""
import numpy
import pytest

from kernels.backend import BackendUnavailable, get_xp, to_numpy


def test_numpy_is_the_default() -> None:
    assert get_xp() is numpy and get_xp("numpy") is numpy
    assert isinstance(to_numpy([1.0, 2.0]), numpy.ndarray)


def test_cupy_without_a_gpu_is_a_clear_error() -> None:
    try:
        get_xp("cupy")
    except BackendUnavailable as exc:
        assert str(exc).startswith("CuPy backend unavailable:")
    else:  # a machine with CuPy and a GPU: the module works
        pass


def test_unknown_backend() -> None:
    with pytest.raises(BackendUnavailable, match="unknown backend 'jax'"):
        get_xp("jax")
