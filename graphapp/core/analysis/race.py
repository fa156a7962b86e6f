"""The optimizer race: each optimizer's path down a 2-D function f(x, y) from one start.

Every function, the built-in ones included, is an expression in x and y parsed by graphapp.core.expr and
run by the Executor, so the race descends exactly the gradients the app's backward pass computes. The
defaults are the lecture's (seed 004, after "Deep Learning from Scratch" ch. 6): f = x²/20 + y² from
(−7, 2), 30 steps, SGD lr 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3; the others at torch's defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy

from graphapp.core.errors import DomainError, ExpressionError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expr import FUNCTIONS as EXPR_FUNCTIONS
from graphapp.core.expr import parse_expression
from graphapp.core.expr_syntax import parse
from graphapp.core.train.errors import OptionError
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer


@dataclass(frozen=True)
class Function:
    expr: str
    start: tuple[float, float]
    view: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max of the contour picture
    title: str


FUNCTIONS = {
    "lecture": Function("x**2/20 + y**2", (-7.0, 2.0), (-10.0, 10.0, -5.0, 5.0), "f(x, y) = x²/20 + y²"),
    "rosenbrock": Function("(1 - x)**2 + 100*(y - x**2)**2", (-1.5, 2.0), (-2.0, 2.0, -1.0, 3.0),
                           "Rosenbrock (1 − x)² + 100(y − x²)²"),
    "beale": Function("(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2", (1.0, 1.5),
                      (-4.5, 4.5, -4.5, 4.5), "Beale"),
    "saddle": Function("x**2 - y**2", (-1.0, 0.01), (-1.5, 1.5, -1.5, 1.5), "saddle x² − y²"),
}
LECTURE_LR = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "adam": 0.3}
MAX_STEPS = 100_000


class Surface:
    """f(x, y) from an expression: its value and gradient at a point, and its values on a grid."""

    def __init__(self, text: str) -> None:
        key = text.strip().lower()
        self.name = key if key in FUNCTIONS else "custom"
        self.function = FUNCTIONS.get(key) or Function(text.strip(), FUNCTIONS["lecture"].start,
                                                       FUNCTIONS["lecture"].view, f"f(x, y) = {text.strip()}")
        self.expr = self.function.expr
        names = parse(self.expr)[1]
        extra = sorted(names - {"x", "y"} - self._assigned() - set(EXPR_FUNCTIONS))
        if extra:
            raise ExpressionError(f"function {self.expr!r}: name '{extra[0]}' is not x or y "
                                  "(a race function has only x and y)")
        self.names = names & {"x", "y"}
        if not self.names:
            raise ExpressionError(f"function {self.expr!r}: it uses neither x nor y")
        self._point = self._executor(0.0, 0.0)
        shape = self._point.plan().shapes[self._point.graph.outputs()[0]]
        if int(numpy.prod(shape)) != 1:
            raise ExpressionError(f"function {self.expr!r}: its value must be one number, not shape {shape}")

    def _assigned(self) -> set[str]:
        return {s.target for s in parse(self.expr)[0] if s.target}

    def _executor(self, x: object, y: object) -> Executor:
        values = {k: v for k, v in (("x", x), ("y", y)) if k in self.names}
        return Executor(parse_expression(self.expr, values, set(values)))

    def value_grad(self, x: float, y: float) -> tuple[float, numpy.ndarray]:
        values = {k: numpy.asarray(v, dtype=float) for k, v in (("x", x), ("y", y)) if k in self.names}
        trace = self._point.run(record=False, values=values)
        g = [float(numpy.sum(trace.grads.get(k, 0.0))) for k in ("x", "y")]
        return float(numpy.sum(trace.values[self._point.graph.outputs()[0]])), numpy.array(g)

    def value(self, x: float, y: float) -> float:
        values = {k: numpy.asarray(v, dtype=float) for k, v in (("x", x), ("y", y)) if k in self.names}
        trace = self._point.run(backward=False, record=False, values=values)
        return float(numpy.sum(trace.values[self._point.graph.outputs()[0]]))

    def grid(self, n: int = 121, view: tuple[float, float, float, float] | None = None
             ) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """(xs, ys, Z) with Z[i, j] = f(xs[j], ys[i]); NaN where f is undefined (outside a domain)."""
        x0, x1, y0, y1 = view or self.function.view
        xs, ys = numpy.linspace(x0, x1, n), numpy.linspace(y0, y1, n)
        gx, gy = numpy.meshgrid(xs, ys)
        try:  # the whole grid in one run: the expression's operations are elementwise
            ex = self._executor(gx, gy)
            out = ex.run(backward=False, record=False).values[ex.graph.outputs()[0]]
            if numpy.shape(out) == gx.shape:
                return xs, ys, numpy.asarray(out, dtype=float)
        except StudioError:
            pass  # a domain error somewhere on the grid: point by point below, NaN where it fails
        z = numpy.full(gx.shape, numpy.nan)
        for i, j in numpy.ndindex(*gx.shape):
            try:
                z[i, j] = self.value(gx[i, j], gy[i, j])
            except StudioError:
                pass
        return xs, ys, z


@dataclass
class Path:
    optimizer: str
    lr: float
    points: list[tuple[float, float]] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    stopped: str | None = None  # why the path ended early (a non-finite value or gradient)

    def to_json(self) -> dict[str, object]:
        return {"optimizer": self.optimizer, "lr": self.lr, "path": [list(p) for p in self.points],
                "final": list(self.points[-1]), "value": self.values[-1], "stopped": self.stopped}


def parse_lrs(text: str | None, names: list[str]) -> dict[str, float]:
    """--lr X (every optimizer) or --lr name=X,… (those named); the rest keep the lecture's or torch's."""
    out = {n: LECTURE_LR.get(n, float(OPTIMIZERS[n].defaults["lr"])) for n in names}
    if text is None or not text.strip():
        return out
    if "=" not in text:
        return {n: _positive(text, "--lr") for n in names}
    given: set[str] = set()
    for item in text.split(","):
        name, _, value = item.partition("=")
        name = name.strip().lower()
        if name in given:  # sgd=1,sgd=2 would race one of them silently
            raise OptionError(f"--lr {name}: the optimizer is given twice")
        given.add(name)
        if name not in OPTIMIZERS:
            raise OptionError(f"--lr {item.strip()!r}: unknown optimizer '{name}' (choose one of: {', '.join(OPTIMIZERS)})")
        if name not in out:
            raise OptionError(f"--lr {item.strip()!r}: '{name}' is not in the race (add it to --optimizers)")
        out[name] = _positive(value, f"--lr {name}")
    return out


def _positive(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OptionError(f"{where}: {text.strip()!r} is not a number") from None
    if not (value > 0 and numpy.isfinite(value)):
        raise OptionError(f"{where}: the learning rate must be a positive number, not {text.strip()}")
    return value


def parse_optimizers(text: str | None) -> list[str]:
    if text is None or not text.strip():
        return list(OPTIMIZERS)
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    for n in names:
        if n not in OPTIMIZERS:
            raise OptionError(f"--optimizers: unknown optimizer '{n}' (choose one of: {', '.join(OPTIMIZERS)})")
    if len(set(names)) != len(names):
        raise OptionError(f"--optimizers {text!r}: an optimizer is named twice")
    return names


def _undefined(exc: StudioError, x: float, y: float) -> str:
    """Why f has no value and gradient at (x, y), without the graph's node names."""
    if isinstance(exc, DomainError):
        return f"f is undefined at ({x:.4g}, {y:.4g}) (outside the function's domain)"
    return f"f({x:.4g}, {y:.4g}) or its gradient is not a finite number (the path diverged)"


def race(surface: Surface, start: tuple[float, float] | None = None, optimizers: list[str] | None = None,
         steps: int = 30, lrs: dict[str, float] | None = None) -> list[Path]:
    """Each optimizer's `steps` updates from `start` (the function's default start when None)."""
    if not 1 <= steps <= MAX_STEPS:
        raise OptionError(f"--steps: must be 1..{MAX_STEPS:,}, not {steps}")
    start = start or surface.function.start
    names = optimizers or list(OPTIMIZERS)
    lrs = {**parse_lrs(None, names), **(lrs or {})}
    paths = []
    for name in names:
        opt = make_optimizer(name, lr=lrs[name])
        p = {"p": numpy.array(start, dtype=float)}
        path = Path(name, lrs[name])
        for _ in range(steps + 1):
            try:
                value, grad = surface.value_grad(*p["p"])
            except StudioError as exc:  # overflow or a domain: the path ends where it was last finite
                why = _undefined(exc, *p["p"])  # in the user's terms: the node ids are the expression's insides
                if not path.points:
                    raise OptionError(f"--start {start[0]:g},{start[1]:g}: {why}") from None
                path.stopped = f"optimizer '{name}', step {len(path.points)}: {why}"
                break
            path.points.append((float(p["p"][0]), float(p["p"][1])))
            path.values.append(value)
            if len(path.points) > steps:
                break
            new = opt.step(p, {"p": grad})
            if not numpy.isfinite(new["p"]).all():
                x, y = path.points[-1]
                path.stopped = (f"optimizer '{name}', step {len(path.points)}: the update from ({x:.4g}, {y:.4g}) "
                                "is not finite (the path diverged)")
                break
            p = new
        paths.append(path)
    return paths
