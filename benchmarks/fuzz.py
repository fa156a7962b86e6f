"""A fuzzer over every headless entry point: graph files, expressions, `--set` values and CLI options.

Each case is a hostile input made from a seed: a mutated lecture example (structure and bytes), an
expression from a grammar with odd tokens, a command line for `trace`/`render`, a layer graph (conv,
pooling, dense, embedding, one-hot, batch norm, recurrent cells and sequences, select, append) with
fitting, ill-fitting or huge shapes, expand/collapse with edits between, damaged `groups` records in a
file, a lab command line (`info`, `train`, `plot series|hidden`, `trace --backend`), or a picture named so that
its CSV would land on the data set it was drawn from (which must stay as it was). The contract checked:
the Python API returns a result or raises a StudioError; the CLI exits 0 with valid output (strict JSON
with --json, encodable text) or exits 2 with exactly one `error:` line; nothing hangs (a per-case alarm).

    python benchmarks/fuzz.py --cases 10000 [--seed 1] [--kinds file,bytes,expr,cli,layers,expand,groups,lab,outputs] [--render]

prints a summary line and, for each failure, the seed, the kind and the exception, and exits 1 on any.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import math
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # `train --curves` and `plot` draw with Qt, headless
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graphapp.cli import json_text, trace_dict, update  # noqa: E402
from graphapp.cli import main as cli_main  # noqa: E402
from graphapp.core import fileio  # noqa: E402
from graphapp.core.errors import StudioError  # noqa: E402
from graphapp.core.executor import Executor  # noqa: E402
from graphapp.core.expr import FUNCTIONS, parse_expression  # noqa: E402
from graphapp.core.values import to_json  # noqa: E402

EXAMPLES = sorted((ROOT / "assets" / "examples").glob("*.json"))
CASE_SECONDS = 20  # a case that runs longer is a hang

# Values a careless or hostile user puts where a field belongs.
ODD_STRINGS = ["", " ", "abc", "5", "[1,2]", "NaN", "\ud800", "\x1b[31mred\x1b[0m", "a\nb", "사과",
               "Ｘ", "\u202eevil", "x" * 5000, "\x00", "../../etc/passwd", "1e400", "-0"]


class Raw(str):
    """JSON text put into a document as it is (5,000-digit numbers, 1,100 nested brackets): Python's own
    encoder cannot write those, so `dumps` swaps placeholders for them after encoding."""


def dumps(doc: Any, ensure_ascii: bool = False) -> str:
    raws: list[str] = []

    def hide(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(value, dict):
            return {k: hide(v) for k, v in value.items()}
        if isinstance(value, list):
            return [hide(v) for v in value]
        return value

    text = json.dumps(hide(doc), ensure_ascii=ensure_ascii)
    return re.sub(r'"\\u0000raw(\d+)\\u0000"', lambda m: raws[int(m.group(1))], text)


def odd_number(rng: random.Random) -> Any:
    return rng.choice([0, -0.0, 1, -1, 0.5, 1e-320, 1e308, -1e308, 10**400, Raw("9" * 5000), 2**63, -2**63,
                       1e-7, 3.3e5, float("nan"), float("inf"), -float("inf")])


def odd_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if r < 0.3:
        return odd_number(rng)
    if r < 0.45:
        return rng.choice(ODD_STRINGS)
    if r < 0.5:
        return rng.choice([None, True, False])
    if r < 0.55:
        return nested(rng.choice([20, 60, 1100]))
    if r < 0.6:
        return {"k": rng.choice(ODD_STRINGS)}
    if r < 0.65:
        return [[1, 2], [3]]  # ragged
    if r < 0.7:
        shape = [1] * rng.choice([9, 33, 40])  # many dimensions
        return shaped(shape, 1.0)
    if depth < 2:
        return [odd_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.uniform(-10, 10)


def nested(depth: int) -> Raw:
    return Raw("[" * depth + "1" + "]" * depth)


def shaped(shape: list[int], fill: float) -> Any:
    value: Any = fill
    for n in reversed(shape):
        value = [copy.deepcopy(value) for _ in range(n)] if n > 1 else [value]
    return value


LAYER_ATTRS = ["stride", "padding", "kernel_size", "num_classes", "sequences", "nonlinearity", "index", "eps",
               "momentum"]


# ---- file mutations -------------------------------------------------------------------------------

def mutate_structure(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A few structural edits: fields dropped, retyped or set to odd values; nodes and edges rewired."""
    doc = copy.deepcopy(doc)
    nodes, edges = doc.get("nodes", []), doc.get("edges", [])
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.25 and nodes:
            node = rng.choice(nodes)
            key = rng.choice(["id", "op", "label", "label_ko", "value", "attrs", "pos", "extra"])
            if rng.random() < 0.3:
                node.pop(key, None)
            else:
                node[key] = odd_value(rng)
        elif r < 0.4 and nodes:
            node = rng.choice(nodes)
            attr = rng.choice(["axis", "p", "shape", "axes", "alpha", "keepdims", "nonexistent", *LAYER_ATTRS])
            node.setdefault("attrs", {})
            if isinstance(node["attrs"], dict):
                node["attrs"][attr] = odd_value(rng)
        elif r < 0.5 and nodes:
            node = rng.choice(nodes)
            node["op"] = rng.choice([*FUNCTIONS, "input", "param", "const", "output", "nope"])
        elif r < 0.6 and len(nodes) > 1:
            a, b = rng.sample(nodes, 2)
            edges.append({"from": a.get("id"), "to": b.get("id"), "port": rng.choice(["a", "b", "x", "y", "z"])})
        elif r < 0.65 and edges:
            edges.append(copy.deepcopy(rng.choice(edges)))  # a duplicate edge
        elif r < 0.7 and edges:
            e = rng.choice(edges)
            e[rng.choice(["from", "to", "port"])] = odd_value(rng)
        elif r < 0.75 and nodes:
            nodes.append(copy.deepcopy(rng.choice(nodes)))  # a duplicate id
        elif r < 0.8:
            meta = doc.setdefault("meta", {})
            if isinstance(meta, dict):
                meta[rng.choice(["title", "description", "lr", "name", "source"])] = odd_value(rng)
            else:
                doc["meta"] = odd_value(rng)
        elif r < 0.85:
            doc[rng.choice(["format", "version", "nodes", "edges", "meta"])] = odd_value(rng)
        elif r < 0.9 and nodes:
            node = rng.choice(nodes)
            if node.get("op") in ("input", "param", "const"):
                node["value"] = shaped([rng.choice([1, 2, 3, 50])] * rng.randint(1, 3), rng.uniform(-3, 3))
        elif r < 0.95 and edges:
            edges.remove(rng.choice(edges))
        elif nodes:
            nodes.remove(rng.choice(nodes))
    return doc


def mutate_bytes(text: str, rng: random.Random) -> str:
    """Byte-level damage: truncation, inserted junk, flipped characters, deep brackets."""
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.2 and chars:
            del chars[rng.randrange(len(chars)):]
        elif r < 0.5:
            pos = rng.randrange(len(chars) + 1)
            chars[pos:pos] = list(rng.choice(['"', "{", "}", "[", "]", ",", ":", "\\u0000", "NaN", "1e999",
                                              "\ud800", "\x1b", "[" * 2000, "-", "0" * 500]))
        elif chars:
            i = rng.randrange(len(chars))
            chars[i] = chr(rng.choice([0, 9, 10, 34, 44, 45, 48, 91, 93, 123, 125, 0x2212, 0xD800, 0xFEFF]))
    return "".join(chars)


def run_graph(graph: Any) -> None:
    """What `trace` does with a loaded graph, through the JSON the CLI would print."""
    trace = Executor(graph).run()
    lr = graph.meta.get("lr")
    new = None if lr is None else update(graph, trace, lr)
    json_text(trace_dict(graph, trace, lr, new))
    held = sum(n.value.size for n in graph.nodes.values() if n.value is not None)
    if held <= 100_000:  # a save writes a number a line (about 10 µs each): linear, but minutes at 10⁷
        fileio.dumps(graph).encode("utf-8")  # what a save would write: whatever loaded must save again


def case_file(rng: random.Random) -> None:
    doc = json.loads(rng.choice(EXAMPLES).read_text(encoding="utf-8"))
    text = dumps(mutate_structure(doc, rng), ensure_ascii=rng.random() < 0.5)
    run_api(lambda: run_graph(fileio.loads(text)))


def mutate_numbers(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Mild edits that keep the file valid: new values of any magnitude and sign, plausible settings, so the
    graph runs and the math itself meets overflow, underflow and points outside an op's domain."""
    doc = copy.deepcopy(doc)
    scale = lambda: rng.choice([0.0, 1e-300, 1e-8, 0.5, 1.0, 3.0, 50.0, 1e3, 1e150, 1e300])  # noqa: E731
    for node in doc["nodes"]:
        if node.get("op") in ("input", "param", "const") and rng.random() < 0.6:
            shape = list(__import__("numpy").shape(node["value"]))
            if rng.random() < 0.2:
                shape = [rng.choice([1, 2, 3])] * rng.randint(0, 2)
            values = [rng.choice([-1, 1]) * scale() for _ in range(max(1, int(math.prod(shape))))]
            node["value"] = values[0] if not shape else __import__("numpy").reshape(values, shape).tolist()
        elif "attrs" in node and rng.random() < 0.3:
            for key in node["attrs"]:
                node["attrs"][key] = rng.choice([0, 1, -1, 2, 0.5, -3.5, None, [0], [1, 0], [-1]])
    return doc


def case_values(rng: random.Random) -> None:
    doc = json.loads(rng.choice(EXAMPLES).read_text(encoding="utf-8"))
    text = dumps(mutate_numbers(doc, rng))
    run_api(lambda: run_graph(fileio.loads(text)))
    if rng.random() < 0.3:  # and the same file through the CLI, as a user would run it
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "g.json"
            path.write_text(text, encoding="utf-8")
            run_cli(["trace", str(path), *rng.choice([[], ["--json"], ["--lang", "ko"], ["--lr", "0.5"]])])


def case_bytes(rng: random.Random) -> None:
    text = mutate_bytes(rng.choice(EXAMPLES).read_text(encoding="utf-8"), rng)
    run_api(lambda: run_graph(fileio.loads(text)))


def case_edits(rng: random.Random) -> None:
    """What the inspector and the canvas send the model (values and settings as typed text, labels,
    connections, removals): each edit succeeds or is refused, and a refused edit changes nothing."""
    from graphapp.core.values import parse_json  # noqa: PLC0415

    graph = fileio.loads(rng.choice(EXAMPLES).read_text(encoding="utf-8"))
    for _ in range(rng.randint(1, 8)):
        ids = list(graph.nodes)
        node = rng.choice(ids) if ids else "nope"
        before = (fileio.dumps(graph), graph.revision)
        r = rng.random()
        try:
            if r < 0.3:
                graph.set_value(node, value_text(rng))
            elif r < 0.5:
                text = value_text(rng) if rng.random() < 0.5 else rng.choice(ODD_STRINGS)
                try:  # as the inspector reads a field: JSON with bounded nesting, else the text itself
                    typed = parse_json(text, 8, StudioError)
                except (StudioError, ValueError):
                    typed = text
                graph.set_attr(node, rng.choice(["axis", "p", "shape", "axes", "alpha", "keepdims", "x"]), typed)
            elif r < 0.6:
                graph.set_label(node, rng.choice(ODD_STRINGS), rng.choice([None, *ODD_STRINGS]))
            elif r < 0.8 and ids:
                graph.connect(rng.choice(ids), node, rng.choice(["a", "b", "x", "pred", "target", "logits"]))
            elif r < 0.9:
                graph.remove_node(node)
            else:
                graph.add_node(rng.choice([*FUNCTIONS, "input", "param", "nope"]), rng.choice([None, "n", *ids]))
        except StudioError:
            if (fileio.dumps(graph), graph.revision) != before:
                raise ContractBroken("a refused edit changed the graph") from None
    run_api(lambda: run_graph(graph))


# ---- expressions ------------------------------------------------------------------------------------

NAMES = ["x", "y", "w1", "W", "b", "x1", "사과", "θ", "L"]


def expression(rng: random.Random, depth: int = 0) -> str:
    r = rng.random()
    if depth > 4 or r < 0.25:
        return rng.choice(NAMES) if rng.random() < 0.7 else number_text(odd_number(rng))
    if r < 0.5:
        op = rng.choice(["+", "-", "*", "/", "@", "**"])
        return f"({expression(rng, depth + 1)} {op} {expression(rng, depth + 1)})"
    if r < 0.75:
        name = rng.choice([*FUNCTIONS, "eval", "__import__", "os.system"])
        args = [expression(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.4:
            key = rng.choice(["axis", "p", "shape", "axes", "alpha", "keepdims", "lr"])
            args.append(f"{key}={rng.choice(['0', '-1', 'None', repr('a'), '[0, 0]', '2', '1.5', '[2, -1]', '10**400'])}")
        return f"{name}({', '.join(args)})"
    if r < 0.85:
        return f"-{expression(rng, depth + 1)}"
    if r < 0.9:
        return f"{expression(rng, depth + 1)}.T"
    junk = ["", "(", ")", "x +", "lambda: 1", "x[0]", "x if y else z", "\ud800", "\x1b", "Ｘ", "x;;y", "a = b = c",
            " + ".join(["x"] * rng.choice([10, 1000, 5000])), "(" * 300 + "x" + ")" * 300]
    return rng.choice(junk)


def number_text(x: Any) -> str:
    if isinstance(x, Raw):
        return str(x)
    return repr(x).replace("inf", "1e999").replace("nan", "(1e999 - 1e999)")


def statements(rng: random.Random) -> str:
    parts = [f"t{i} = {expression(rng)}" for i in range(rng.randint(0, 2))]
    parts.append(("L = " if rng.random() < 0.7 else "") + expression(rng))
    return rng.choice(["; ", "\n"]).join(parts)


def value_text(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return repr(rng.choice([1, 0.5, -2, 3]))
    if r < 0.7:
        return json.dumps(shaped([rng.choice([1, 2, 3])] * rng.randint(1, 2), 1.0))
    if r < 0.85:
        return rng.choice(["abc", "", "[1,", "[[1,2],[3]]", "1e400", "NaN", "Infinity", "true", "\ud800", "9" * 400,
                           "[" * 1100 + "]" * 1100, nested(40)])
    return dumps(odd_value(rng))


def case_expr(rng: random.Random) -> None:
    text = statements(rng)
    values = {n: value_text(rng) for n in NAMES if rng.random() < 0.8}
    run_api(lambda: run_graph(parse_expression(text, values, set())))


# ---- command lines ----------------------------------------------------------------------------------

def case_cli(rng: random.Random, render: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if render and rng.random() < 0.5:
            argv = ["render", rng.choice([*(p.stem for p in EXAMPLES), tmp, "/dev/null", "nope"]),
                    "-o", rng.choice([f"{tmp}/r.png", tmp, f"{tmp}/no/dir.png", ""]),
                    "--canvas-only", "--size", rng.choice(["64x48", "0x0", "-5x10", "99999999999999999999x1",
                                                           "20000x20000", "axb", "16x16", "200x100"])]
            if rng.random() < 0.5:
                argv += ["--step", rng.choice(["0", "-1", "3", "99999", "x"])]
        else:
            argv = ["trace"]
            if rng.random() < 0.5:
                argv.append(rng.choice([*(p.stem for p in EXAMPLES), tmp, "/dev/null", "nope.json", "\ud800"]))
            else:
                argv += ["--expr", statements(rng)]
                for name in rng.sample(NAMES, rng.randint(0, len(NAMES))):
                    argv += ["--set", f"{name}={value_text(rng)}"]
                    if rng.random() < 0.03:
                        argv += ["--set", f"{name} ={value_text(rng)}"]
            if rng.random() < 0.4:
                argv += ["--lr", rng.choice(["0.1", "nan", "inf", "-1", "1e308", "abc", "1e-400"])]
            if rng.random() < 0.5:
                argv.append("--json")
            if rng.random() < 0.3:
                argv += ["--lang", rng.choice(["ko", "en", "fr"])]
            if rng.random() < 0.2:
                argv += ["--save", rng.choice(["", tmp, f"{tmp}/", f"{tmp}/g.json", f"{tmp}/no/g.json"])]
        run_cli(argv)


# ---- layers: conv, pooling, dense, embedding, recurrent ---------------------------------------------

def _dims(rng: random.Random, n: int, huge: bool) -> list[int]:
    return [rng.choice([1, 2, 3, 4]) if not huge or rng.random() < 0.5 else rng.choice([0, 64, 1000])
            for _ in range(n)]


def _array(rng: random.Random, shape: list[int], index_below: int = 0) -> Any:
    """A value of `shape` (zeros when large: the point is the size); whole numbers below `index_below`
    (an index, sometimes out of range or fractional) when it is positive."""
    np = __import__("numpy")
    shape = [max(d, 0) for d in shape]
    if math.prod(shape) > 10_000:  # a read-only view: a value over the limits must be refused, not made here
        return np.broadcast_to(np.zeros(()), shape)
    if index_below:
        return np.array([rng.choice([0, index_below - 1, index_below, -1, 0.5]) if rng.random() < 0.1
                         else rng.randrange(index_below) for _ in range(math.prod(shape))]).reshape(shape)
    return np.array([rng.choice([rng.gauss(0, 1), 0.0, 1e300, -1e300]) if rng.random() < 0.05 else rng.gauss(0, 1)
                     for _ in range(math.prod(shape))]).reshape(shape)


def _off(rng: random.Random, shape: list[int]) -> list[int]:
    """Mostly the shape; sometimes one side off by one or one axis too many or too few."""
    r = rng.random()
    if r < 0.85 or not shape:
        return shape
    if r < 0.93:
        i = rng.randrange(len(shape))
        return shape[:i] + [shape[i] + rng.choice([-1, 1])] + shape[i + 1:]
    return shape[:-1] if rng.random() < 0.5 else [*shape, 2]


def _attr(rng: random.Random, name: str) -> str:
    good = {"stride": ["1", "2", "3"], "padding": ["0", "1", "'same'", "'valid'"], "kernel_size": ["1", "2", "3"],
            "num_classes": ["2", "5", "65536"], "sequences": ["True", "False"], "nonlinearity": ["'tanh'", "'relu'"],
            "index": ["0", "-1", "1"], "axis": ["1", "0", "-1"]}[name]
    odd = ["0", "-1", "1024", "1025", "2.5", "'full'", "None", "[1]", "10**400", "True"]
    return rng.choice(good) if rng.random() < 0.85 else rng.choice(odd)


def layer_case(rng: random.Random, huge: bool = False) -> tuple[str, dict[str, Any]]:
    """An expression over one of the layers, its values of fitting (now and then not) shapes."""
    kind = rng.choice(["conv", "pool", "dense", "embedding", "one_hot", "residual", "batch_norm", "cell", "seq"])
    v: dict[str, Any] = {}
    if kind in ("conv", "pool", "batch_norm"):
        n, c, h, w = _dims(rng, 4, huge)
        v["x"] = _array(rng, _off(rng, [n, c, h, w]))
        if kind == "conv":
            co, k = rng.choice([1, 2, 3]), rng.choice([1, 2, 3] if not huge else [1, 3, 1000])
            v["W"], v["b"] = _array(rng, _off(rng, [co, c, k, k])), _array(rng, _off(rng, [co]))
            body = f"conv2d(x, W, b, stride={_attr(rng, 'stride')}, padding={_attr(rng, 'padding')})"
        elif kind == "pool":
            body = "x"
        else:
            for name in ("g", "be", "rm", "rv"):
                v[name] = _array(rng, _off(rng, [c]))
            v["rv"] = abs(v["rv"])
            body = "batch_norm(x, g, be, rm, rv)"
        if rng.random() < 0.7:
            pool = rng.choice(["max_pool2d", "avg_pool2d"])
            body = f"{pool}({body}, kernel_size={_attr(rng, 'kernel_size')}, stride={_attr(rng, 'stride')})"
        body = f"flatten({body})" if rng.random() < 0.5 else body
    elif kind == "dense":
        n, d, e = _dims(rng, 3, huge)
        v.update(x=_array(rng, _off(rng, [n, d])), W=_array(rng, _off(rng, [d, e])), b=_array(rng, _off(rng, [e])))
        body = "dense(x, W, b)"
    elif kind in ("embedding", "one_hot"):
        idx, classes = _dims(rng, rng.randint(1, 2), huge), rng.choice([2, 5, 10])
        v["idx"] = _array(rng, idx, classes)
        if kind == "embedding":
            v["W"] = _array(rng, _off(rng, [classes, rng.choice([1, 3])]))
            body = "embedding(idx, W)"
        else:
            body = f"one_hot(idx, num_classes={_attr(rng, 'num_classes')})"
    elif kind == "residual":
        v["x"] = _array(rng, _dims(rng, rng.randint(1, 3), huge))
        v["z"] = _array(rng, _off(rng, list(v["x"].shape)))
        body = "residual(x, relu(z))"
    else:
        cell = rng.choice(["rnn", "lstm", "gru"])
        gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
        n, t, f, hid = _dims(rng, 4, huge)
        if huge and rng.random() < 0.5:
            t = rng.choice([10_000, 100_000])
        weights = {"W_x": [f, gates * hid], "W_h": [hid, gates * hid], "b": [gates * hid]}
        if cell == "gru":
            weights = {"W_x": weights["W_x"], "W_h": weights["W_h"], "b_x": [3 * hid], "b_h": [3 * hid]}
        for name, shape in weights.items():
            v[name] = _array(rng, _off(rng, shape))
        args = ", ".join(weights)
        opt = f", nonlinearity={_attr(rng, 'nonlinearity')}" if cell == "rnn" and rng.random() < 0.5 else ""
        if kind == "cell":
            v["x"] = _array(rng, _off(rng, [n, f]))
            v["s" if cell == "lstm" else "h"] = _array(rng, _off(rng, [n, 2, hid] if cell == "lstm" else [n, hid]))
            body = f"{cell}_cell(x, {'s' if cell == 'lstm' else 'h'}, {args}{opt})"
        else:
            v["x"] = _array(rng, _off(rng, [n, t, f]))
            body = f"{cell}(x, {args}, sequences={_attr(rng, 'sequences')}{opt})"
            if rng.random() < 0.4:
                body = f"select({body}, axis={_attr(rng, 'axis')}, index={_attr(rng, 'index')})"
            elif rng.random() < 0.3:
                v["h"] = _array(rng, _off(rng, [n, hid]))
                body = f"append({body}, h)"
    v = {name: value for name, value in v.items() if rng.random() > 0.03}  # now and then a value missing
    loss = rng.choice(["sum({})", "mean({}**2)", "sum(sigmoid({}))"])
    return "L = " + loss.format(body), v


def case_layers(rng: random.Random) -> None:
    """A layer graph, run as it is, or saved, damaged (attributes, edges, values) and loaded again."""
    huge = rng.random() < 0.15
    text, values = layer_case(rng, huge)
    if huge:  # the run itself: a trace prints ~25 arrays, so 10⁶ numbers each take a while to write
        run_api(lambda: json_text({k: to_json(v) for k, v in _outputs(parse_expression(text, values, set())).items()}))
        return
    if rng.random() < 0.5:
        run_api(lambda: run_graph(parse_expression(text, values, set())))
        return
    try:
        doc = json.loads(fileio.dumps(parse_expression(text, values, set())))
    except StudioError:
        return
    run_api(lambda: run_graph(fileio.loads(dumps(mutate_structure(doc, rng)))))


# ---- expand and collapse, and group records in files ------------------------------------------------

def _outputs(graph: Any) -> dict[str, Any]:
    trace = Executor(graph).run()
    return {n: trace.values[n] for n in graph.nodes if graph.nodes[n].op == "output"}


def model_case(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A small model whose shapes fit, with a layer of each kind that expands: a recurrent layer (many-to-one
    under a linear head, or many-to-many) and an MSE, or a dense layer, a sigmoid and a one-hot cross-entropy."""
    np = __import__("numpy")
    n, t, f, h, c = (rng.randint(1, 4) for _ in range(5))
    if rng.random() < 0.3:
        v = {"x": _array(rng, [n, f]), "W": _array(rng, [f, c]), "b": _array(rng, [c]),
             "y": np.eye(c)[[rng.randrange(c) for _ in range(n)]]}
        return "L = softmax_cross_entropy(sigmoid(dense(x, W, b)), y)", v
    cell = rng.choice(["rnn", "lstm", "gru"])
    k = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    v = {"x": _array(rng, [n, t, f]), "W_x": _array(rng, [f, k * h]), "W_h": _array(rng, [h, k * h])}
    biases = ("b_x", "b_h") if cell == "gru" else ("b",)
    v.update({b: _array(rng, [k * h]) for b in biases})
    layer = f"{cell}(x, W_x, W_h, {', '.join(biases)}"
    if rng.random() < 0.4:  # every step's h against a target sequence
        v["y"] = _array(rng, [n, t, h])
        return f"L = mse({layer}, sequences=True), y)", v
    v.update(W=_array(rng, [h, 1]), y=_array(rng, [n, 1]))
    return f"L = mse({layer}) @ W, y)", v


def layer_graph(rng: random.Random) -> Any:
    """A graph with layers to expand: a lecture example (sigmoid, mse, ...), a small model or a layer
    expression."""
    if rng.random() < 0.3:
        return fileio.loads(rng.choice(EXAMPLES).read_text(encoding="utf-8"))
    if rng.random() < 0.3:
        text, values = model_case(rng)
        with contextlib.suppress(StudioError):
            return parse_expression(text, values, set())
    for _ in range(20):
        text, values = layer_case(rng)
        try:
            return parse_expression(text, values, set())
        except StudioError:
            continue
    return parse_expression("L = mse(sigmoid(dense(x, W, b)), y)", {"x": [[1.0, 2.0]], "W": [[0.5], [0.1]],
                                                                       "b": [0.0], "y": [[1.0]]}, set())


def case_expand(rng: random.Random) -> None:
    """Expand and collapse any node, with edits and new batch sizes between: each ends in a result or a
    StudioError that changes nothing; an expansion of a graph that runs gives the same outputs, at any batch."""
    from graphapp.core import expand as ex  # noqa: PLC0415

    graph = layer_graph(rng)
    for _ in range(rng.randint(1, 8)):
        ids = list(graph.nodes)
        node = rng.choice([*ids, *graph.groups, "nope"])
        before = (fileio.dumps(graph), graph.revision)
        r = rng.random()
        try:
            if r < 0.4:
                old = _outputs_or_none(graph)
                ex.expand(graph, node)
                new = _outputs_or_none(graph)  # the pieces may overflow where the layer did not (exp(−x))
                if old is not None and new is not None and not _same_outputs(old, new):
                    raise ContractBroken(f"expanding '{node}' changed an output")
            elif r < 0.52:
                graph = rebatched(graph, rng)
            elif r < 0.75:
                ex.collapse(graph, rng.choice([*graph.groups, node]) if graph.groups else node)
            elif r < 0.85:
                graph.set_attr(node, rng.choice(LAYER_ATTRS), odd_value(rng))
            elif r < 0.95:
                graph.remove_node(node)
            else:
                graph.connect(rng.choice(ids), node, rng.choice(["x", "a", "W", "b"]))
        except StudioError:
            if (fileio.dumps(graph), graph.revision) != before:
                raise ContractBroken("a refused expand, collapse or edit changed the graph") from None
    if graph.groups:  # whatever was expanded takes another batch size as its layers do
        with contextlib.suppress(StudioError):
            graph = rebatched(graph, rng)
    run_api(lambda: run_graph(graph))
    run_api(lambda: run_graph(fileio.loads(fileio.dumps(graph))))  # a saved expansion opens again


def _with_rows(graph: Any, batch: int, rows: list[int]) -> Any:
    """The graph as a file whose data inputs with `batch` rows hold those rows instead (a new batch of the
    same kind: one-hot rows stay one-hot, class indices stay indices), opened again."""
    doc = fileio.graph_to_dict(graph)
    for item in doc["nodes"]:
        value = graph.nodes[item["id"]].value
        if item["op"] == "input" and value is not None and value.ndim >= 1 and value.shape[0] == batch:
            item["value"] = to_json(value[rows])
    return fileio.graph_from_dict(doc)


def _collapsed(graph: Any) -> Any | None:
    """A copy with every expanded group collapsed (inner groups first), or None if one is refused."""
    from graphapp.core import expand as ex  # noqa: PLC0415

    twin = fileio.loads(fileio.dumps(graph))
    while twin.groups:
        ready = [g for g, group in twin.groups.items() if not set(group.nodes.values()) & set(twin.groups)]
        try:
            ex.collapse(twin, ready[0])
        except (StudioError, IndexError):
            return None
    return twin


def rebatched(graph: Any, rng: random.Random) -> Any:
    """The graph fed another batch size after expanding: where the layers (the graph collapsed) take the new
    rows, their expansion takes them too and computes the same outputs. StudioError if the rows do not fit."""
    batches = [n.value.shape[0] for n in graph.nodes.values() if n.op == "input" and n.value is not None
               and n.value.ndim >= 2]
    if not batches:
        return graph
    batch = batches[0]
    rows = [rng.randrange(batch) for _ in range(rng.choice([1, 2, 3, 5, 17]))]
    layers = _collapsed(graph) if graph.groups else None
    if layers is not None:
        try:
            layers = _with_rows(layers, batch, rows)
        except StudioError:
            layers = None
    try:
        new = _with_rows(graph, batch, rows)
    except StudioError as exc:
        if layers is not None:
            raise ContractBroken(f"the layers take a batch of {len(rows)}, their expansion refuses it: {exc}") from exc
        raise
    if layers is not None:
        old, now = _outputs_or_none(layers), _outputs_or_none(new)  # the pieces may overflow where a layer did not
        if old is not None and now is not None and not _same_outputs(old, now):
            raise ContractBroken(f"at a batch of {len(rows)} an expansion computes other outputs than its layers")
    return new


def _outputs_or_none(graph: Any) -> dict[str, Any] | None:
    try:
        return _outputs(graph)
    except StudioError:
        return None


def _same_outputs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    np = __import__("numpy")
    return a.keys() == b.keys() and all(np.allclose(a[k], b[k], rtol=1e-9, atol=1e-12, equal_nan=True) for k in a)


def mutate_groups(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Damage to `groups`: the list or a record retyped, fields dropped or odd, pieces renamed, pointing at
    nothing, at another group, at the group itself, a record twice, an id that a node has."""
    doc = copy.deepcopy(doc)
    groups = doc.get("groups")
    node_ids = [n.get("id") for n in doc.get("nodes", []) if isinstance(n, dict)]
    if not isinstance(groups, list) or not groups or rng.random() < 0.1:
        doc["groups"] = odd_value(rng) if rng.random() < 0.5 else [odd_value(rng)]
        return doc
    for _ in range(rng.randint(1, 3)):
        g = rng.choice(groups)
        if not isinstance(g, dict):
            continue
        r = rng.random()
        if r < 0.2:
            key = rng.choice(["id", "op", "nodes", "attrs", "label", "label_ko", "pos", "shapes", "extra"])
            g.pop(key, None) if rng.random() < 0.4 else g.__setitem__(key, odd_value(rng))
        elif r < 0.45 and isinstance(g.get("nodes"), dict) and g["nodes"]:
            key = rng.choice(list(g["nodes"]))
            g["nodes"][key] = rng.choice([*node_ids, g.get("id"), "nope", *(h.get("id") for h in groups
                                                                           if isinstance(h, dict))])
        elif r < 0.55 and isinstance(g.get("nodes"), dict):
            g["nodes"] = dict(reversed(list(g["nodes"].items()))) if rng.random() < 0.5 else {}
        elif r < 0.65:
            groups.append(copy.deepcopy(g))
        elif r < 0.75:
            g["id"] = rng.choice([*node_ids, "nope"])
        elif r < 0.85:
            g["op"] = rng.choice(["dense", "mse", "sigmoid", "softmax_cross_entropy", "rnn", "lstm", "gru", "add"])
        else:
            g.setdefault("shapes", {})
            if isinstance(g["shapes"], dict):
                g["shapes"][rng.choice(["x", "W", "b", "a", "z"])] = rng.choice([[2, 2], [], [-1], "x", [1] * 9])
    return doc


def case_groups(rng: random.Random) -> None:
    """An expanded graph saved with its groups, the records damaged, loaded, run and collapsed."""
    from graphapp.core import expand as ex  # noqa: PLC0415

    graph = layer_graph(rng)
    for nid in list(graph.nodes):
        if ex.expandable(graph, nid) and rng.random() < 0.7:
            with contextlib.suppress(StudioError):
                ex.expand(graph, nid)
    doc = mutate_groups(json.loads(fileio.dumps(graph)), rng)
    if rng.random() < 0.3:
        doc = mutate_structure(doc, rng)

    def load_run_collapse() -> None:
        loaded = fileio.loads(dumps(doc))
        run_graph(loaded)
        for gid in list(loaded.groups):
            with contextlib.suppress(StudioError):
                if gid in loaded.groups:
                    ex.collapse(loaded, gid)
        run_graph(loaded)
    run_api(load_run_collapse)


# ---- the lab's command lines: info, train, plot series|hidden, trace --backend -----------------------

# the lab CSVs beside the repository (../shared, as CI has them), else the workplace's copy; none: skipped
DATASETS = next((sorted(d.glob("*.csv")) for d in (ROOT.parent / "shared" / "datasets", Path("/work/shared/datasets"))
                 if d.is_dir()), [])


def _info_argv(rng: random.Random) -> list[str]:
    if rng.random() < 0.3:
        argv = ["info", rng.choice([*(p.stem for p in EXAMPLES), "nope", "/dev/null"])]
        if rng.random() < 0.2:
            argv += ["--shape", "x=1,2"]
    else:
        text, values = layer_case(rng, huge=rng.random() < 0.3)
        argv = ["info", "--expr", text if rng.random() < 0.9 else statements(rng)]
        for name, value in values.items():
            shape = ",".join(map(str, getattr(value, "shape", ()))) or "1"
            if rng.random() < 0.1:
                shape = rng.choice(["", "0", "-1", "1,,2", "99999999999", "1e3", "３", "1," * 9 + "1", "4000,4000"])
            argv += ["--shape", f"{name}={shape}"]
            if rng.random() < 0.03:  # the same name twice: refused, not the later one silently
                argv += ["--shape", f" {name}={shape}"]
    return argv + (["--json"] if rng.random() < 0.5 else [])


def _train_options(rng: random.Random) -> list[str]:
    argv = ["--steps", rng.choice(["1", "2", "3", "0", "-1", "x"]) if rng.random() < 0.9 else "5"]
    odd = lambda good: rng.choice(good) if rng.random() < 0.8 else rng.choice(  # noqa: E731
        ["-1", "0", "nan", "inf", "1e308", "abc", "2", "-0.5", "1e-400", "99999999999"])
    table = {"--window": ["3", "7", "1"], "--order": None, "--dropout": ["0.5", "0", "0.99"], "--l2": ["0.01", "0"],
             "--weight-decay": ["0.001", "0"], "--validation-fraction": ["0.2", "0.5"], "--patience": ["1", "3"],
             "--hidden": ["4", "2,3", "8", "100000", "3000,100000"], "--batch-size": ["full", "1", "4"], "--test-fraction": ["0.2", "0"],
             "--optimizer": ["adam", "sgd", "nadam", "nope"], "--lr": ["0.1", "0.01", "1e308"], "--seed": ["0", "1"],
             "--scale": ["minmax", "standard", "none"]}
    for option in rng.sample(list(table), rng.randint(0, 5)):
        if option == "--order":
            argv += [option, rng.choice(["oldest-first", "newest-first", "sideways"])]
        else:
            argv += [option, odd(table[option])]
    if rng.random() < 0.2:
        argv.append("--batch-norm")
    return argv


def _sane_lab_argv(rng: random.Random, tmp: str) -> list[str]:
    """A run that should succeed: a template with data that fits and a few options that fit it, so the
    training, the curves and the plots themselves are reached (and must end in a result)."""
    stock = next((str(p) for p in DATASETS if p.name == "data-02-stock_daily.csv"), None)
    choices = [["hihello_rnn"], ["mlp", "--data", "moons"], ["mlp", "--data", "xor"]]
    choices += [[m, "--data", stock] for m in ("stock_rnn", "stock_lstm", "stock_gru")] if stock else []
    model = rng.choice(choices)
    plots = ["hidden"] if model[0] == "hihello_rnn" else ["series", "hidden"] if len(model) > 2 and model[2] == stock \
        else []
    if plots and rng.random() < 0.4:
        return ["plot", rng.choice(plots), *model, "--steps", "2", "-o", f"{tmp}/p.png", "--size", "240x160"]
    argv = ["train", *model, "--steps", rng.choice(["1", "3"]), "--seed", rng.choice(["0", "7"])]
    options = [["--l2", "0.01"], ["--weight-decay", "0.001"], ["--validation-fraction", "0.25", "--patience", "1"],
               ["--optimizer", rng.choice(["sgd", "momentum", "nag", "adagrad", "rmsprop", "adadelta", "nadam"])],
               ["--lr", "0.05"], ["--json"], ["--curves", f"{tmp}/c.png", "--size", "320x200"]]
    if model[0] == "mlp":
        options += [["--dropout", "0.3"], ["--batch-norm"], ["--hidden", "4,3"], ["--batch-size", "8"]]
    if model[0].startswith("stock"):
        options += [["--window", rng.choice(["3", "5"])], ["--order", rng.choice(["oldest-first", "newest-first"])],
                    ["--hidden", "3"]]
    for option in rng.sample(options, rng.randint(0, 3)):
        argv += option
    return argv


def case_lab(rng: random.Random) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        r = rng.random()
        if r < 0.3:
            argv = _info_argv(rng)
        elif r < 0.5:
            argv = ["trace", rng.choice([p.stem for p in EXAMPLES]), "--backend",
                    rng.choice(["numpy", "numpy", "cupy", "nope", ""])]
            argv += ["--json"] if rng.random() < 0.5 else []
        elif r < 0.75:
            argv = _sane_lab_argv(rng, tmp)
        else:
            data = [*(str(p) for p in DATASETS), "xor", "moons", "digits", "nope.csv", tmp, "/dev/null"]
            models = ["stock_rnn", "stock_lstm", "stock_gru", "hihello_rnn", "mlp", "logistic_regression",
                      "linear_regression", "xor_net", "nope"]
            model = rng.choice(models)
            fits = {"stock": "data-02-stock_daily.csv", "mlp": "moons", "logistic": "data-03-diabetes.csv",
                    "linear": "data-01-test-score.csv", "xor": "xor"}
            fit = next((d for d in data if any(model.startswith(m) and d.endswith(f) for m, f in fits.items())), None)
            data = [fit] * 4 + data if fit else data
            head = ["train", model] if r < 0.9 else ["plot", rng.choice(["series", "hidden"]), model]
            argv = [*head, *(["--data", rng.choice(data)] if rng.random() < 0.8 else []), *_train_options(rng)]
            if head[0] == "train":
                argv += ["--json"] if rng.random() < 0.5 else []
                if rng.random() < 0.15:
                    argv += ["--curves", rng.choice([f"{tmp}/c.png", tmp, f"{tmp}/no/c.png"])]
            else:
                argv += ["-o", f"{tmp}/p.png", "--size", rng.choice(["300x200", "0x0", "20000x20000"])]
                if head[1] == "hidden" and rng.random() < 0.5:
                    argv += ["--sample", rng.choice(["0", "-1", "99999", "x"])]
        run_cli(argv)


def case_outputs(rng: random.Random) -> None:
    """A picture written beside the data it was drawn from: `-o`/`--curves` names whose CSV (the same name
    with .csv) is the data set being read, or the picture itself, or a folder; a sane name now and then.
    Whatever happens, the data file on disk must stay byte for byte as it was."""
    stock = next((p for p in DATASETS if p.name == "data-02-stock_daily.csv"), None)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / rng.choice(["stock.csv", "데이터.csv", "a b.csv"])
        data.write_bytes(stock.read_bytes() if stock else b"a,b,c\n" + b"".join(
            f"{i},{i % 7},{i % 3}\n".encode() for i in range(40)))
        before = data.read_bytes()
        picture = rng.choice([data.with_suffix(".png"), data.with_suffix(".csv"), data, Path(tmp),
                              Path(tmp) / "no" / "p.png", data.with_suffix(""), Path(tmp) / "ok.png"])
        model = ["stock_rnn", "--hidden", "2"] if stock else ["mlp", "--hidden", "2"]
        steps = ["--steps", "1", "--seed", "0"]
        if rng.random() < 0.5:
            argv = ["train", *model, "--data", str(data), *steps, "--curves", str(picture), "--size", "200x120"]
        else:
            kind = rng.choice(["series", "hidden"] if stock else ["boundary"])
            argv = ["plot", kind, *model, "--data", str(data), *steps, "-o", str(picture), "--size", "200x120"]
        if rng.random() < 0.2:  # a column near the float limit: the scaler's span or mean overflows
            data.write_bytes(b"a,b,c,d,e\n" + b"".join(f"{s}1e308,1,2,3,{i % 2}\n".encode()
                                                         for i, s in enumerate("+-" * 10)))
            before = data.read_bytes()
            argv += ["--scale", rng.choice(["minmax", "standard"])]
        if rng.random() < 0.1 and argv[0] == "train":
            argv += ["--predict", rng.choice(["[[1e400, 0, 0, 0, 0]]", "[[NaN, 1]]", "[0]"])]
        if picture != Path(tmp) / "ok.png" and rng.random() < 0.8:
            argv[argv.index("--steps") + 1] = "100000000"  # a refusal must come before any training
        run_cli(argv)
        if data.read_bytes() != before:
            raise ContractBroken(f"{data.name} was changed by {' '.join(argv[:3])} writing {picture.name}")


class ContractBroken(AssertionError):
    """The input ended in something other than a result or a one-line error."""


def run_api(fn: Callable[[], None]) -> None:
    try:
        fn()
    except StudioError as exc:
        if not str(exc).strip():  # (user text inside a message is escaped where it is printed: cli.clean)
            raise ContractBroken(f"{type(exc).__name__} without a message") from exc


def run_cli(argv: list[str]) -> None:
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    # Strict UTF-8 like a real terminal: a lone surrogate that reaches the output fails here.
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        out.flush()
        err.flush()
    stdout, stderr = out_bytes.getvalue().decode(), err_bytes.getvalue().decode()
    if code == 0:
        if "--json" in argv:
            json.loads(stdout, parse_constant=lambda c: (_ for _ in ()).throw(ContractBroken(f"bare {c}")))
        if "\x1b" in stdout:
            raise ContractBroken("a raw ESC reached the terminal")
        return
    lines = stderr.splitlines()
    if code != 2 or len(lines) != 1 or not lines[0].startswith(("error:", "오류:")):
        raise ContractBroken(f"exit {code}, stderr {stderr[-500:]!r}")
    if "\x1b" in stderr:
        raise ContractBroken("a raw ESC reached the terminal in an error line")


# ---- running ----------------------------------------------------------------------------------------

KINDS: dict[str, Callable[[random.Random], None]] = {
    "file": case_file, "values": case_values, "bytes": case_bytes, "edits": case_edits, "expr": case_expr,
    "cli": case_cli, "layers": case_layers, "expand": case_expand, "groups": case_groups, "lab": case_lab,
    "outputs": case_outputs,
}


@dataclass
class Report:
    cases: int = 0
    failures: list[tuple[int, str, str]] = field(default_factory=list)
    seconds: float = 0.0


class _Hang(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def run_case(kind: str, seed: int, render: bool = False) -> str | None:
    """None when the contract held, else a short description of what broke."""
    rng = random.Random(f"{kind}:{seed}")
    fn = KINDS[kind]
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        with warnings.catch_warnings():  # as under pytest: a warning printed is a second line, so a failure
            warnings.simplefilter("error")
            fn(rng) if kind != "cli" else case_cli(rng, render)
    except _Hang:
        return f"hang (over {CASE_SECONDS} s)"
    except ContractBroken as exc:
        return f"contract: {exc}"
    except Exception as exc:  # noqa: BLE001 - any other exception is exactly what the fuzzer looks for
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {str(exc)[:200]} at {Path(tb.filename).name}:{tb.lineno}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return None


def cases(kinds: list[str], count: int, seed: int) -> Iterator[tuple[str, int]]:
    for i in range(count):
        yield kinds[i % len(kinds)], seed * 1_000_003 + i


def fuzz(kinds: list[str], count: int, seed: int = 0, render: bool = False) -> Report:
    report, start = Report(), time.perf_counter()
    for kind, case_seed in cases(kinds, count, seed):
        problem = run_case(kind, case_seed, render)
        report.cases += 1
        if problem:
            report.failures.append((case_seed, kind, problem))
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--render", action="store_true", help="also fuzz `render` options (needs Qt, slower)")
    args = p.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        p.error(f"unknown kind {sorted(unknown)[0]!r} (known: {', '.join(KINDS)})")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    report = fuzz(kinds, args.cases, args.seed, args.render)
    by_problem: dict[str, list[int]] = {}
    for case_seed, kind, problem in report.failures:
        # One row per kind of failure: positions and sizes inside the messages vary from case to case.
        by_problem.setdefault(re.sub(r"\d+", "N", f"{kind}: {problem}"), []).append(case_seed)
    for problem, seeds in sorted(by_problem.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(seeds):5d}× {problem}  (seeds {seeds[:3]})")
    ok = report.cases - len(report.failures)
    print(f"fuzz: {report.cases} cases ({', '.join(kinds)}), {ok} ended in a result or a one-line error, "
          f"{len(report.failures)} did not, in {report.seconds:.1f} s")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
