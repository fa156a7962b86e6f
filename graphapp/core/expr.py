"""Expressions to graphs: "L = (sigmoid(w1*x1 + w2*x2 + b) - y)**2" parsed (never evaluated) into a Graph.

Statements are separated by ';' or new lines. A name assigned earlier names that node; any other
name needs a value. Names like w, w1, W2, b, b1 become trainable parameters, all others inputs;
the last assignment (or the bare expression) becomes the Output node. Parsing (expr_syntax) and
building (here) use explicit stacks, so an expression of any length up to expr_syntax.MAX_CHARS works.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from graphapp.core.errors import ExpressionError, StudioError
from graphapp.core.expr_syntax import NOT_LITERAL, Expr, fail, parse
from graphapp.core.graph import Graph
from graphapp.core.ops import REGISTRY

PARAM_NAME = re.compile(r"^([wWbB]\d*|theta\d*|θ\d*)(_\w+)?$")
FUNCTIONS = {name: spec for name, spec in REGISTRY.items() if not spec.is_source and name != "output"}
FUNCTIONS.update({alias: spec for spec in list(FUNCTIONS.values()) for alias in spec.aliases})
_OPS = {"neg": "neg", "T": "transpose", "pow": "pow"}  # syntax node kind -> op (bin and call name theirs)


def is_param_name(name: str) -> bool:
    return bool(PARAM_NAME.match(name))


def const_label(value: int | float) -> str:
    """A constant's label: the literal as typed, or a short form of a very long one."""
    text = repr(value)
    return text if len(text) <= 24 else text[:12] + "…" + text[-6:]


class _Builder:
    def __init__(self, text: str, values: Mapping[str, Any], params: set[str], reserved: set[str],
                 option: str = "--set") -> None:
        self.text, self.values, self.params, self.option = text, values, params, option
        self.graph = Graph()
        self.names: dict[str, str] = {}  # assigned variable -> node id
        self.reserved = reserved  # every name in the text: generated ids never take one
        self.counters: dict[str, int] = {}

    def fail(self, pos: int, message: str) -> ExpressionError:
        return fail(self.text, pos, message)

    def fresh(self, prefix: str) -> str:
        """Like Graph.unique_id (the smallest free prefix_N), in constant time: nodes are only added here."""
        i = self.counters.get(prefix, 1)
        while f"{prefix}_{i}" in self.graph.nodes or f"{prefix}_{i}" in self.reserved:
            i += 1
        self.counters[prefix] = i + 1
        return f"{prefix}_{i}"

    def add(self, op: str, args: list[str], pos: int, attrs: dict[str, Any] | None = None,
            node_id: str | None = None) -> str:
        spec = REGISTRY[op]
        if len(args) != len(spec.inputs):
            raise self.fail(pos, f"{op}() takes {len(spec.inputs)} argument(s) ({', '.join(spec.inputs)}), "
                                 f"got {len(args)}")
        try:
            node = self.graph.add_node(op, node_id or self.fresh(op), attrs=attrs)
            for port, src in zip(spec.inputs, args):
                self.graph.connect(src, node.id, port)
        except StudioError as exc:
            raise self.fail(pos, str(exc)) from None
        return node.id

    def leaf(self, name: str, pos: int) -> str:
        if name in self.names:
            return self.names[name]
        if name not in self.graph.nodes:
            if name not in self.values:
                raise self.fail(pos, f"name '{name}' has no value (give one with --set {name}=...)"
                                if self.option == "--set" else
                                f"name '{name}' has no shape (give one with --shape {name}=...)")
            op = "param" if name in self.params or is_param_name(name) else "input"
            try:
                self.graph.add_node(op, name, value=self.values[name])
            except StudioError as exc:
                raise self.fail(pos, str(exc)) from None
        return name

    def const(self, value: Any, pos: int) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(pos, f"{value!r} is not a number")
        node_id = self.fresh("const")
        try:
            self.graph.add_node("const", node_id, label=const_label(value), value=value)
        except StudioError as exc:  # e.g. 10**400 or 1e400: no float64 holds it
            raise self.fail(pos, str(exc)) from None
        return node_id

    def check(self, e: Expr) -> None:
        """What must hold before a node's operands are built (the order of the messages users see)."""
        if e.kind == "pow" and e.value is None:
            raise self.fail(e.at, "the exponent of ** must be a number")
        if e.kind == "call":
            if e.text not in FUNCTIONS:
                raise self.fail(e.pos, f"unknown function '{e.text}' (known: {', '.join(sorted(FUNCTIONS))})")
            spec = FUNCTIONS[e.text]
            for name, value, pos in e.value:
                if name not in {a.name for a in spec.attrs}:
                    raise self.fail(pos, f"{spec.name}() has no option '{name}'")
                if value is NOT_LITERAL:
                    raise self.fail(pos, f"option '{name}' must be a literal (a number, a list of numbers, "
                                         "True, False, None or a string)")

    def combine(self, e: Expr, args: list[str], node_id: str | None) -> str:
        if e.kind == "pos":
            return args[0]
        if e.kind == "pow":
            return self.add("pow", args, e.pos, {"p": e.value}, node_id)  # the attribute check makes it a float
        if e.kind == "call":
            spec = FUNCTIONS[e.text]
            return self.add(spec.name, args, e.pos, {name: value for name, value, _ in e.value}, node_id)
        return self.add(e.text if e.kind == "bin" else _OPS[e.kind], args, e.pos, node_id=node_id)

    def build(self, root: Expr, node_id: str | None = None) -> str:
        """The node id of `root`, its operands built first, left to right (post-order, no recursion)."""
        done: list[str] = []  # ids of built operands, innermost last
        todo: list[tuple[Expr, bool]] = [(root, False)]
        while todo:
            e, operands_built = todo.pop()
            if operands_built:
                cut = len(done) - len(e.args)
                args = done[cut:]
                del done[cut:]
                done.append(self.combine(e, args, node_id if e is root else None))
            elif e.kind == "name":
                done.append(self.leaf(e.text, e.pos))
            elif e.kind in ("num", "lit"):
                done.append(self.const(e.value, e.pos))
            else:
                self.check(e)
                todo.append((e, True))
                todo.extend((arg, False) for arg in reversed(e.args))
        return done[0]


def parse_expression(text: str, values: Mapping[str, Any], params: set[str] | None = None,
                     option: str = "--set") -> Graph:
    """Build a graph from an expression; `values` maps names to numbers, lists or JSON text, given with
    `option` (--set, or --shape for `info`, whose errors must name the option the user typed)."""
    statements, names = parse(text)
    if not statements:
        raise ExpressionError("expression is empty")
    b = _Builder(text, values, set(params or ()), names, option)
    out_name, last = "f", ""
    for i, stmt in enumerate(statements):
        final = i == len(statements) - 1
        if stmt.target is None and not final:
            raise b.fail(stmt.pos, "each statement must be NAME = EXPRESSION (the last may be a bare expression)")
        if stmt.target is None:
            last = b.build(stmt.expr)
            continue
        if stmt.target in b.names or stmt.target in b.graph.nodes:
            raise b.fail(stmt.pos, f"'{stmt.target}' is assigned twice")
        if final:
            out_name, last = stmt.target, b.build(stmt.expr)
        else:
            b.names[stmt.target] = b.build(stmt.expr, node_id=stmt.target)
    b.add("output", [last], statements[-1].pos, node_id=out_name)
    unused = sorted(set(values) - set(b.graph.nodes))
    if unused:
        raise ExpressionError(f"{option} {unused[0]}: no such name in the expression")
    return b.graph
