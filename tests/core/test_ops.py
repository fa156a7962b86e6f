"""The op registry: each op defined once, by one OpSpec built with keyword arguments."""
from __future__ import annotations

import ast
from pathlib import Path

from graphapp.core.ops import REGISTRY
from graphapp.core.ops.activations import ACTIVATIONS
from graphapp.core.ops.arith import ARITH
from graphapp.core.ops.linalg import LINALG
from graphapp.core.ops.losses import LOSSES
from graphapp.core.ops.nn import LAYERS
from graphapp.core.ops.recurrent import RECURRENT
from graphapp.core.ops.regularization import REGULARIZATION
from graphapp.core.ops.sources import SOURCES
from graphapp.core.ops.state import STATE

OPS_DIR = Path(__file__).resolve().parents[2] / "graphapp" / "core" / "ops"


def test_no_op_name_or_alias_is_defined_twice() -> None:
    specs = [*SOURCES, *ARITH, *ACTIVATIONS, *LINALG, *LOSSES, *REGULARIZATION, *LAYERS, *RECURRENT, *STATE]
    assert len(REGISTRY) == len(specs)  # the registry's dict would silently keep only the last of two
    names = [n for op in specs for n in (op.name, *op.aliases)]
    assert len(names) == len(set(names))


def test_every_opspec_names_its_fields() -> None:
    calls = [(path.name, node.lineno) for path in sorted(OPS_DIR.glob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "OpSpec" and node.args]
    assert calls == []  # positional arguments: a field added to OpSpec would shift their meaning


def test_korean_rules_are_korean_sentences_on_ops_that_have_one() -> None:
    rules = {name: op.ko_rule for name, op in REGISTRY.items() if op.ko_rule}
    assert {"add", "sub", "mul", "sigmoid", "output", "exp", "reciprocal"} <= rules.keys()
    assert all(any("가" <= ch <= "힣" for ch in text) and not text.endswith(".") for text in rules.values())
