"""Expressions to graphs: "L = (sigmoid(w1*x1 + w2*x2 + b) - y)**2" parsed with `ast`, never evaluated.

Statements are separated by ';' or new lines. A name assigned earlier names that node; any other
name needs a value. Names like w, w1, W2, b, b1 become trainable parameters, all others inputs;
the last assignment (or the bare expression) becomes the Output node.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Mapping

from graphapp.core.errors import ExpressionError, StudioError
from graphapp.core.graph import Graph
from graphapp.core.ops import REGISTRY

BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.MatMult: "matmul"}
PARAM_NAME = re.compile(r"^([wWbB]\d*|theta\d*|θ\d*)(_\w+)?$")
FUNCTIONS = {name: spec for name, spec in REGISTRY.items() if not spec.is_source and name != "output"}
FUNCTIONS.update({alias: spec for spec in list(FUNCTIONS.values()) for alias in spec.aliases})


def is_param_name(name: str) -> bool:
    return bool(PARAM_NAME.match(name))


class _Builder:
    def __init__(self, text: str, values: Mapping[str, Any], params: set[str]) -> None:
        self.text, self.values, self.params = text, values, params
        self.graph = Graph()
        self.names: dict[str, str] = {}  # assigned variable -> node id

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(f"expression, column {getattr(node, 'col_offset', 0) + 1}: {message}")

    def add(self, op: str, args: list[str], attrs: dict[str, Any] | None = None, node_id: str | None = None,
            at: ast.AST | None = None) -> str:
        spec = REGISTRY[op]
        if len(args) != len(spec.inputs):
            raise self.fail(at, f"{op}() takes {len(spec.inputs)} argument(s) ({', '.join(spec.inputs)}), "
                                f"got {len(args)}")
        try:
            node = self.graph.add_node(op, node_id, attrs=attrs)
            for port, src in zip(spec.inputs, args):
                self.graph.connect(src, node.id, port)
        except StudioError as exc:
            raise self.fail(at, str(exc)) from None
        return node.id

    def leaf(self, name: str, at: ast.AST) -> str:
        if name in self.names:
            return self.names[name]
        if name not in self.graph.nodes:
            if name not in self.values:
                raise self.fail(at, f"name '{name}' has no value (give one with --set {name}=...)")
            op = "param" if name in self.params or is_param_name(name) else "input"
            try:
                self.graph.add_node(op, name, value=self.values[name])
            except StudioError as exc:
                raise self.fail(at, str(exc)) from None
        return name

    def const(self, value: Any, at: ast.AST) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(at, f"{value!r} is not a number")
        node_id = self.graph.unique_id("const")
        self.graph.add_node("const", node_id, label=repr(value), value=value)
        return node_id

    def number(self, node: ast.AST) -> float | None:
        try:
            value = ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError):
            return None
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def build(self, node: ast.AST, node_id: str | None = None) -> str:
        if isinstance(node, ast.Name):
            return self.leaf(node.id, node)
        if isinstance(node, ast.Constant):
            return self.const(node.value, node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            number = self.number(node)
            if number is not None:
                return self.const(number, node)
            inner = self.build(node.operand)
            return inner if isinstance(node.op, ast.UAdd) else self.add("neg", [inner], node_id=node_id, at=node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            p = self.number(node.right)
            if p is None:
                raise self.fail(node.right, "the exponent of ** must be a number")
            return self.add("pow", [self.build(node.left)], {"p": p}, node_id, node)  # checked, made float
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            args = [self.build(node.left), self.build(node.right)]
            return self.add(BINARY[type(node.op)], args, node_id=node_id, at=node)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return self.add("transpose", [self.build(node.value)], node_id=node_id, at=node)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = ast.unparse(node.func)
                known = ", ".join(sorted(FUNCTIONS))
                raise self.fail(node, f"unknown function '{name}' (known: {known})")
            spec = FUNCTIONS[node.func.id]
            attrs = {}
            for kw in node.keywords:
                if kw.arg not in {a.name for a in spec.attrs}:
                    raise self.fail(kw, f"{spec.name}() has no option '{kw.arg}'")
                try:
                    attrs[kw.arg] = ast.literal_eval(kw.value)
                except (ValueError, SyntaxError):
                    raise self.fail(kw, f"option '{kw.arg}' must be a literal") from None
            return self.add(spec.name, [self.build(a) for a in node.args], attrs, node_id, node)
        raise self.fail(node, f"'{ast.unparse(node)}' is not supported here")


def parse_expression(text: str, values: Mapping[str, Any], params: set[str] | None = None) -> Graph:
    """Build a graph from an expression; `values` maps names to numbers, lists or JSON text."""
    try:
        tree = ast.parse("\n".join(part.strip() for part in text.replace(";", "\n").splitlines()), mode="exec")
    except SyntaxError as exc:
        raise ExpressionError(f"expression, column {exc.offset or 0}: invalid syntax") from None
    if not tree.body:
        raise ExpressionError("expression is empty")
    b = _Builder(text, values, set(params or ()))
    out_name, last = "f", None
    for i, stmt in enumerate(tree.body):
        final = i == len(tree.body) - 1
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name in b.names or name in b.graph.nodes:
                raise b.fail(stmt, f"'{name}' is assigned twice")
            if final:
                out_name, last = name, b.build(stmt.value)
            else:
                b.names[name] = b.build(stmt.value, node_id=name)
        elif isinstance(stmt, ast.Expr) and final:
            last = b.build(stmt.value)
        else:
            raise b.fail(stmt, "each statement must be NAME = EXPRESSION (the last may be a bare expression)")
    b.add("output", [last], node_id=out_name, at=tree.body[-1])
    unused = sorted(set(values) - set(b.graph.nodes))
    if unused:
        raise ExpressionError(f"--set {unused[0]}: no such name in the expression")
    return b.graph
