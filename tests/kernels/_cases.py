"""Hypothesis strategies shared by the kernel tests: in-domain inputs and attributes for every op.

Each strategy draws a `Case`: float64 inputs kept away from kinks, ties and singularities (so that
finite differences and PyTorch agree with the kernels), plus the attrs the op runs with.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graphapp.core.ops import REGISTRY, VALUE_OPS
from tests.kernels._recurrent_cases import STRATEGIES as RECURRENT_STRATEGIES

F64 = np.float64
KERNEL_OPS = sorted(name for name, spec in REGISTRY.items() if spec.kernel is not None and name not in VALUE_OPS)
ELEMENTWISE_OPS = sorted(n for n in KERNEL_OPS if REGISTRY[n].kernel.local is not None)
BINARY_ELEMENTWISE = sorted(n for n in ELEMENTWISE_OPS if len(REGISTRY[n].inputs) == 2)
# Shape pairs that must broadcast (first input, second input), named in the brief and tried every run.
BROADCAST_PAIRS = [((3, 1), (1, 4)), ((), (2, 3)), ((2, 3), ()), ((4,), (3, 4)), ((3, 4), (4,)),
                   ((2, 1, 3), (4, 1)), ((1,), (2, 2)), ((3, 4), (3, 4))]
LOSS_PAIR_OPS = ("mse", "bce", "bce_with_logits")


@dataclass
class Case:
    inputs: list[np.ndarray]
    attrs: dict[str, Any]
    # Inputs the kernel must give an all-zero gradient (step, sign, class-index targets).
    zero_grad: tuple[int, ...] = field(default=())
    # Inputs that finite differences must not perturb (class indices: a label, not a number).
    no_fd: tuple[int, ...] = field(default=())


def attrs_for(op: str, **given: Any) -> dict[str, Any]:
    return {**REGISTRY[op].default_attrs(), **given}


# ---- element strategies -------------------------------------------------------------------------

def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False)


ANY = _floats(-3.0, 3.0)
POSITIVE = _floats(0.2, 4.0)
# |x| in [0.1, 3]: at least 0.1 from the kink or pole at 0.
AWAY_FROM_0 = st.one_of(_floats(-3.0, -0.1), _floats(0.1, 3.0))
PROB = _floats(0.05, 0.95)
UNIT = _floats(0.0, 1.0)
LOGIT = _floats(-6.0, 6.0)
# Two interleaved grids: a ∈ n + [0, 0.4], b ∈ n + [0.5, 0.9]. They never come within 0.1 of each
# other, whatever the broadcasting pairs up, and either can be the larger.
GRID_A = st.builds(lambda n, u: n + u, st.integers(-2, 2), _floats(0.0, 0.4))
GRID_B = st.builds(lambda n, u: n + u, st.integers(-2, 2), _floats(0.5, 0.9))

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
SHAPES_ND = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
PAIR_SHAPES = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=4)


def arr(shape: tuple[int, ...], elements: st.SearchStrategy[float]) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(F64, shape, elements=elements)


def upstream(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """A random upstream gradient g with the output's shape."""
    return arr(shape, _floats(-2.0, 2.0))


# ---- per-op case strategies ---------------------------------------------------------------------

BINARY_ELEMENTS: dict[str, tuple[st.SearchStrategy[float], st.SearchStrategy[float]]] = {
    "add": (ANY, ANY), "sub": (ANY, ANY), "mul": (ANY, ANY),
    "div": (ANY, st.one_of(_floats(-3.0, -0.5), _floats(0.5, 3.0))),
    "maximum": (GRID_A, GRID_B), "minimum": (GRID_B, GRID_A),
    "residual": (ANY, ANY),  # add's kernel; its shape rule (not the kernel) refuses broadcasting
}
UNARY_ELEMENTS: dict[str, st.SearchStrategy[float]] = {
    "neg": ANY, "square": ANY, "sqrt": POSITIVE, "exp": ANY, "log": POSITIVE,
    "reciprocal": st.one_of(_floats(-3.0, -0.3), _floats(0.3, 3.0)), "abs": AWAY_FROM_0,
    "sigmoid": LOGIT, "tanh": ANY, "relu": AWAY_FROM_0, "leaky_relu": AWAY_FROM_0, "elu": AWAY_FROM_0,
    "softplus": LOGIT, "step": AWAY_FROM_0, "sign": AWAY_FROM_0, "output": ANY,
}
POW_EXPONENTS = [2.0, 3.0, 1.0, 0.0, -1.0, -2.0, 0.5, 1.5, -0.5, 2.5, 1.0 / 3.0]


@st.composite
def binary_case(draw: Callable, op: str, shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None) -> Case:
    sa, sb = shapes if shapes is not None else draw(PAIR_SHAPES).input_shapes
    ea, eb = BINARY_ELEMENTS[op]
    return Case([draw(arr(sa, ea)), draw(arr(sb, eb))], attrs_for(op))


@st.composite
def unary_case(draw: Callable, op: str, shape: tuple[int, ...] | None = None) -> Case:
    shape = draw(SHAPES) if shape is None else shape
    attrs = attrs_for(op)
    if op == "pow":
        p = draw(st.sampled_from(POW_EXPONENTS))
        attrs["p"] = p
        # Non-integer powers need x > 0; integer powers below 1 need x away from the pole at 0.
        elements = POSITIVE if p != int(p) else (ANY if p >= 1 else AWAY_FROM_0)
    else:
        elements = UNARY_ELEMENTS[op]
        if op == "leaky_relu":
            attrs["alpha"] = draw(st.sampled_from([0.01, 0.2, 1.5]))
        if op == "elu":
            attrs["alpha"] = draw(st.sampled_from([1.0, 0.5, 2.0]))
    zero = (0,) if op in ("step", "sign") else ()
    return Case([draw(arr(shape, elements))], attrs, zero_grad=zero)


@st.composite
def axis_case(draw: Callable, op: str) -> Case:  # softmax, log_softmax
    shape = draw(SHAPES_ND)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return Case([draw(arr(shape, ANY))], attrs_for(op, axis=axis))


@st.composite
def matmul_case(draw: Callable) -> Case:
    m, n, k = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sa = draw(st.sampled_from([(n,), (m, n)]))
    sb = draw(st.sampled_from([(n,), (n, k)]))
    return Case([draw(arr(sa, ANY)), draw(arr(sb, ANY))], attrs_for("matmul"))


@st.composite
def transpose_case(draw: Callable) -> Case:
    shape = draw(SHAPES)
    axes = draw(st.one_of(st.none(), st.permutations(range(len(shape))).map(list)))
    return Case([draw(arr(shape, ANY))], attrs_for("transpose", axes=axes))


@st.composite
def reduce_case(draw: Callable, op: str) -> Case:  # sum, mean
    shape = draw(SHAPES)
    nd = len(shape)
    choices = [st.none()]
    if nd:
        choices.append(st.integers(-nd, nd - 1))
        # Several axes, as a tuple (expressions) or a list (JSON files, expression lists).
        subsets = st.lists(st.integers(0, nd - 1), unique=True, min_size=1, max_size=nd)
        choices.append(subsets.map(tuple))
        choices.append(subsets)
    else:
        choices.append(st.sampled_from([0, -1]))  # the shape rule lets a scalar take any axis
    axis = draw(st.one_of(*choices))
    return Case([draw(arr(shape, ANY))], attrs_for(op, axis=axis, keepdims=draw(st.booleans())))


@st.composite
def reshape_case(draw: Callable) -> Case:
    shape = draw(SHAPES)
    size = int(np.prod(shape))
    # Split the element count into factors, then maybe replace one of them by -1.
    target: list[int] = []
    rest = size
    for _ in range(draw(st.integers(0, 3))):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = draw(st.sampled_from(divisors))
        target.append(d)
        rest //= d
    target.append(rest)
    if draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return Case([draw(arr(shape, ANY))], attrs_for("reshape", shape=target))


LOSS_ELEMENTS = {"mse": (ANY, ANY), "bce": (PROB, UNIT), "bce_with_logits": (LOGIT, UNIT)}


@st.composite
def loss_pair_case(draw: Callable, op: str, shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None) -> Case:
    sa, sb = shapes if shapes is not None else draw(PAIR_SHAPES).input_shapes
    ea, eb = LOSS_ELEMENTS[op]
    return Case([draw(arr(sa, ea)), draw(arr(sb, eb))], attrs_for(op))


@st.composite
def softmax_ce_case(draw: Callable, kind: str | None = None) -> Case:
    """kind: "indices" (shape N), "onehot" or "probs" (shape N×C, or C for one unbatched row)."""
    kind = kind or draw(st.sampled_from(["indices", "onehot", "probs"]))
    c = draw(st.integers(2, 5))
    batched = kind == "indices" or draw(st.booleans())
    n = draw(st.integers(1, 4))
    shape = (n, c) if batched else (c,)
    logits = draw(arr(shape, LOGIT))
    rows = n if batched else 1
    if kind == "indices":
        idx = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
        return Case([logits, idx.astype(F64)], attrs_for("softmax_cross_entropy"), zero_grad=(1,), no_fd=(1,))
    if kind == "onehot":
        idx = draw(hnp.arrays(np.int64, (rows,), elements=st.integers(0, c - 1)))
        target = np.eye(c)[idx]
    else:
        w = draw(arr((rows, c), _floats(0.05, 1.0)))
        target = w / w.sum(axis=-1, keepdims=True)
    return Case([logits, target.reshape(shape)], attrs_for("softmax_cross_entropy"))


@st.composite
def penalty_case(draw: Callable, op: str) -> Case:  # l1, l2
    shape = draw(SHAPES)
    lam = draw(st.sampled_from([0.0, 0.01, 0.5, 3.0]))
    return Case([draw(arr(shape, AWAY_FROM_0 if op == "l1" else ANY))], attrs_for(op, **{"lambda": lam}))


@st.composite
def dropout_case(draw: Callable, training: bool | None = None) -> Case:
    """Training or evaluation (the attributes the Executor's plan adds), any p, seed and step."""
    training = draw(st.booleans()) if training is None else training
    attrs = attrs_for("dropout", p=draw(st.sampled_from([0.0, 0.2, 0.5, 0.9])), seed=draw(st.integers(0, 9)))
    attrs.update(training=training, step=draw(st.integers(0, 99)))
    return Case([draw(arr(draw(SHAPES), ANY))], attrs)


@st.composite
def batch_norm_case(draw: Callable, training: bool | None = None, images: bool | None = None) -> Case:
    """x (N, D), or images (N, D, H, W) with statistics per channel D over N·H·W ≥ 2 values, those values
    at least 0.5 apart (a variance well above ε); γ, β, running stats."""
    training = draw(st.booleans()) if training is None else training
    images = draw(st.booleans()) if images is None else images
    d = draw(st.integers(1, 3))
    n, h, w = draw(st.integers(2, 5)), 1, 1
    if images:
        n, h, w = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(2, 3))
    m = n * h * w  # values per statistic
    order = np.arange(m).reshape(n, 1, h, w) * draw(st.sampled_from([1.0, -1.0]))
    spread = draw(arr((n, d, h, w), _floats(0.0, 0.5))) + order
    x = spread + draw(arr((d,), ANY))[None, :, None, None]
    x = x if images else x[:, :, 0, 0]
    rows = [draw(arr((d,), e)) for e in (ANY, ANY, ANY, POSITIVE)]
    attrs = attrs_for("batch_norm", eps=draw(st.sampled_from([1e-5, 1e-3, 0.1])),
                      momentum=draw(st.sampled_from([0.1, 0.5])))
    attrs.update(training=training, step=0)
    return Case([x, *rows], attrs, zero_grad=(3, 4) if training else (), no_fd=(3, 4) if training else ())


# ---- layers (NCHW): sizes chosen so that the stride fits, as the shape rule demands ------------

def _side(draw: Callable, k: int, s: int, p: int | str) -> int:
    """An input side H ≥ 1 with a whole (H + 2P − F)/S + 1 of 1 to 3 (or more, where P is large)."""
    if p == "same":
        return draw(st.integers(1, 5))
    pad = 0 if p == "valid" else p
    ho = draw(st.integers(1, 3))
    while (ho - 1) * s + k - 2 * pad < 1:
        ho += 1
    return (ho - 1) * s + k - 2 * pad


@st.composite
def conv_case(draw: Callable) -> Case:
    n, c, co, k, s = (draw(st.integers(1, hi)) for hi in (2, 2, 3, 3, 2))
    p = draw(st.sampled_from([0, 1, "valid", "same"]))
    h, w = _side(draw, k, s, p), _side(draw, k, s, p)
    return Case([draw(arr((n, c, h, w), ANY)), draw(arr((co, c, k, k), ANY)), draw(arr((co,), ANY))],
                attrs_for("conv2d", stride=s, padding=p))


@st.composite
def pool_case(draw: Callable, op: str) -> Case:
    """Distinct values at least 0.1 apart (grid of 0.25 plus < 0.1), so no window holds a tie."""
    n, c, k = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    s = draw(st.sampled_from([0, 1, 2]))
    step = s or k
    h, w = (draw(st.integers(1, 3)) - 1) * step + k, (draw(st.integers(1, 3)) - 1) * step + k
    size = n * c * h * w
    order = np.array(draw(st.permutations(range(size))), dtype=F64)
    jitter = draw(arr((size,), _floats(0.0, 0.09)))
    return Case([((order - size / 2) * 0.25 + jitter).reshape(n, c, h, w)], attrs_for(op, kernel_size=k, stride=s))


@st.composite
def flatten_case(draw: Callable) -> Case:
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3))
    return Case([draw(arr(shape, ANY))], attrs_for("flatten"))


@st.composite
def embedding_case(draw: Callable) -> Case:
    """Indices of any shape (repeats likely: W's gradient is a scatter-add), W (V, D)."""
    v, d = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    idx = draw(hnp.arrays(np.int64, draw(SHAPES), elements=st.integers(0, v - 1))).astype(F64)
    return Case([idx, draw(arr((v, d), ANY))], attrs_for("embedding"), zero_grad=(0,), no_fd=(0,))


@st.composite
def one_hot_case(draw: Callable) -> Case:
    c = draw(st.integers(1, 5))
    idx = draw(hnp.arrays(np.int64, draw(SHAPES), elements=st.integers(0, c - 1))).astype(F64)
    return Case([idx], attrs_for("one_hot", num_classes=c), zero_grad=(0,), no_fd=(0,))


@st.composite
def dense_case(draw: Callable) -> Case:
    n, d, m = (draw(st.integers(1, 4)) for _ in range(3))
    return Case([draw(arr((n, d), ANY)), draw(arr((d, m), ANY)), draw(arr((m,), ANY))], attrs_for("dense"))


def case_strategy(op: str) -> st.SearchStrategy[Case]:
    """The general strategy of one op (shapes drawn too)."""
    if op in BINARY_ELEMENTS:
        return binary_case(op)
    if op in UNARY_ELEMENTS or op == "pow":
        return unary_case(op)
    if op in ("softmax", "log_softmax"):
        return axis_case(op)
    if op in ("sum", "mean"):
        return reduce_case(op)
    if op in LOSS_ELEMENTS:
        return loss_pair_case(op)
    special = {"matmul": matmul_case, "transpose": transpose_case, "reshape": reshape_case,
               "softmax_cross_entropy": softmax_ce_case, "dropout": dropout_case, "batch_norm": batch_norm_case,
               "conv2d": conv_case, "flatten": flatten_case, "dense": dense_case,
               "max_pool2d": lambda: pool_case("max_pool2d"), "avg_pool2d": lambda: pool_case("avg_pool2d"),
               "embedding": embedding_case, "one_hot": one_hot_case}
    if op in ("l1", "l2"):
        return penalty_case(op)
    if op in special:
        return special[op]()
    if op in RECURRENT_STRATEGIES:
        return RECURRENT_STRATEGIES[op]()
    raise KeyError(f"no test case strategy for op {op!r}: add one to tests/kernels/_cases.py")


def run(op: str, inputs: list[np.ndarray], attrs: dict[str, Any], g: np.ndarray | None = None):
    """Forward then vjp with numpy; returns (out, grads). g defaults to ones."""
    kernel = REGISTRY[op].kernel
    out, saved = kernel.forward(np, [x.copy() for x in inputs], attrs)
    out = np.asarray(out)
    if g is None:
        g = np.ones(out.shape)
    grads = kernel.vjp(np, saved, np.asarray(g, dtype=F64), attrs)
    return out, tuple(np.asarray(gr) for gr in grads)
