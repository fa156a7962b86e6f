"""The starting state of an unrolled recurrent layer over `xp`: h₀ = 0 (an LSTM's h₀ and c₀ = 0).

Its shape is (N, H), or (N, 2, H) for an LSTM's stacked h and c, with N read from the first axis of x
each run, so the unrolled graph takes any batch size, as the sequence node does. x's values are never
read: its gradient is exactly zero.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from kernels.base import Array, Attrs, Kernel


def state_shape(batch: int, attrs: Attrs) -> tuple[int, ...]:
    """(N, H), or (N, 2, H) with the LSTM's cell state."""
    hidden = int(attrs["hidden"])
    return (batch, 2, hidden) if attrs.get("cell") else (batch, hidden)


def _forward(xp: ModuleType, ins: Any, at: Attrs) -> tuple[Array, Any]:
    x = ins[0]
    return xp.zeros(state_shape(x.shape[0], at), dtype=x.dtype), x.shape


def _partial(xp: ModuleType, x_shape: Any, g: Array, at: Attrs, need: tuple[bool, ...]) -> list[Array | None]:
    return [xp.zeros(x_shape, dtype=g.dtype) if need[0] else None]


def _vjp(xp: ModuleType, x_shape: Any, g: Array, at: Attrs) -> list[Array]:
    return _partial(xp, x_shape, g, at, (True,))


zero_state = Kernel(_forward, _vjp, partial=_partial)
