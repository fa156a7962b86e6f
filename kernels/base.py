"""The shape every kernel has: a forward function, a vector-Jacobian product, local derivatives."""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence

from kernels.backend import to_numpy, unbroadcast

Array = Any  # numpy.ndarray or cupy.ndarray
Attrs = Mapping[str, Any]
Forward = Callable[[ModuleType, Sequence[Array], Attrs], tuple[Array, Any]]
Vjp = Callable[[ModuleType, Any, Array, Attrs], Sequence[Array]]
Local = Callable[[ModuleType, Any, int, Attrs], Array]
# partial(xp, saved, g, attrs, need) -> one grad per input, None where need[i] is False
Partial = Callable[[ModuleType, Any, Array, Attrs, tuple[bool, ...]], Sequence[Array | None]]


@dataclass(frozen=True)
class Domain:
    """Where an op is defined for its input number `index`: `ok(xp, inputs, attrs)` is True per element
    of that input inside the domain; `rule` says it in the lectures' notation ("x > 0"), with the op's
    attributes filled in ("{p}"). Outside it the op is refused by name, never answered with a clipped
    or NaN number."""

    index: int
    ok: Callable[[ModuleType, Sequence[Array], Attrs], Array]
    rule: str


def outside(xp: ModuleType, domains: Sequence[Domain], ins: Sequence[Array], attrs: Attrs
            ) -> tuple[Domain, Any, tuple[int, ...]] | None:
    """The first domain rule `ins` break, with the offending element and its index; None if none."""
    for d in domains:
        ok = xp.asarray(d.ok(xp, ins, attrs))
        if not bool(ok.all()):
            x = xp.broadcast_to(xp.asarray(ins[d.index]), ok.shape)
            where = tuple(int(i) for i in to_numpy(xp.argwhere(~ok)[0]))  # one copy to the host, not one a number
            return d, float(x[where]), where
    return None


@dataclass(frozen=True)
class Kernel:
    """forward(xp, inputs, attrs) -> (out, saved); vjp(xp, saved, g, attrs) -> one grad per input.

    `local`, when present, gives the elementwise local derivative d out / d input_i
    (broadcast to the output's shape): the number a lecture writes on an edge.
    Ops that are not elementwise (matmul, sum, softmax, losses) have no such number.
    `partial`, when present, is the vjp for some inputs only (the others' entries are None), for kernels
    where an unwanted input gradient costs real work (a matmul's data input); each gradient it gives
    equals vjp's bit for bit.
    `fn` and `derivs` are kept for elementwise kernels (see `elementwise`), so compiled code can call them
    directly, one Python call a node instead of three.
    """

    forward: Forward
    vjp: Vjp
    local: Local | None = None
    domain: tuple[Domain, ...] = ()
    partial: Partial | None = None
    fn: Callable[..., Array] | None = None
    derivs: tuple[Callable[..., Array] | float, ...] = ()


def elementwise(fn: Callable[..., Array], *derivs: Callable[..., Array] | float,
                domain: tuple[Domain, ...] = ()) -> Kernel:
    """A kernel for an elementwise op from its function and one derivative per input.

    fn(xp, attrs, *inputs) -> out; each deriv(xp, attrs, out, *inputs) -> d out / d input_i, or a
    constant number (1.0 for add, −1.0 for neg). The vjp is then upstream × local, summed back over
    broadcast axes: written once here.
    """

    def forward(xp: ModuleType, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        out = fn(xp, attrs, *ins)
        return out, (ins, out)

    def local(xp: ModuleType, saved: Any, i: int, attrs: Attrs) -> Array:
        ins, out = saved
        d = derivs[i]
        return xp.broadcast_to(d if isinstance(d, float) else d(xp, attrs, out, *ins), out.shape)

    def grad(xp: ModuleType, d: Callable[..., Array] | float, g: Array, x: Array, ins: Sequence[Array],
             out: Array, attrs: Attrs) -> Array:
        if d.__class__ is float:
            # A local derivative of exactly 1 passes g on as it is: safe to share, because no
            # gradient is ever modified in place (accumulation always makes a new array).
            gx = g if d == 1.0 else g * d
        else:
            gx = g * d(xp, attrs, out, *ins)
        return gx if gx.shape == x.shape else unbroadcast(xp, gx, x.shape)

    if len(derivs) == 1:  # the common one- and two-input cases without a loop (a training step's hot path)
        (d0,) = derivs

        def vjp(xp: ModuleType, saved: Any, g: Array, attrs: Attrs) -> list[Array]:
            ins, out = saved
            return [grad(xp, d0, g, ins[0], ins, out, attrs)]
    elif len(derivs) == 2:
        d0, d1 = derivs

        def vjp(xp: ModuleType, saved: Any, g: Array, attrs: Attrs) -> list[Array]:
            ins, out = saved
            return [grad(xp, d0, g, ins[0], ins, out, attrs), grad(xp, d1, g, ins[1], ins, out, attrs)]
    else:
        def vjp(xp: ModuleType, saved: Any, g: Array, attrs: Attrs) -> list[Array]:
            ins, out = saved
            return [grad(xp, d, g, x, ins, out, attrs) for d, x in zip(derivs, ins)]

    def partial(xp: ModuleType, saved: Any, g: Array, attrs: Attrs, need: tuple[bool, ...]) -> list[Array | None]:
        ins, out = saved
        return [grad(xp, d, g, x, ins, out, attrs) if wanted else None for d, x, wanted in zip(derivs, ins, need)]

    return Kernel(forward, vjp, local, domain, partial, fn, derivs)
