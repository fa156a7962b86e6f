"""Loss landscapes: a 2-D slice through a trained network's parameters (Li et al., 2018, "Visualizing the
Loss Landscape of Neural Nets"), and the lecture's 1-D cost(W) curve of one-weight linear regression.

Filter normalization: each random direction d is drawn N(0, 1) with the parameter's shape and rescaled per
filter to the norm of the weights it perturbs. Our weights multiply from the right (X @ W, shape
(fan_in, fan_out)), so a filter, one unit's incoming weights, is a column. Biases get a zero direction
(the paper's choice, `ignore='biasbn'` in its code): the slice moves the weights only. keep_biases=True
instead scales a bias direction to the bias's norm as a whole.

The training path is projected onto the plane by least squares: θ_t − θ* ≈ a·d1 + b·d2. In a network of
thousands of weights two random directions are nearly orthogonal to the path, so its projection hugs the
centre (Li et al. §7 make the same point); directions="pca" instead spans the plane with the path's two
principal components (unit vectors, as in the paper's trajectory plots), where the path shows.

A grid costs one forward run per point; analysis.plane makes each run cheaper for a graph (the first
layer, affine in the plane's coordinates, is computed once), with the same numbers to float rounding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy

from graphapp.core.analysis.plane import PlaneLoss
from graphapp.core.errors import StudioError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.train.errors import OptionError

Params = Mapping[str, numpy.ndarray]
MAX_GRID = 201


def filter_normalized(params: Params, rng: numpy.random.Generator, keep_biases: bool = False) -> dict[str, numpy.ndarray]:
    out = {}
    for k, p in params.items():
        p = numpy.asarray(p, dtype=float)
        d = rng.standard_normal(p.shape)
        if p.ndim >= 2:
            axes = tuple(i for i in range(p.ndim) if i != 1)  # everything but the unit (column) axis
            d *= numpy.linalg.norm(p, axis=axes, keepdims=True) / (numpy.linalg.norm(d, axis=axes, keepdims=True) + 1e-10)
        elif keep_biases:
            d *= numpy.linalg.norm(p) / (numpy.linalg.norm(d) + 1e-10)
        else:
            d[...] = 0.0
        out[k] = d
    return out


def _flat(params: Params, keys: list[str]) -> numpy.ndarray:
    return numpy.concatenate([numpy.ravel(params[k]) for k in keys])


def project(path: list[Params], center: Params, d1: Params, d2: Params) -> numpy.ndarray:
    """(T, 2) coordinates of each θ_t in the plane through `center` spanned by d1, d2 (least squares)."""
    keys = list(center)
    basis = numpy.stack([_flat(d1, keys), _flat(d2, keys)], axis=1)
    c = _flat(center, keys)
    deltas = numpy.stack([_flat(p, keys) - c for p in path], axis=1) if path else numpy.zeros((len(c), 0))
    return numpy.linalg.lstsq(basis, deltas, rcond=None)[0].T


@dataclass(frozen=True)
class Landscape:
    alphas: numpy.ndarray  # (N,) coordinates along d1
    betas: numpy.ndarray  # (N,) along d2
    loss: numpy.ndarray  # (N, N): loss[i, j] at center + alphas[j]·d1 + betas[i]·d2
    path: numpy.ndarray  # (T, 2) the training path projected on the plane
    center_loss: float
    directions: str = "random"


def landscape(loss_at: Callable[[dict[str, numpy.ndarray]], float], center: Params, path: list[Params] | None = None,
              grid: int = 25, span: float = 1.0, seed: int | None = 0, keep_biases: bool = False,
              directions: str = "random", plane: Callable[[Params, Params, Params], PlaneLoss] | None = None
              ) -> Landscape:
    """Loss on a grid×grid slice; `loss_at(params)` evaluates the network (one executor run per point).

    The square spans ±span along each direction (random ones), widened to hold the projected path.
    `plane(center, d1, d2)`, when given, returns loss(a, b) on the slice, a faster way to the same numbers
    (analysis.plane.GraphLoss.plane); without it each point is loss_at(center + a·d1 + b·d2)."""
    if not 3 <= grid <= MAX_GRID:
        raise OptionError(f"--grid: must be 3..{MAX_GRID}, not {grid}")
    if directions == "random":
        rng = numpy.random.default_rng(seed)
        d1 = filter_normalized(center, rng, keep_biases)
        d2 = filter_normalized(center, rng, keep_biases)
    elif directions == "pca":
        d1, d2 = principal_directions(path or [], center)
        span = 0.0  # the path alone sets the square
    else:
        raise OptionError(f"--directions: unknown kind '{directions}' (choose one of: random, pca)")
    coords = project(path or [], center, d1, d2)
    reach = max(span, 1.1 * float(numpy.abs(coords).max())) if len(coords) else span
    reach = reach if reach > 0 else 1.0
    axis = numpy.linspace(-reach, reach, grid)
    at = plane(center, d1, d2) if plane is not None else _straight(loss_at, center, d1, d2)
    loss = numpy.array([[at(a, b) for a in axis] for b in axis], dtype=float).reshape(grid, grid)
    with numpy.errstate(all="ignore"):
        loss[~numpy.isfinite(loss)] = numpy.nan
    return Landscape(axis, axis, loss, coords, float(loss_at(dict(center))), directions)


def _straight(loss_at: Callable[[dict[str, numpy.ndarray]], float], center: Params, d1: Params, d2: Params
              ) -> PlaneLoss:
    """loss(a, b) by one evaluation of the whole network at center + a·d1 + b·d2."""
    def at(a: float, b: float) -> float:
        try:
            return loss_at({k: center[k] + a * d1[k] + b * d2[k] for k in center})
        except StudioError:  # far from the minimum a loss can overflow: a hole in the picture
            return numpy.nan
    return at


def principal_directions(path: list[Params], center: Params) -> tuple[dict[str, numpy.ndarray], dict[str, numpy.ndarray]]:
    """The two principal components of θ_t − θ* over the path, as unit vectors shaped like the parameters."""
    keys = list(center)
    deltas = numpy.stack([_flat(p, keys) - _flat(center, keys) for p in path]) if path else numpy.zeros((0, 0))
    if len(deltas) < 3 or not deltas.any():
        raise OptionError("--directions pca: needs a training path of at least 3 points that moves the parameters")
    vt = numpy.linalg.svd(deltas - deltas.mean(axis=0), full_matrices=False)[2]
    sizes = numpy.cumsum([0] + [numpy.size(center[k]) for k in keys])
    return tuple({k: v[sizes[i]:sizes[i + 1]].reshape(numpy.shape(center[k])) for i, k in enumerate(keys)}
                 for v in vt[:2])  # type: ignore[return-value]


COST_EXPR = "cost = mean((W*x - y)**2)"


def cost_curve(x: list[float] | None = None, y: list[float] | None = None, w_min: float = -3.0, w_max: float = 5.0,
               points: int = 81) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(W, cost(W), ∂cost/∂W) for H = W·x with cost = mean((Wx − y)²), the lecture's x = y = [1, 2, 3]."""
    x = [1.0, 2.0, 3.0] if x is None else x
    y = [1.0, 2.0, 3.0] if y is None else y
    ex = Executor(parse_expression(COST_EXPR, {"x": x, "y": y, "W": 0.0}))
    ws = numpy.linspace(w_min, w_max, points)
    cost, grad = numpy.empty(points), numpy.empty(points)
    for i, w in enumerate(ws):
        trace = ex.run(record=False, values={"W": numpy.asarray(w)})
        cost[i], grad[i] = float(trace.values["cost"]), float(trace.grads["W"])
    return ws, cost, grad
