"""The training lab's commands: `train`, `race`, `plot histograms|landscape|boundary|filters|maps|cost`.

With --json, stdout holds one JSON object and nothing else; a progress bar goes to stderr, and only when
stderr is a terminal. Pictures are drawn by graphapp.ui.plots offscreen (Qt is imported only for them).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from pathlib import Path
from typing import Any

from graphapp.cli import LANGS, UsageError, backend_option, chosen_xp, clean, env_lang, json_text, save_path
from graphapp.core import fileio
from graphapp.core.analysis import race as race_mod
from graphapp.core.analysis.histograms import activation_histograms
from graphapp.core.analysis.feature_maps import trained_filters, trained_maps
from graphapp.core.analysis.lab import LabOptions, LabRun, parse_hidden, parse_rows, run_lab
from graphapp.core.messages import localize
from graphapp.core.train.sequences import ORDERS
from graphapp.core.train.trainer import Progress

COMMANDS = ("train", "race", "plot")


def _size(text: str) -> tuple[int, int]:
    w, x, h = text.strip().lower().replace("×", "x").partition("x")
    if not x or not all(v.strip().isascii() and v.strip().isdecimal() and len(v.strip()) <= 6 for v in (w, h)):
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1600x1000")
    return int(w), int(h)


def picture_path(option: str, given: str, data: str | None = None) -> Path:
    """The PNG a command writes, checked before any training: a file in a folder that exists, whose numbers
    (the same name with .csv, written beside it) replace neither the picture itself (`-o x.csv`) nor the
    data set being read (`-o stock.png --data stock.csv` would overwrite the lab's file with the plot's)."""
    place = f"{option} {given}"
    out = save_path(given, place)
    numbers = out.with_suffix(".csv")
    if numbers == out:
        raise UsageError(f"{place}: its numbers would go to {numbers}, the picture itself; give a .png name")
    if data is not None and numbers.is_file() and Path(data).is_file() and os.path.samefile(numbers, data):
        raise UsageError(f"{place}: its numbers would go to {numbers}, the data set being read; give another name")
    return out


def _lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGS, default=env_lang(),
                   help="language of the picture's text and of error lines (default: BACKPROP_STUDIO_LANG or LANG)")


def _train_options(p: argparse.ArgumentParser, model: bool = True) -> None:
    if model:
        p.add_argument("model", metavar="MODEL", help="a template (linear_regression, logistic_regression, "
                       "softmax_classifier, mlp, xor_net, lenet_digits, stock_rnn, stock_lstm, stock_gru, hihello_rnn), "
                       "an example name or a graph file")
    p.add_argument("--data", help="xor, and, or, circles, moons, spirals, blobs, linear, digits, or a CSV file; "
                   "left out: the model's own input values are the one batch (hihello_rnn, an example)")
    p.add_argument("--target", help="the CSV's target column (a name, or a number from 1); default the last")
    p.add_argument("--scale", choices=("none", "minmax", "standard"),
                   help="scale the features, and a numeric target (predictions come back in its units); "
                   "default none, minmax for windows")
    p.add_argument("--window", type=int, help="read the CSV as a time series: WINDOW consecutive rows of every "
                   "column → the target on the next row, split in time order (stock_* templates: 7)")
    p.add_argument("--order", choices=ORDERS, help="the CSV's row order for --window (stock_* templates: "
                   "newest-first, as the lab's data-02-stock_daily.csv; else oldest-first)")
    p.add_argument("--hidden", help="hidden layer sizes for mlp/xor_net, e.g. 300,100; the recurrent templates' "
                   "state size, e.g. 10")
    p.add_argument("--activation", choices=("relu", "sigmoid", "tanh"))
    p.add_argument("--init", choices=("normal", "xavier", "he"))
    p.add_argument("--optimizer", default="adam", help="sgd, momentum, nag, adagrad, rmsprop, adadelta, adam, nadam")
    p.add_argument("--lr", type=float, help="learning rate (default: the optimizer's own, as in PyTorch)")
    n = p.add_mutually_exclusive_group()
    n.add_argument("--steps", type=int)
    n.add_argument("--epochs", type=int, help="default 10")
    p.add_argument("--batch-size", help="rows per step, or 'full' (default: full up to 1,000 training rows, else 100)")
    p.add_argument("--test-fraction", type=float, help="held-out rows (default 0.2, the last 0.3 of a time "
                   "series; 0 trains on all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="training precision: float64 (exact, the default) or float32 (PyTorch's, about twice as fast)")
    r = p.add_argument_group("regularization")
    r.add_argument("--dropout", type=float, default=0.0, metavar="P",
                   help="mlp: inverted dropout after each hidden activation, dropping units with probability P")
    r.add_argument("--batch-norm", action="store_true", help="mlp: batch normalization before each hidden activation")
    r.add_argument("--l2", type=float, default=0.0, metavar="LAMBDA",
                   help="mlp: an L2 penalty node λ·ΣW² per weight matrix, added to the cost")
    r.add_argument("--weight-decay", type=float, metavar="X", help="the optimizer's weight decay (PyTorch's)")
    r.add_argument("--validation-fraction", type=float, default=0.0, metavar="F",
                   help="hold back this part of the training rows and report their loss (default 0)")
    r.add_argument("--patience", type=int, metavar="N", help="early stopping: stop after N evaluations (one per "
                   "epoch) without a lower validation loss, and keep the best parameters")
    backend_option(p)
    _lang(p)


def _picture(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("-o", "--output", help="the PNG to write (its data also goes to the same name with .csv)")
    p.add_argument("--size", default=default, help=f"WIDTHxHEIGHT in pixels (default {default})")
    p.add_argument("--json", action="store_true", help="print the numbers as one JSON object")


def add_parsers(sub: Any, lang: str = "en") -> None:
    """The lab's commands on the CLI's subparsers; `lang`: the language of their usage errors."""
    t = sub.add_parser("train", help="train a template, example or graph file on a data set", lang=lang)
    _train_options(t)
    t.add_argument("--predict", metavar="JSON_ROWS", help="rows to predict after training, e.g. [[0,1],[1,1]]")
    t.add_argument("--save", metavar="FILE.json", help="write the trained graph to a file")
    t.add_argument("--curves", metavar="FILE.png", help="draw the loss and accuracy curves (train, validation, "
                   "test) as the Train dock shows them; their numbers go to the same name with .csv")
    t.add_argument("--size", default="1400x560", help="WIDTHxHEIGHT of the --curves picture (default 1400x560)")
    t.add_argument("--json", action="store_true", help="print the result as one JSON object")
    r = sub.add_parser("race", help="optimizers racing down a 2-D function, as a picture", lang=lang)
    r.add_argument("--function", default="lecture", help="lecture (x**2/20 + y**2), rosenbrock, beale, saddle, "
                   "or an expression in x and y")
    r.add_argument("--start", help="X,Y (default: the function's own, (-7, 2) for the lecture's)")
    # "--start -7,2": argparse takes only plain negative numbers (-7, -0.5) for values, not "-7,2"
    r._negative_number_matcher = re.compile(r"^-\.?\d")  # noqa: SLF001 - argparse's own test, widened
    r.add_argument("--optimizers", help="comma-separated (default all eight)")
    r.add_argument("--steps", type=int, default=30)
    r.add_argument("--lr", help="X for all, or name=X,... (default the lecture's: sgd 0.95, momentum 0.1, "
                   "adagrad 1.5, adam 0.3; the rest PyTorch's)")
    _lang(r)
    _picture(r, "1200x800")
    p = sub.add_parser("plot", help="pictures: activation histograms, a loss landscape, a decision boundary, "
                       "a CNN's filters and feature maps", lang=lang)
    kinds = p.add_subparsers(dest="plot", required=True)
    h = kinds.add_parser("histograms", help="activations per layer: 1,000 inputs, 5 layers of 100 units", lang=lang)
    h.add_argument("--activation", choices=("sigmoid", "relu", "tanh"), default="sigmoid")
    h.add_argument("--init", choices=("normal", "xavier", "he"), default="normal")
    h.add_argument("--std", type=float, default=1.0, help="the weights' std for --init normal (default 1)")
    h.add_argument("--seed", type=int, default=0)
    _lang(h)
    _picture(h, "1500x400")
    land = kinds.add_parser("landscape", help="a trained network's loss on a 2-D slice, with its path", lang=lang)
    _train_options(land)
    land.add_argument("--grid", type=int, default=25, help="points per side (default 25)")
    land.add_argument("--directions", choices=("random", "pca"), default="random",
                      help="random filter-normalized directions (Li et al.), or the path's principal components")
    _picture(land, "900x800")
    b = kinds.add_parser("boundary", help="a trained 2-D classifier's decision regions and confusion matrix", lang=lang)
    _train_options(b)
    _picture(b, "1400x650")
    for kind, what in (("filters", "a trained CNN's filters as images (one per filter and input channel)"),
                       ("maps", "a trained CNN's feature maps for one example, one image per channel")):
        fm = kinds.add_parser(kind, help=what, lang=lang)
        _train_options(fm)
        fm.add_argument("--layer", help="a conv2d node (default: the first)" + ("" if kind == "filters" else
                        ", or any node of shape (N, C, H, W) such as its ReLU"))
        if kind == "maps":
            fm.add_argument("--row", type=int, default=0, help="which test row (default 0; the training rows "
                            "without a test split, the graph's own batch without --data)")
        _picture(fm, "1200x900")
    series = kinds.add_parser("series", help="a trained time-series model's predicted and true target on the test "
                              "span (stock_rnn, stock_lstm, stock_gru, or --window)", lang=lang)
    _train_options(series)
    _picture(series, "1200x600")
    hidden = kinds.add_parser("hidden", help="a trained recurrent model's hidden state over time for one input, "
                              "as a heat map (time × unit)", lang=lang)
    _train_options(hidden)
    hidden.add_argument("--sample", type=int, help="which test row (default the last, the newest window); "
                        "hihello_rnn shows its own input")
    _picture(hidden, "1000x600")
    c = kinds.add_parser("cost", help="the lecture's cost(W) of H = W·x for x = y = [1, 2, 3]", lang=lang)
    _lang(c)
    _picture(c, "800x600")


def lab_options(args: argparse.Namespace) -> LabOptions:
    batch = args.batch_size
    if batch is None:
        size = None
    elif batch.strip().lower() == "full":
        size = 0
    elif batch.strip().isdecimal() and 1 <= int(batch) <= 10**9:
        size = int(batch)
    else:
        raise UsageError(f"--batch-size {batch!r}: expected a number of rows ≥ 1, or 'full'")
    for name in ("steps", "epochs"):
        v = getattr(args, name)
        if v is not None and not 1 <= v <= 10**8:
            raise UsageError(f"--{name}: must be 1..100,000,000, not {v}")
    return LabOptions(args.model, args.data, args.target, args.scale,
                      None if args.hidden is None else parse_hidden(args.hidden), args.activation, args.init,
                      args.optimizer, args.lr, args.steps, args.epochs, size, args.test_fraction, args.seed,
                      args.dtype, args.dropout, args.batch_norm, args.l2, args.weight_decay,
                      args.validation_fraction, args.patience, xp=chosen_xp(args), window=args.window, order=args.order)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most 100 times a run; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.last = -1

    def __call__(self, p: Progress) -> None:
        if not self.on:
            return
        tick = p.step * 100 // max(p.total_steps, 1)
        if tick != self.last or p.step == p.total_steps:
            self.last = tick
            bar = "█" * (tick * 30 // 100)
            sys.stderr.write(f"\r[{bar:<30}] {p.step}/{p.total_steps}  loss {p.loss:.4g}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.on and self.last >= 0:
            sys.stderr.write("\n")


def _run(opts: LabOptions) -> LabRun:
    bar = ProgressBar()
    try:
        return run_lab(opts, bar)
    finally:
        bar.close()


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def cmd_train(args: argparse.Namespace) -> int:
    save = None if args.save is None else save_path(args.save)
    size = _size(args.size)  # refused before any training
    if args.curves is not None:
        picture_path("--curves", args.curves, args.data)
    if args.predict is not None:  # what can be checked before the data set is read, refused before training
        if args.data is None:
            raise UsageError("--predict needs a data set (--data): the graph was trained on its own inputs")
        parse_rows(args.predict, None)
    opts = lab_options(args)
    run = _run(opts)
    f, history = run.result.final, run.result.history
    data = run.data
    out: dict[str, Any] = {"model": opts.model, "data": None if data is None else data.name, "task": run.task,
                           "final_loss": f.train_loss, "test_loss": f.test_loss, "train_accuracy": f.train_accuracy,
                           "test_accuracy": f.test_accuracy, "validation_loss": f.val_loss,
                           "validation_accuracy": f.val_accuracy, "steps": run.result.steps,
                           "seconds": round(run.result.seconds, 4), "best_step": history.best_step,
                           "stopped_early": history.stopped_early,
                           "history": [dataclasses.asdict(e) for e in history.evaluations]}
    if data is not None and data.task == "regression":
        out["test_rmse"] = f.test_rmse
        out["naive_rmse"] = run.naive_rmse()
    text = run.predicted_text()
    if text is not None:
        out["predicted"] = text
    if args.predict is not None:
        if data is None:
            raise UsageError("--predict needs a data set (--data): the graph was trained on its own inputs")
        out["predictions"] = run.predict_raw(parse_rows(args.predict, data.n_features))
    if save is not None:
        run.trainer.apply(run.graph)
        fileio.save(run.graph, save)
    if args.curves is not None:
        from graphapp.ui.plots import export  # noqa: PLC0415 - Qt only when drawing

        export.export_plot("curves", (history, run.trainer.steps_per_epoch), args.curves, size, args.lang)
    if args.json:
        print(json_text(out))
        return 0
    where = "its own inputs" if data is None else data.name
    print(clean(f"{opts.model} on {where} ({run.task or 'no task'}): {run.result.steps} steps in "
                f"{run.result.seconds:.2f} s"))
    print(f"loss {f.train_loss:.6g}" + ("" if f.test_loss is None else f"  (test {f.test_loss:.6g})"))
    if f.val_loss is not None:
        print(f"validation loss {f.val_loss:.6g}" + ("" if f.val_accuracy is None else
                                                      f"  (accuracy {_pct(f.val_accuracy)})"))
    if history.stopped_early is not None:
        print(f"stopped early at step {history.stopped_early}; kept the best parameters, of step {history.best_step}")
    if f.test_rmse is not None:
        print(f"test RMSE {f.test_rmse:.4g} (scaled), {run.rmse_in_units():.4g} in {clean(data.target)}'s units")
        naive = run.naive_rmse()
        if naive is not None:
            print(clean(f"naive forecast (next {data.target} = the window's last): test RMSE {naive:.4g} (scaled)"))
    if f.train_accuracy is not None:
        print(f"accuracy: train {_pct(f.train_accuracy)}" + ("" if data is None else f", test {_pct(f.test_accuracy)}"))
    if text is not None:
        print(clean(f"predicted: {text}"))
    if "predictions" in out:
        print(clean(f"predictions: {json_text(out['predictions'])}"))
    return 0


def _start(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    try:
        x, y = (float(v) for v in parts)
    except ValueError:
        raise UsageError(f"--start {text!r}: expected X,Y, e.g. -7,2") from None
    if not all(abs(v) < 1e12 for v in (x, y)):
        raise UsageError(f"--start {text!r}: each coordinate must be a finite number")
    return x, y


def _export(widget_kind: str, args: argparse.Namespace, data: Any) -> None:
    from graphapp.ui.plots import export  # noqa: PLC0415 - Qt only when drawing

    export.export_plot(widget_kind, data, args.output, _size(args.size), args.lang)


def cmd_race(args: argparse.Namespace) -> int:
    _size(args.size)
    if args.output:
        picture_path("-o", args.output)
    start = _start(args.start)
    names = race_mod.parse_optimizers(args.optimizers)
    lrs = race_mod.parse_lrs(args.lr, names)
    surface = race_mod.Surface(args.function)
    paths = race_mod.race(surface, start, names, args.steps, lrs)
    if args.output:
        _export("race", args, (surface, paths))
    if args.json:
        print(json_text({"function": surface.expr, "start": list(paths[0].points[0]), "steps": args.steps,
                         "optimizers": {p.optimizer: p.to_json() for p in paths}}))
    else:
        for p in paths:
            x, y = p.points[-1]
            print(clean(f"{p.optimizer:9} lr {p.lr:<7g} → ({x:.4g}, {y:.4g})  f = {p.values[-1]:.4g}"
                        + (f"  stopped: {localize(p.stopped, args.lang)}" if p.stopped else "")))
        if args.output:
            print(clean(args.output))
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    _size(args.size)  # a bad size or output is refused before any training
    if args.output:
        picture_path("-o", args.output, getattr(args, "data", None))
    if args.plot == "histograms":
        data: Any = activation_histograms(args.activation, args.init, args.std, args.seed)
        summary: dict[str, Any] = {"activation": data.activation, "init": data.init, "weight_std": data.std,
                                   "edges": data.edges.tolist(), "layers": [l.to_json() for l in data.layers]}
    elif args.plot == "cost":
        from graphapp.core.analysis.landscape import cost_curve  # noqa: PLC0415

        data = cost_curve()
        summary = {"W": data[0].tolist(), "cost": data[1].tolist(), "gradient": data[2].tolist()}
    elif args.plot == "landscape":
        run = _run(lab_options(args))
        data = run.landscape(args.grid, args.seed, args.directions)
        summary = {"center_loss": data.center_loss, "directions": data.directions, "alphas": data.alphas.tolist(),
                   "loss": [[None if v != v else v for v in row] for row in data.loss.tolist()],
                   "path": data.path.tolist()}
    elif args.plot in ("filters", "maps"):
        run = _run(lab_options(args))
        data = (trained_filters(run, args.layer) if args.plot == "filters"
                else trained_maps(run, args.layer, args.row))
        summary = data.to_json()
    elif args.plot == "series":
        run = _run(lab_options(args))
        data = run.series()
        summary = {"target": data.target, "start": data.start, "true": data.truth.tolist(),
                   "predicted": data.predicted.tolist(), "test_rmse": data.rmse_scaled, "rmse": data.rmse}
    elif args.plot == "hidden":
        run = _run(lab_options(args))
        data = run.hidden(args.sample)
        summary = data.to_json()
    else:
        run = _run(lab_options(args))
        grid, confusion = run.boundary(), run.confusion()
        data = (run, grid, confusion)
        summary = {"classes": list(run.data.class_values), "confusion": confusion.tolist(),
                   "train_accuracy": run.result.final.train_accuracy, "test_accuracy": run.result.final.test_accuracy}
    if not args.output and not args.json:
        raise UsageError(f"plot {args.plot}: give -o FILE.png (or --json)")
    if args.output:
        _export(args.plot, args, data)
    if args.json:
        print(json_text(summary))
    elif args.output:
        print(clean(args.output))
    return 0


def dispatch(args: argparse.Namespace) -> int | None:
    """Run a lab command; None when the command is not one of the lab's."""
    handlers = {"train": cmd_train, "race": cmd_race, "plot": cmd_plot}
    handler = handlers.get(args.command)
    seed = getattr(args, "seed", 0)
    if handler is not None and seed < 0:  # numpy's generators take none: refused here, not as a traceback
        raise UsageError(f"--seed {seed}: expected a whole number ≥ 0")
    return None if handler is None else handler(args)
