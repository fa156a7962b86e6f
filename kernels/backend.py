"""Choice of array module (numpy or CuPy), made per call site, never globally at import."""
from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import numpy


class BackendUnavailable(RuntimeError):
    """Raised when a GPU backend is asked for on a machine that cannot provide it."""


def get_xp(name: str = "numpy") -> ModuleType:
    """Return the array module called `name` ("numpy" or "cupy")."""
    if name == "numpy":
        return numpy
    if name == "cupy":
        try:
            import cupy  # noqa: PLC0415 - optional extra, imported only on request
            cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:  # ImportError, or CUDA errors when no GPU is present
            raise BackendUnavailable(f"CuPy backend unavailable: {exc}") from None
        return cupy
    raise BackendUnavailable(f"unknown backend {name!r} (expected 'numpy' or 'cupy')")


def to_numpy(a: Any) -> numpy.ndarray:
    """Bring an array from any backend to the host as a numpy array."""
    get = getattr(a, "get", None)
    return numpy.asarray(get() if callable(get) else a)


@functools.lru_cache(maxsize=1024)
def _broadcast_axes(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes broadcasting added or stretched (worked out once per pair of shapes: training repeats them)."""
    extra = len(grad_shape) - len(shape)
    return tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad_shape[extra + i] != 1)


def unbroadcast(xp: ModuleType, grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum `grad` over the axes that broadcasting added or stretched, giving `shape` back."""
    if grad.shape == shape:
        return grad
    axes = _broadcast_axes(grad.shape, tuple(shape))
    # one reduction over all of them; numpy's add.reduce is what ndarray.sum calls, minus a Python layer
    summed = numpy.add.reduce(grad, axis=axes) if xp is numpy else grad.sum(axis=axes)
    return summed if summed.shape == shape else summed.reshape(shape)
