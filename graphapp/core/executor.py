"""Runs a graph: forward in topological order, then backward edge by edge, and returns a Trace.

The plan (order, kernels, input wiring, shapes) is made once per graph revision. Recorded runs (the
animation, the CLI) walk the plan and note every event. Training loops run the same plan thousands of
times without events: for them the plan is also compiled into one straight-line Python function
(locals instead of dictionaries, no loop per node), so a step costs little more than its array math.
"""
from __future__ import annotations

import ast
import functools
import math
from dataclasses import dataclass
from types import CodeType, ModuleType
from typing import Any, Callable, Mapping

import numpy

from graphapp.core.errors import BadValueError, DomainError, GraphError, NonFiniteError
from graphapp.core.graph import Graph
from graphapp.core.ops import MODAL_OPS, VALUE_OPS, Shape, fmt_shape
from graphapp.core.learning import sgd_update
from graphapp.core.numbers import fmt_number
from graphapp.core.trace import EdgeEvent, ForwardEvent, Trace, UpdateEvent
from kernels.backend import _broadcast_axes  # the axes unbroadcast sums over, worked out at compile time
from kernels.base import Kernel, outside
from kernels.linalg import matmul

# Python's compiler is superlinear in a function's length (0.4 s at 2,000 ops, 8 s at 13,000): past this
# size a run without events walks the plan instead, which is linear.
COMPILE_LIMIT = 2_000


@dataclass(frozen=True)
class _Step:
    node: str
    kernel: Kernel | None  # None for value nodes
    srcs: tuple[str, ...]
    ports: tuple[str, ...]
    attrs: Mapping[str, Any]
    formulas: tuple[str, ...]


@dataclass(frozen=True)
class _Plan:
    revision: int
    steps: list[_Step]
    shapes: dict[str, Shape]
    outputs: list[str]
    order: list[str]
    ops: list[_Step]
    stored: dict[str, Any]  # value nodes' values on the array backend
    seeds: dict[str, Any]  # ∂L/∂L = 1 per output, made once: gradients are never modified in place
    consts: frozenset[str]  # constants take no gradient: nothing to learn or report about a fixed number
    markers: frozenset[str]  # output markers: identity ops, compiled as plain assignments


def _finite(xp: ModuleType, a: Any) -> bool:
    return math.isfinite(a) if a.ndim == 0 else bool(xp.isfinite(a).all())


def _given(xp: ModuleType, shapes: Mapping[str, Shape], nid: str, v: Any) -> Any:
    """A value given for node `nid` as an array of the backend (a training loop's arrays pass as they are),
    refused by name when its shape is not the one the graph has."""
    if v.__class__ is not xp.ndarray:
        v = xp.asarray(v)
    if v.shape != shapes[nid]:
        raise GraphError(f"node '{nid}': value of shape {fmt_shape(v.shape)} given where "
                         f"the graph expects {fmt_shape(shapes[nid])}", nid)
    return v


def _not_a_value_node(nid: str) -> GraphError:
    return GraphError(f"node '{nid}' is not an input, parameter or constant", nid)


class _Refused(Exception):
    """An input outside an op's domain, or an output that is not finite, in a compiled run: the recorded
    run names the node (and the rule)."""


def _needed(plan: _Plan, wrt: frozenset[str] | None) -> set[str] | None:
    """The nodes whose gradient a run restricted to `wrt` must form: those in `wrt`, and every op with an
    input that is needed (the chain from the outputs down to them). None: every gradient."""
    if wrt is None:
        return None
    need = {n for n in plan.stored if n in wrt and n not in plan.consts}
    for s in plan.ops:
        if s.node in wrt or any(src in need for src in s.srcs):
            need.add(s.node)
    return need


@functools.lru_cache(maxsize=32)
def _code(source: str) -> CodeType:
    """Python's compilation of a step's source, kept: the trainer's runners (one per batch height) and a
    graph opened again give the same source, and compiling it costs about a millisecond per 50 lines."""
    return compile(source, "<compiled graph>", "exec")


@functools.lru_cache(maxsize=256)
def _renamed(body: str, names: tuple[tuple[str, str], ...]) -> str:
    """An expression with its argument names replaced (by the syntax tree, never inside a string or an
    attribute), parenthesised so that it stands where its call stood."""
    tree = ast.parse(body, mode="eval")
    rename = dict(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in rename:
            node.id = rename[node.id]
    return f"({ast.unparse(tree)})"


def _call(fn: Callable[..., Any], name: str, args: list[str]) -> str:
    """Code for fn(*args): the function's own expression where it has one (kernels.elementwise.expr),
    which saves a Python call per node and per local derivative; else a call of `name`."""
    inline = getattr(fn, "inline", None)
    if inline is None:
        return f"{name}({', '.join(args)})"
    params, body = inline
    return _renamed(body, tuple(zip(params, args)))


def _reduce_to(part: str, grad_shape: Shape, shape: Shape, xp: ModuleType) -> list[str]:
    """Code summing a gradient of `grad_shape` back to an input's `shape`, as kernels.backend.unbroadcast
    does (the same reduction), with the axes worked out here: shapes are fixed for a plan."""
    if grad_shape == shape:
        return []
    grad_shape, shape = tuple(int(n) for n in grad_shape), tuple(int(n) for n in shape)  # plain ints in the source
    axes = _broadcast_axes(grad_shape, shape)
    kept = tuple(n for a, n in enumerate(grad_shape) if a not in axes)
    summed = f"R({part}, axis={axes!r})" if xp is numpy else f"{part}.sum(axis={axes!r})"
    return [f"    {part} = {summed}" + ("" if kept == shape else f".reshape({shape!r})")]


def _compile(plan: _Plan, backward: bool, wrt: frozenset[str] | None, xp: ModuleType
             ) -> Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]:
    """Straight-line code for one pass: `step(vals) -> (values, grads)`, raising _Refused where the
    recorded run has something to name (an input outside an op's domain, an output that is not finite).

    Only the plan's structure goes into the source: variables are v<k>/s<k>/g<k> by position, node ids
    appear as string literals (repr), and each op's kernel functions and attributes are names in the
    function's namespace (F<i>, B<i>, A<i>, …, i its place among the ops). The step's cost is then little
    more than its array math:
    - output markers (identity, local derivative 1) are plain assignments, as their kernel would give;
    - elementwise kernels are called as their function and local derivatives (the same expressions as
      kernels.base.elementwise's forward and vjp, so the same bits, without two layers of calls), and
      those written as an expression (kernels.elementwise.expr) are that expression, without a call;
    - a matmul of two matrices is written out as kernels/linalg.py's `a @ b`, `g @ b.T`, `a.T @ g`;
    - a gradient is summed back over broadcast axes only where the shapes say so, over axes found here.
    Ops with a domain check their inputs first (some kernels fail outright outside it).
    With `wrt` only the gradients on the way to those nodes are formed: a kernel with a `partial` vjp is
    told which inputs need one (a matmul then skips the product for its data input).
    """
    pos = {n: k for k, n in enumerate(plan.order)}
    shapes = plan.shapes
    need = _needed(plan, wrt)
    ns: dict[str, Any] = {"xp": xp, "outside": outside, "Refused": _Refused, "R": numpy.add.reduce,
                          "isfinite": math.isfinite, "finite": _finite,
                          "ND": xp.ndarray, "given": _given, "SHAPES": shapes}
    products = {s.node for s in plan.ops
                if s.kernel is matmul and len(shapes[s.srcs[0]]) == len(shapes[s.srcs[1]]) == 2}
    lines = ["def step(vals):"]
    for n in plan.stored:  # a stored value passes the check; a given one is converted or refused by `given`
        k, shape = pos[n], tuple(int(d) for d in shapes[n])
        lines += [f"    v{k} = vals[{n!r}]",
                  f"    if v{k}.__class__ is not ND or v{k}.shape != {shape!r}: v{k} = given(xp, SHAPES, {n!r}, v{k})"]
    for i, s in enumerate(plan.ops):
        k, args = pos[s.node], "".join(f"v{pos[src]}, " for src in s.srcs)
        if s.node in plan.markers:
            lines.append(f"    v{k} = {args[:-2]}")
            continue
        ns[f"A{i}"] = s.attrs
        if s.kernel.domain:
            ns[f"D{i}"] = s.kernel.domain
            lines.append(f"    if outside(xp, D{i}, ({args}), A{i}) is not None: raise Refused")
        if s.node in products:
            lines.append(f"    v{k} = v{pos[s.srcs[0]]} @ v{pos[s.srcs[1]]}")
        elif s.kernel.fn is not None:  # elementwise: its function, nothing saved
            ns[f"E{i}"] = s.kernel.fn
            ins = [f"v{pos[src]}" for src in s.srcs]
            lines.append(f"    v{k} = {_call(s.kernel.fn, f'E{i}', ['xp', f'A{i}', *ins])}")
        else:
            ns[f"F{i}"] = s.kernel.forward
            lines.append(f"    v{k}, s{k} = F{i}(xp, ({args}), A{i})")
    grads: list[str] = []
    if backward:
        for o in plan.outputs:
            ns[f"G{pos[o]}"] = plan.seeds[o]
            lines.append(f"    g{pos[o]} = G{pos[o]}")
            grads.append(o)
        for i in reversed(range(len(plan.ops))):
            s = plan.ops[i]
            if s.node not in grads or need is not None and s.node not in need:
                continue  # the outputs do not depend on this node, or no wanted gradient passes through it
            k = pos[s.node]
            wanted = tuple(src not in plan.consts and (need is None or src in need) for src in s.srcs)
            if not any(wanted):
                continue  # a node asked for in `wrt` whose own inputs take no gradient: nothing to pass on
            parts = [f"t{k}_{j}" for j in range(len(s.srcs))]
            if s.node in plan.markers:
                lines.append(f"    {parts[0]} = g{k}")
            elif s.node in products:
                a, b = (f"v{pos[src]}" for src in s.srcs)
                lines += [f"    {parts[0]} = g{k} @ {b}.T"] if wanted[0] else []
                lines += [f"    {parts[1]} = {a}.T @ g{k}"] if wanted[1] else []
            elif s.kernel.fn is not None:  # elementwise: upstream × local derivative, as its vjp forms it
                args = [f"v{pos[src]}" for src in s.srcs]
                for j, (src, d, want) in enumerate(zip(s.srcs, s.kernel.derivs, wanted)):
                    if not want:
                        continue
                    ns[f"K{i}_{j}"] = d
                    if d.__class__ is float:
                        lines.append(f"    {parts[j]} = g{k}" if d == 1.0 else f"    {parts[j]} = g{k} * K{i}_{j}")
                    else:
                        local = _call(d, f"K{i}_{j}", ["xp", f"A{i}", f"v{k}", *args])
                        lines.append(f"    {parts[j]} = g{k} * {local}")
                    lines += _reduce_to(parts[j], shapes[s.node], shapes[src], xp)
            elif need is not None and not all(wanted) and s.kernel.partial is not None:
                ns[f"P{i}"] = s.kernel.partial
                lines.append(f"    {', '.join(parts)}, = P{i}(xp, s{k}, g{k}, A{i}, {wanted})")
            else:
                ns[f"B{i}"] = s.kernel.vjp
                lines.append(f"    {', '.join(parts)}, = B{i}(xp, s{k}, g{k}, A{i})")
            for src, part, want in zip(s.srcs, parts, wanted):
                if not want:
                    continue
                if src in grads:  # fan-out: accumulate into a new array, never in place
                    lines.append(f"    g{pos[src]} = g{pos[src]} + {part}")
                else:
                    lines.append(f"    g{pos[src]} = {part}")
                    grads.append(src)
    # last, so that on a GPU the one wait for the device comes after all the work is queued
    for o in plan.outputs:
        check = "isfinite" if shapes[o] == () else "finite"  # a loss is one number: no array call
        lines.append(f"    if not {check}({'' if shapes[o] == () else 'xp, '}v{pos[o]}): raise Refused")
    values = ", ".join(f"{n!r}: v{pos[n]}" for n in plan.order)
    grad_dict = ", ".join(f"{n!r}: g{pos[n]}" for n in grads)
    lines.append(f"    return {{{values}}}, {{{grad_dict}}}")
    exec(_code("\n".join(lines)), ns)  # noqa: S102 - our own source
    # overflow becomes inf (reported by the recorded run, by node), never a warning; as a decorator this is
    # half the cost of a `with` block per call
    return numpy.errstate(all="ignore")(ns["step"])


class Executor:
    """Runs one graph. `training` is the train/eval switch of the modal ops (dropout, batch_norm): off by
    default, so the window, the CLI trace and the lectures' examples evaluate. set_mode() flips it and sets
    the run's `step` (which, with a dropout node's seed, picks its mask); the plan hands both to those ops'
    kernels as the attributes "training" and "step" (kernels/regularization.py).

    `dtype` is the float type the run computes in: the graph's float64 values, or float32 for training at
    the speed (and precision) PyTorch uses by default. The stored values and ∂L/∂L = 1 take it (a float64
    0-d seed would lift every gradient back to float64); values given to `run` should too."""

    def __init__(self, graph: Graph, xp: ModuleType = numpy, training: bool = False, dtype: str = "float64") -> None:
        self.graph = graph
        self.xp = xp
        self.training, self.step = bool(training), 0
        self._modal: list[dict[str, Any]] = []  # the plan's attribute dicts of the modal ops
        self.dtype = dtype
        self._plan: _Plan | None = None
        # compiled steps by (backward, wrt)
        self._compiled: dict[tuple[bool, frozenset[str] | None], Callable[[dict[str, Any]], Any]] = {}

    def plan(self) -> _Plan:
        g = self.graph
        if self._plan is None or self._plan.revision != g.revision:
            shapes = g.run_shapes()  # raises on cycles, missing inputs, shape mismatches, sizes past the limit
            steps = []
            for nid in g.topo_order():
                node = g.nodes[nid]
                spec = node.spec
                srcs = tuple(s for s in g.input_sources(nid) if s is not None)
                attrs = {**spec.default_attrs(), **node.attrs}
                if node.op in MODAL_OPS:
                    attrs.update(training=self.training, step=self.step)
                steps.append(_Step(nid, spec.kernel if node.op not in VALUE_OPS else None, srcs, spec.inputs,
                                   attrs, spec.formulas))
            outputs = g.outputs()
            if not outputs:
                raise GraphError("the graph has no output: add an Output node or an operation")
            self._plan = _Plan(g.revision, steps, shapes, outputs, [s.node for s in steps],
                               [s for s in steps if s.kernel is not None],
                               {s.node: self.xp.asarray(g.nodes[s.node].value, dtype=self.dtype)
                                for s in steps if s.kernel is None},
                               {o: self.xp.ones(shapes[o], dtype=self.dtype) for o in outputs},
                               frozenset(s.node for s in steps if g.nodes[s.node].op == "const"),
                               frozenset(s.node for s in steps if g.nodes[s.node].op == "output"))
            self._compiled = {}
            self._modal = [s.attrs for s in steps if g.nodes[s.node].op in MODAL_OPS]
        return self._plan

    def set_mode(self, training: bool, step: int = 0) -> None:
        """Switch training/evaluation and set the run's step, for this and later runs (the compiled code
        reads the same attribute dicts, so nothing is recompiled)."""
        self.training, self.step = bool(training), int(step)
        for attrs in self._modal:
            attrs["training"], attrs["step"] = self.training, self.step

    def _inputs(self, plan: _Plan, values: Mapping[str, Any] | None) -> dict[str, Any]:
        """The value nodes' arrays: stored ones, overridden by `values` (same shapes)."""
        vals = dict(plan.stored)
        for nid, v in (values or {}).items():
            if nid not in vals:
                raise _not_a_value_node(nid)
            vals[nid] = _given(self.xp, plan.shapes, nid, v)
        return vals

    def run(self, backward: bool = True, record: bool = True,
            values: Mapping[str, Any] | None = None, lr: float | None = None,
            wrt: frozenset[str] | None = None) -> Trace:
        """Run forward (and backward). `values` overrides stored input/param values, same shapes.

        With record=False no events are kept (training loops): only values and gradients. With a
        learning rate `lr` a recorded run ends with one update step per parameter: θ ← θ − lr·∂L/∂θ.
        `wrt` (a frozenset of node ids, record=False only) asks for the gradients of those nodes alone:
        the trace then holds those and the ones on the way to them, and no work goes into the others (a
        trainer wants its parameters' gradients, not its data's). A recorded run always has them all.
        """
        plan = self.plan()
        if not record and len(plan.ops) <= COMPILE_LIMIT:
            return self._run_compiled(plan, backward, values, wrt)
        xp = self.xp
        vals = self._inputs(plan, values)
        saved: dict[str, Any] = {}
        trace = Trace(plan.order, plan.outputs, vals)
        with numpy.errstate(all="ignore"):  # overflow becomes inf, reported below by node, not as a warning
            for s in plan.ops:
                ins = [vals[src] for src in s.srcs]
                if s.kernel.domain:
                    self._check_domain(s, ins)
                vals[s.node], saved[s.node] = s.kernel.forward(xp, ins, s.attrs)
            trace.forward = [ForwardEvent(n, vals[n]) for n in plan.order]
            self._check_values(trace)
            if backward:
                self._backward(plan, trace, saved)
                if lr is not None and record:
                    self._update(trace, lr)
        if not record:  # a plan too long to compile: the same values and gradients, without the events
            return Trace(plan.order, plan.outputs, trace.values, trace.grads)
        return trace

    def _check_domain(self, s: _Step, ins: list[Any]) -> None:
        bad = outside(self.xp, s.kernel.domain, ins, s.attrs)
        if bad is None:
            return
        domain, x, where = bad
        port, src = s.ports[domain.index], s.srcs[domain.index]
        at = f"[{', '.join(map(str, where))}] " if where else ""
        raise DomainError(f"node '{s.node}' ({self.graph.nodes[s.node].op}): input {port} {at}= {fmt_number(x)} "
                          f"(from '{src}') is outside its domain {domain.rule.format(**s.attrs)}", s.node)

    def _update(self, trace: Trace, lr: float) -> None:
        """One gradient-descent step per parameter, in evaluation order, as steps of the trace."""
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
            raise BadValueError(f"learning rate (lr): {lr!r} is not a positive number")
        params = {n: trace.values[n] for n in trace.order if self.graph.nodes[n].op == "param"}
        after = sgd_update(params, trace.grads, lr)
        trace.lr = float(lr)
        trace.updates = [UpdateEvent(n, params[n], trace.grads[n], float(lr), after[n]) for n in after]

    def _run_compiled(self, plan: _Plan, backward: bool, values: Mapping[str, Any] | None,
                      wrt: frozenset[str] | None = None) -> Trace:
        step = self._compiled.get((backward, wrt))
        if step is None:
            step = self._compiled[backward, wrt] = _compile(plan, backward, wrt, self.xp)
        # the step reads each value node from this dict and checks the given ones' type and shape itself
        vals = {**plan.stored, **values} if values else plan.stored
        if len(vals) != len(plan.stored):
            raise _not_a_value_node(next(nid for nid in values if nid not in plan.stored))
        try:
            vals, grads = step(vals)
        except _Refused:  # walk the plan: it names the node and the rule, or the node of the NaN
            return self.run(backward, record=True, values=values)
        # A NaN gradient shows up as a NaN parameter at the next step's forward pass.
        return Trace(plan.order, plan.outputs, vals, grads)

    def _backward(self, plan: _Plan, trace: Trace, saved: dict[str, Any]) -> None:
        xp = self.xp
        grads = trace.grads
        grads.update(plan.seeds)
        for s in reversed(plan.ops):
            upstream = grads.get(s.node)
            if upstream is None:
                continue  # the outputs do not depend on this node
            in_grads = s.kernel.vjp(xp, saved[s.node], upstream, s.attrs)
            for i, src in enumerate(s.srcs):
                if src in plan.consts:
                    continue  # a constant takes no gradient step
                g = in_grads[i]
                previous = grads.get(src)
                total = g if previous is None else previous + g  # accumulate, never overwrite
                grads[src] = total
                local = s.kernel.local(xp, saved[s.node], i, s.attrs) if s.kernel.local else None
                trace.backward.append(EdgeEvent(src, s.node, s.ports[i], upstream, local, g,
                                                s.formulas[i] if i < len(s.formulas) else "", previous, total))
        for nid in trace.order:
            if nid in grads and not _finite(xp, grads[nid]):
                raise NonFiniteError(f"node '{nid}': its gradient is not finite (NaN or infinity)", nid)

    def _check_values(self, trace: Trace) -> None:
        for nid in trace.order:  # the first node in evaluation order is where the trouble starts
            if not _finite(self.xp, trace.values[nid]):
                node = self.graph.nodes[nid]
                ins = ", ".join(self.graph.input_sources(nid)) if not node.spec.is_source else ""
                raise NonFiniteError(f"node '{nid}' ({node.op}) produced NaN or infinity"
                                     + (f" from {ins}" if ins else ""), nid)
