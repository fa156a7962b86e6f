"""Choice of array module (numpy or CuPy), made per call site, never globally at import."""
from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import numpy


BACKENDS = ("numpy", "cupy")


class BackendUnavailable(RuntimeError):
    """Raised when a GPU backend is asked for on a machine that cannot provide it."""


@functools.lru_cache(maxsize=1)
def cupy_unavailable() -> str | None:
    """Why CuPy cannot run here, in a few words ("No module named 'cupy'", "no CUDA device"); None when it
    can. Asked once per process: importing CuPy and probing the driver take a moment, and neither changes."""
    try:
        import cupy  # noqa: PLC0415 - optional extra, imported only on request
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # ImportError, or a CUDA error (no driver, no device)
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None if count > 0 else "no CUDA device"


def get_xp(name: str = "numpy") -> ModuleType:
    """Return the array module called `name` ("numpy" or "cupy"); BackendUnavailable when it cannot run."""
    if name == "numpy":
        return numpy
    if name == "cupy":
        reason = cupy_unavailable()
        if reason is not None:
            raise BackendUnavailable(f"CuPy backend unavailable: {reason}")
        import cupy  # noqa: PLC0415 - imported (and probed) above
        return cupy
    raise BackendUnavailable(f"unknown backend {name!r} (expected 'numpy' or 'cupy')")


def choose_xp(name: str) -> tuple[ModuleType, str | None]:
    """The array module for a backend the user chose, never failing: CuPy where it can run, else numpy
    with the one line that says why ("CuPy backend unavailable: no CUDA device; using numpy")."""
    try:
        return get_xp(name), None
    except BackendUnavailable as exc:
        return numpy, f"{exc}; using numpy"


def backend_name(xp: ModuleType) -> str:
    """"cupy" or "numpy": the name of an array module as the options spell it."""
    return "cupy" if xp.__name__.split(".")[0] == "cupy" else "numpy"


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
