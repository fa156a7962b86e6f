"""The headless face of the app: `examples`, `trace`, `render`. Bad input: one line on stderr, exit 2.

Everything printed that came from a file, an expression or the command line goes through `clean`
(tables, titles, error lines) or `json_text`, so no label can move the cursor, recolour or clear a
terminal, and none can stop the output with an encoding error.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn, Sequence

import numpy

from graphapp.core import examples, fileio
from graphapp.core.errors import NonFiniteError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.learning import param_ids, sgd_update
from graphapp.core.messages import localize
from graphapp.core.meta import check_lr, check_meta
from graphapp.core.meta import text as meta_text
from graphapp.core.narration import local_text, node_name
from graphapp.core.trace import Trace
from graphapp.core.values import fmt_value, to_json
from kernels.backend import BACKENDS, choose_xp

# Characters a terminal acts on instead of showing (C0 and C1 controls, DEL, line and paragraph
# separators, bidirectional overrides), and lone surrogates, which no encoder can write.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match[0]
    return NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def clean(text: str) -> str:
    """Text safe for a terminal: each unsafe character shown as its escape (\\n, \\x1b, \\ud800)."""
    return UNSAFE.sub(_escape, text)


def json_text(data: Any) -> str:
    """Strict JSON (never NaN or Infinity) whose strings carry unsafe characters as \\u escapes."""
    try:
        dumped = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:  # callers check values first; this is the last guard, not the message users see
        raise NonFiniteError("--json: a value is not finite (NaN or infinity)") from None
    return UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", dumped)


class UsageError(StudioError):
    """A command line that asks for something impossible."""


LANGS = ("en", "ko")
ERROR_PREFIX = {"en": "error:", "ko": "오류:"}


def env_lang() -> str:
    """BACKPROP_STUDIO_LANG, else a Korean locale (LC_ALL, LC_MESSAGES, LANG): the default of --lang."""
    chosen = os.environ.get("BACKPROP_STUDIO_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:  # the first one set decides, as in C's setlocale
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def requested_lang(argv: Sequence[str]) -> str:
    """The language of error lines, read before parsing: a usage error is reported before --lang is parsed."""
    lang = env_lang()
    for i, item in enumerate(argv):
        value = argv[i + 1] if item == "--lang" and i + 1 < len(argv) else item.partition("=")[2] \
            if item.startswith("--lang=") else None
        if value in LANGS:
            lang = value
    return lang


def error_line(message: str, lang: str) -> str:
    return f"{ERROR_PREFIX[lang]} {clean(localize(message, lang))}"


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit code 2), like every other bad input."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def error(self, message: str) -> NoReturn:
        # Two messages: argparse's may end in user data, which would swallow a suffix added to it.
        see = localize(f"(see: {self.prog} --help)", self.lang)
        self.exit(2, f"{error_line(message, self.lang)} {clean(see)}\n")


def picture_options(p: argparse.ArgumentParser, size: str, size_help: str) -> None:
    """What `render` and `animate` share: the picture's language, size, frame and look."""
    p.add_argument("--lang", choices=LANGS, default=env_lang(), help="window and error messages in this language")
    p.add_argument("--size", default=size, help=size_help)
    p.add_argument("--canvas-only", action="store_true", help="the canvas without the window around it")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--presentation", action="store_true",
                   help="presentation mode: canvas, narration and playback only, type sized to the picture")


def backend_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=BACKENDS, default="numpy",
                   help="array backend: numpy (the CPU, the default) or cupy (an NVIDIA GPU through CuPy; where "
                        "it cannot run, one line on stderr says why and numpy goes on)")


def chosen_xp(args: argparse.Namespace) -> ModuleType:
    """The array module --backend asks for; CuPy that cannot run here is one line on stderr, then numpy."""
    xp, why = choose_xp(args.backend)
    if why is not None:
        print(clean(localize(why, getattr(args, "lang", "en"))), file=sys.stderr)
    return xp


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """`lang`: the language of usage errors and the default of --lang."""
    p = OneLineParser(prog="main.py", description="Backprop Studio: computational graphs, "
                                "forward and backward, step by step. With no command, opens the window.", lang=lang)
    sub = p.add_subparsers(dest="command")
    sub.add_parser("examples", help="list the built-in lecture examples", lang=lang)
    t = sub.add_parser("trace", help="run a graph and print its forward and backward pass", lang=lang)
    t.add_argument("target", nargs="?", help="an example name or a graph file (.json)")
    t.add_argument("--expr", help='an expression, e.g. "L = (sigmoid(w1*x1 + b) - y)**2"')
    t.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a value for a name: a number or a JSON array (repeatable)")
    t.add_argument("--param", action="append", default=[], metavar="NAME",
                   help="treat NAME as a trainable parameter (w*, W*, b* are by default)")
    t.add_argument("--save", metavar="FILE.json", help="write the graph (e.g. built from --expr) to a file")
    t.add_argument("--json", action="store_true", help="print the trace as JSON")
    t.add_argument("--lang", choices=LANGS, default=env_lang(),
                   help="names and error messages in this language (default: BACKPROP_STUDIO_LANG or LANG)")
    t.add_argument("--lr", type=float, help="also show one SGD update θ − lr·∂L/∂θ of the parameters")
    backend_option(t)
    r = sub.add_parser("render", help="render the window or canvas to a PNG, offscreen", lang=lang)
    r.add_argument("target", help="an example name or a graph file (.json)")
    r.add_argument("-o", "--output", required=True, help="the PNG to write")
    r.add_argument("--step", type=int, help="playhead position (0 = before the run)")
    r.add_argument("--phase", choices=("start", "forward", "backward", "done"),
                   help="render at the end of this phase (backward: the middle of the backward pass)")
    picture_options(r, "1600x1000", "WIDTHxHEIGHT in pixels")
    a = sub.add_parser("animate", help="an animated GIF or MP4 of the steps, for slides, offscreen", lang=lang)
    a.add_argument("target", help="an example name or a graph file (.json)")
    a.add_argument("-o", "--output", required=True, help="the .gif or .mp4 to write")
    a.add_argument("--phase", choices=("forward", "backward", "all"), default="all",
                   help="the steps of the forward pass, the backward pass, or all (the default)")
    a.add_argument("--from", dest="first", type=int, metavar="STEP", help="start at this step instead")
    a.add_argument("--to", dest="last", type=int, metavar="STEP", help="end at this step instead")
    a.add_argument("--fps", type=int, default=2, help="steps a second, 1..60 (a GIF: 1..50; default 2)")
    a.add_argument("--hold", type=int, default=2, help="extra frames on the first and last step (default 2)")
    picture_options(a, "1280x720", "WIDTHxHEIGHT in pixels (an MP4's must be even)")
    from graphapp.cli_lab import add_parsers  # noqa: PLC0415 - cli_lab imports this module
    add_parsers(sub, lang)
    from graphapp import cli_info  # noqa: PLC0415 - cli_info imports this module
    cli_info.add_parser(sub, lang)
    return p


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    values = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"--set {item!r}: expected NAME=VALUE")
        if name.strip() in values:  # which one was meant? (a later one silently winning hides a typo)
            raise UsageError(f"--set {name.strip()}: the name is given twice")
        values[name.strip()] = value.strip()
    return values


def load_graph(args: argparse.Namespace) -> Graph:
    if args.expr and args.target:
        raise UsageError("give either a graph (example or file) or --expr, not both")
    if args.expr:
        return parse_expression(args.expr, parse_sets(args.set), set(args.param))
    if not args.target:
        raise UsageError("trace needs an example name, a graph file, or --expr (see: python main.py examples)")
    if args.set:
        raise UsageError("--set works with --expr; to change a file's values, edit it in the app")
    return examples.open_target(args.target)


def grad_labels(graph: Graph) -> dict[str, str]:
    """Inputs and parameters by display label (falling back to the id where labels collide)."""
    ids = [n for n, node in graph.nodes.items() if node.op in ("input", "param")]
    labels = [graph.nodes[n].name() for n in ids]
    counts = Counter(labels)
    return {n: (lab if counts[lab] == 1 else n) for n, lab in zip(ids, labels)}


def update(graph: Graph, trace: Trace, lr: float) -> dict[str, numpy.ndarray]:
    """One SGD step of every parameter, refused (naming the parameter) where it is not finite."""
    with numpy.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below, by name
        new = sgd_update({p: graph.nodes[p].value for p in param_ids(graph)}, trace.grads, lr)
    for p, value in new.items():
        if not numpy.isfinite(value).all():
            raise NonFiniteError(f"node '{p}': the SGD update with lr = {lr:g} is not finite (NaN or infinity); "
                                 "try a smaller --lr", p)
    return new


def trace_dict(graph: Graph, trace: Trace, lr: float | None, new: dict[str, Any] | None) -> dict[str, Any]:
    nodes = graph.nodes
    data: dict[str, Any] = {
        "graph": check_meta(graph.meta).get("name", ""),
        "forward": [{"node": e.node, "label": nodes[e.node].name(), "op": nodes[e.node].op,
                     "value": to_json(e.value)} for e in trace.forward],
        "backward": [{"from": e.src, "to": e.dst, "port": e.port, "upstream": to_json(e.upstream),
                      "local": None if e.local is None else to_json(e.local), "formula": e.formula,
                      "grad": to_json(e.grad), "accumulated": to_json(e.accumulated)} for e in trace.backward],
        "outputs": {o: to_json(trace.values[o]) for o in trace.outputs},
        "grads": {lab: to_json(trace.grads[n]) for n, lab in grad_labels(graph).items() if n in trace.grads},
    }
    if lr is not None and new is not None:
        data["update"] = {"lr": lr, "params": {k: to_json(v) for k, v in new.items()}}
    return data


def width(text: str) -> int:
    """Columns a terminal gives the text: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]], header: list[str]) -> str:
    rows = [[clean(c) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(header), fmt(["─" * w for w in widths]), *map(fmt, rows)])


def print_trace(graph: Graph, trace: Trace, lang: str, lr: float | None, new: dict[str, Any] | None) -> None:
    nodes = graph.nodes
    name = lambda n: node_name(graph, n, lang)  # noqa: E731 - labels, or what a node computes; never ids
    meta = check_meta(graph.meta)
    if meta.get("title"):
        print(clean(f"{meta_text(meta, 'title', 'en')} / {meta_text(meta, 'title', 'ko')}"))
        print()
    print("Forward (순전파)")
    print(table([[str(i), name(e.node), nodes[e.node].op, fmt_value(e.value)]
                 for i, e in enumerate(trace.forward, 1)], ["#", "node", "op", "value"]))
    print()
    print("Backward (역전파): grad = upstream × local")
    print(table([[str(i), f"{name(e.src)} → {name(e.dst)}.{e.port}", fmt_value(e.upstream), local_text(e),
                  fmt_value(e.grad) + ("" if e.previous is None else f"  (Σ {fmt_value(e.accumulated)})")]
                 for i, e in enumerate(trace.backward, 1)], ["#", "edge", "upstream", "local", "grad"]))
    print()
    print("Gradients ∂L/∂· (기울기)")
    print(table([[lab, fmt_value(trace.grads[n])] for n, lab in grad_labels(graph).items() if n in trace.grads],
                ["input / parameter", "gradient"]))
    if lr is not None and new is not None:
        print()
        print(f"SGD update (lr = {fmt_value(lr)}): θ ← θ − lr·∂L/∂θ")
        print(table([[name(p), fmt_value(nodes[p].value), fmt_value(v)] for p, v in new.items()],
                    ["parameter", "before", "after"]))


def cmd_examples() -> int:
    for ex in examples.list_examples():
        print(clean(f"{ex.name:20} {ex.title_en} / {ex.title_ko} — {ex.description_en.split('. ')[0].rstrip('.')}."))
    return 0


def save_path(given: str, place: str | None = None) -> Path:
    """The file --save (or the option `place` names) writes, refused (one line) when it is empty, a folder,
    or in no folder that exists."""
    option = (place or "--save").split(" ")[0]
    if not given.strip():
        raise UsageError(f"{option}: the file name is empty")
    place = place or f"--save {given}"
    path = Path(given)
    if given.endswith(("/", os.sep)) or path.is_dir():
        example = path / ("graph.json" if option == "--save" else "picture.png")
        raise UsageError(f"{place}: is a folder; give a file name, e.g. {example}")
    if not path.parent.is_dir():
        raise UsageError(f"{place}: the folder {path.parent} does not exist")
    return path


def cmd_trace(args: argparse.Namespace) -> int:
    # Options first, so a bad one is refused before anything runs or is written.
    save = None if args.save is None else save_path(args.save)
    lr = None if args.lr is None else check_lr(args.lr, "--lr", UsageError)
    graph = load_graph(args)
    if lr is None:
        lr = check_meta(graph.meta).get("lr")
    xp = chosen_xp(args)
    trace = Executor(graph, xp).run()
    if xp is not numpy:
        trace = trace.to_host()  # the table and the JSON format numbers on the host
    new = None if lr is None else update(graph, trace, lr)
    if save is not None:
        fileio.save(graph, save)
    if args.json:
        print(json_text(trace_dict(graph, trace, lr, new)))
    else:
        print_trace(graph, trace, args.lang, lr, new)
    return 0


def parse_size(given: str) -> tuple[int, int]:
    """--size WIDTHxHEIGHT, each side in the range a picture may have."""
    from graphapp.ui import render  # noqa: PLC0415 - Qt only when rendering

    w, x, h = given.strip().lower().replace("×", "x").partition("x")
    if not x or not all(v.strip().isascii() and v.strip().isdecimal() for v in (w, h)):
        raise UsageError(f"--size {given!r}: expected WIDTHxHEIGHT, e.g. 1600x1000")
    # A side of more than 9 digits is out of range anyway; int() of it could be slow or refused.
    width, height = (int(v) if len(v.strip()) <= 9 else render.MAX_SIDE + 1 for v in (w, h))
    render.check_size(width, height, f"--size {given}")
    return width, height


def cmd_render(args: argparse.Namespace) -> int:
    from graphapp.ui import render  # noqa: PLC0415 - Qt only when rendering

    width, height = parse_size(args.size)
    graph = examples.open_target(args.target)
    if args.step is not None:
        render.check_step(graph, args.step, "--step")
    render.render_png(graph, args.output, step=args.step, phase=args.phase, lang=args.lang, size=(width, height),
                      canvas_only=args.canvas_only, theme=args.theme, presentation=args.presentation)
    print(clean(args.output))
    return 0


def cmd_animate(args: argparse.Namespace) -> int:
    from graphapp.ui import animate  # noqa: PLC0415 - Qt and imageio only when animating

    animate.output_format(args.output)  # options first: nothing is loaded or drawn for a bad one
    size = parse_size(args.size)
    graph = examples.open_target(args.target)
    plan = animate.plan(graph, args.output, args.phase, args.first, args.last, args.fps, args.hold, size)
    animate.write_animation(graph, args.output, plan, size=size, lang=args.lang, theme=args.theme,
                            canvas_only=args.canvas_only, presentation=args.presentation)
    print(clean(args.output))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "examples":
        return cmd_examples()
    if args.command == "trace":
        return cmd_trace(args)
    if args.command == "render":
        return cmd_render(args)
    if args.command == "animate":
        return cmd_animate(args)
    if args.command == "info":
        from graphapp.cli_info import run as run_info  # noqa: PLC0415
        return run_info(args)
    if args.command in ("train", "race", "plot"):
        from graphapp.cli_lab import dispatch  # noqa: PLC0415
        return dispatch(args)
    from graphapp.ui.app import run_app  # noqa: PLC0415 - the window, when no command is given

    return run_app()


def fail(message: str, lang: str) -> int:
    print(error_line(message, lang), file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = requested_lang(argv)
    try:
        args = build_parser(lang).parse_args(argv)
        lang = getattr(args, "lang", lang)
        return run(args)
    except StudioError as exc:
        return fail(str(exc), lang)
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stdout = None  # type: ignore[assignment] - nothing more can be written there
        return 0
    except OSError as exc:
        return fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), lang)
    except UnicodeEncodeError as exc:  # a label read from a file's "\\ud800": printable escaped, not writable
        return fail(f"cannot write {exc.object[exc.start:exc.end]} (an unpaired surrogate is not text UTF-8 can "
                    "store); fix the label in the file", lang)
    except KeyboardInterrupt:  # Ctrl+C: the user knows why it stopped; a traceback would only hide that
        print(localize("interrupted", lang), file=sys.stderr)
        return 130
