"""`info`: each node's op, output shape and parameter count, and the total, by shape inference alone.

`info EXAMPLE|FILE` reads a graph; `info --expr "..." --shape x=1,3,227,227 --shape W=96,3,11,11` builds one
from an expression whose names are given shapes instead of values. A name's stand-in holds no memory and
shapes are not capped at a value's 10,000,000 numbers (nothing is computed), so VGG-16 at batch 64 is shown;
running such a graph is refused by node (Graph.run_shapes).
"""
from __future__ import annotations

import argparse

import numpy

from graphapp.cli import LANGS, UsageError, clean, env_lang, json_text, table
from graphapp.core import examples
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info, shape_text
from graphapp.core.values import stand_in

EXAMPLE = "x=1,3,227,227"


def add_parser(sub: argparse._SubParsersAction, lang: str) -> None:
    p = sub.add_parser("info", help="each node's op, output shape and parameter count, and the total", lang=lang)
    p.add_argument("target", nargs="?", help="an example name or a graph file (.json)")
    p.add_argument("--expr", help='an expression, e.g. "y = conv2d(x, W, b, stride=4)"')
    p.add_argument("--shape", action="append", default=[], metavar="NAME=D1,D2,...",
                   help=f"the shape of a name in --expr, e.g. {EXAMPLE} (repeatable)")
    p.add_argument("--param", action="append", default=[], metavar="NAME",
                   help="treat NAME as a trainable parameter (w*, W*, b* are by default)")
    p.add_argument("--json", action="store_true", help="print nodes [{id, label, op, shape, params}] and total_params")
    p.add_argument("--lang", choices=LANGS, default=env_lang(), help="error messages in this language")


def parse_shape(item: str) -> tuple[str, numpy.ndarray]:
    """NAME=D1,D2,... with each size a whole number ≥ 1, as a stand-in value (values.stand_in: no memory)."""
    name, eq, sizes = item.partition("=")
    parts = [s.strip() for s in sizes.split(",")]
    if not eq or not name.strip() or not all(s.isascii() and s.isdecimal() and len(s) <= 9 and int(s) >= 1
                                             for s in parts):
        raise UsageError(f"--shape {item!r}: expected NAME=SIZES, whole numbers ≥ 1 separated by commas, "
                         f"e.g. {EXAMPLE}")
    return name.strip(), stand_in(tuple(int(s) for s in parts), f"--shape {name.strip()}")


def load(args: argparse.Namespace) -> Graph:
    if args.expr and args.target:
        raise UsageError("give either a graph (example or file) or --expr with --shape, not both")
    if args.expr:
        shapes: dict[str, numpy.ndarray] = {}
        for name, value in map(parse_shape, args.shape):
            if name in shapes:
                raise UsageError(f"--shape {name}: the name is given twice")
            shapes[name] = value
        return parse_expression(args.expr, shapes, set(args.param), "--shape")
    if not args.target:
        raise UsageError("info needs an example name, a graph file, or --expr with --shape")
    if args.shape:
        raise UsageError("--shape works with --expr")
    return examples.open_target(args.target)


def run(args: argparse.Namespace) -> int:
    rows, total = graph_info(load(args))
    if args.json:
        print(json_text({"nodes": [{"id": r.id, "label": r.label, "op": r.op, "shape": list(r.shape),
                                    "params": r.params} for r in rows], "total_params": total}))
        return 0
    print(table([[str(i), r.label, r.op, shape_text(r.shape), f"{r.params:,}" if r.params else ""]
                 for i, r in enumerate(rows, 1)], ["#", "node", "op", "shape", "params"]))
    print(clean(f"total parameters: {total:,}"))
    return 0
