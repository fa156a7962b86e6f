"""Speed cases, one JSON line each: {"case", "engine_s", "torch_s", "ratio"} or {"case", "seconds"}.

Run: python benchmarks/run.py [--backend numpy|cupy] [CASE ...]. Timings are best-of-N wall clock in one process, the engine and
its peers (PyTorch, a hand-written numpy loop) taking turns, so they see the same machine load. Not a test:
this shared machine is too noisy for that.

--backend cupy runs the engine's training cases (xor, the MLP epochs, the landscape) on the GPU through
CuPy, and their PyTorch peers on CUDA where torch has it; where CuPy cannot run, one line on stderr says
why and numpy goes on. Every line names the backend it measured.

Threads: numpy's BLAS and torch each run on one thread (`threads` in the training lines). On a small shared
machine a multithreaded BLAS makes small matrix products many times slower, and one thread each keeps the
comparison fair. Set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS yourself to measure something else.
"""
from __future__ import annotations

import argparse
import functools
import gc
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Callable

# Before numpy is imported: OpenBLAS reads these once, when it loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kernels.backend import BACKENDS, backend_name, choose_xp  # noqa: E402
from kernels.memory import keep_freed_memory  # noqa: E402

keep_freed_memory()  # as main.py does for train, race and plot

from graphapp.core.executor import Executor  # noqa: E402
from graphapp.core.expr import parse_expression  # noqa: E402
from graphapp.core.learning import param_ids, sgd_update  # noqa: E402

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]
STEPS = 10_000
LR = 1.0
XP = numpy  # the engine's array module, set by --backend


def torch_device() -> str:
    """Where the PyTorch peers run: CUDA beside a GPU backend (where torch has it), else the CPU."""
    import torch  # noqa: PLC0415

    return "cuda" if XP is not numpy and torch.cuda.is_available() else "cpu"


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call, with the garbage collector paused as `timeit` does."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def best_of_alternating(fns: list[Callable[[], object]], repeats: int = 5) -> list[float]:
    """Best time of each function over `repeats` rounds, taking turns so both see the same machine load."""
    best = [math.inf] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], timed(fn))
    return best


def xor_graph() -> tuple[Executor, dict[str, object]]:
    """XOR 2-2-1, sigmoid, MSE, built as a graph: its executor and its starting parameters."""
    rng = numpy.random.default_rng(0)
    graph = parse_expression("L = mse(sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2), Y)", {
        "X": XOR_X, "Y": XOR_Y, "W1": rng.normal(size=(2, 2)).tolist(), "b1": [0.0, 0.0],
        "W2": rng.normal(size=(2, 1)).tolist(), "b2": [0.0]})
    return Executor(graph, XP), {p: XP.asarray(graph.nodes[p].value) for p in param_ids(graph)}


def xor_engine(steps: int = STEPS, start: tuple[Executor, dict[str, object]] | None = None) -> float:
    """Full-batch SGD on the XOR graph through the executor, from `start` (xor_graph()) or a new graph."""
    ex, params = start or xor_graph()
    wrt = frozenset(params)  # the gradients a training step needs: the parameters', not the data's
    for _ in range(steps):
        trace = ex.run(record=False, values=params, wrt=wrt)
        params = sgd_update(params, trace.grads, LR)
    return float(trace.values["L"])


def xor_torch(steps: int = STEPS) -> float:
    import torch  # noqa: PLC0415 - optional peer

    torch.manual_seed(0)
    torch.set_num_threads(1)
    device = torch_device()
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid(), torch.nn.Linear(2, 1),
                                torch.nn.Sigmoid()).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    x, y = (torch.tensor(v, dtype=torch.float32, device=device) for v in (XOR_X, XOR_Y))
    loss_fn = torch.nn.MSELoss()
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return float(loss.detach())


def xor_numpy(steps: int = STEPS) -> float:
    """The same network, loss and updates as `xor_engine`, written out by hand in numpy: the floor for
    array math driven from Python."""
    rng = numpy.random.default_rng(0)
    w1, b1 = rng.normal(size=(2, 2)), numpy.zeros(2)
    w2, b2 = rng.normal(size=(2, 1)), numpy.zeros(1)
    x, y = numpy.array(XOR_X, dtype=float), numpy.array(XOR_Y, dtype=float)
    for _ in range(steps):
        h = 1.0 / (1.0 + numpy.exp(-(x @ w1 + b1)))
        out = 1.0 / (1.0 + numpy.exp(-(h @ w2 + b2)))
        diff = out - y
        loss = (diff * diff).mean()
        d2 = (2.0 / diff.size) * diff * out * (1.0 - out)
        d1 = (d2 @ w2.T) * h * (1.0 - h)
        w2, b2 = w2 - LR * (h.T @ d2), b2 - LR * d2.sum(axis=0)
        w1, b1 = w1 - LR * (x.T @ d1), b1 - LR * d1.sum(axis=0)
    return float(loss)


def case_xor() -> dict[str, object]:
    """`ratio`: engine / PyTorch; `numpy_ratio`: engine / the hand-written numpy loop (all float64 but torch).
    Each is timed as its best stretch of 1,000 steps over 20 turns, times 10: short turns taken in rotation
    see the same machine load, which one long run each on this shared machine does not. The engine's
    graph is built once, outside the turns (each turn starts from its first parameters again), as a run
    of 10,000 steps builds it once: parsing it for every stretch of 1,000 would count it ten times."""
    chunk, turns = 1_000, 20
    fns = [functools.partial(xor_engine, chunk, xor_graph()),
           *(functools.partial(f, chunk) for f in (xor_torch, xor_numpy))]
    try:
        import torch  # noqa: F401, PLC0415 - only to know whether the peer can run
    except ImportError:
        fns.pop(1)
    best = [t * STEPS / chunk for t in best_of_alternating(fns, turns)]
    engine_s, numpy_s = best[0], best[-1]
    line: dict[str, object] = {"case": "xor_sgd_10000_steps", "engine_s": round(engine_s, 4)}
    if len(best) == 3:
        line.update(torch_s=round(best[1], 4), ratio=round(engine_s / best[1], 4), threads=_threads())
    return {**line, "numpy_s": round(numpy_s, 4), "numpy_ratio": round(engine_s / numpy_s, 4),
            "engine_step_us": round(engine_s / STEPS * 1e6, 1), "numpy_step_us": round(numpy_s / STEPS * 1e6, 1)}


def _threads() -> dict[str, object]:
    import torch  # noqa: PLC0415

    return {"numpy_blas": os.environ.get("OPENBLAS_NUM_THREADS"), "torch": torch.get_num_threads(),
            "torch_device": torch_device()}


def mlp_epoch_case(case: str, data, hidden: tuple[int, ...], batch: int, repeats: int = 5,  # noqa: ANN001
                   ) -> dict[str, object]:
    """One epoch of training (ReLU MLP, softmax cross-entropy, Adam at its defaults, shuffled mini-batches):
    the engine's Trainer (its graph built from the mlp template beforehand; the Trainer itself, with its
    compiled steps, made inside the timing) against the same network in PyTorch with the same starting
    weights. `ratio` compares like with like, both in float32 (PyTorch's default); `ratio_float64` is the
    engine at its default float64 (matrix products cost about twice as much), and `numpy_float64_ratio` a
    hand-written numpy loop of the same epoch, also float64, the floor for float64 array math from Python."""
    import torch  # noqa: PLC0415

    from graphapp.core.train.templates import mlp  # noqa: PLC0415
    from graphapp.core.train.trainer import TrainConfig, Trainer  # noqa: PLC0415

    torch.set_num_threads(1)
    graph = mlp(data, hidden, "relu", seed=0)
    configs = {dtype: TrainConfig(optimizer="adam", batch_size=batch, epochs=1, seed=0, dtype=dtype)
               for dtype in ("float64", "float32")}
    widths = [data.n_features, *hidden, data.n_outputs]
    device = torch_device()
    x, y = (torch.tensor(data.x, dtype=torch.float32, device=device),
            torch.tensor(data.y, dtype=torch.long, device=device))

    def engine(dtype: str) -> Callable[[], float]:
        def epoch() -> float:
            trainer = Trainer(graph, data, None, configs[dtype], XP)
            for _ in range(trainer.steps_per_epoch):
                loss = trainer.step()
            return loss
        return epoch

    def peer() -> float:
        layers: list[torch.nn.Module] = []
        for i in range(1, len(widths)):
            linear = torch.nn.Linear(widths[i - 1], widths[i])
            with torch.no_grad():  # the engine's W is (in, out); torch keeps (out, in)
                linear.weight.copy_(torch.tensor(graph.nodes[f"W{i}"].value.T))
                linear.bias.copy_(torch.tensor(graph.nodes[f"b{i}"].value))
            layers += [linear, torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers[:-1]).to(device)
        opt = torch.optim.Adam(model.parameters())
        loss_fn = torch.nn.CrossEntropyLoss()
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0)).to(device)
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return float(loss.detach())

    def by_hand() -> float:
        """The same epoch written out in numpy (float64): ReLU layers, softmax cross-entropy, Adam."""
        ws = [graph.nodes[f"W{i}"].value.copy() for i in range(1, len(widths))]
        bs = [graph.nodes[f"b{i}"].value.copy() for i in range(1, len(widths))]
        params = [a for pair in zip(ws, bs) for a in pair]
        moments = [(numpy.zeros_like(a), numpy.zeros_like(a)) for a in params]
        labels = numpy.asarray(data.y, dtype=numpy.int64)
        order = numpy.random.default_rng(0).permutation(data.n)
        for t, i in enumerate(range(0, data.n, batch), start=1):
            idx = order[i:i + batch]
            acts = [data.x[idx]]
            for k in range(len(ws)):
                z = acts[-1] @ ws[k] + bs[k]
                acts.append(numpy.maximum(z, 0.0) if k < len(ws) - 1 else z)
            logits = acts[-1]
            shifted = logits - logits.max(axis=1, keepdims=True)
            logp = shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
            rows = numpy.arange(len(idx))
            loss = -logp[rows, labels[idx]].mean()
            d = numpy.exp(logp)
            d[rows, labels[idx]] -= 1.0
            d /= len(idx)
            grads = []
            for k in reversed(range(len(ws))):
                grads[:0] = [acts[k].T @ d, d.sum(axis=0)]
                if k:
                    d = (d @ ws[k].T) * (acts[k] > 0)
            for a, g, (m, v) in zip(params, grads, moments):
                m += (g - m) * 0.1
                v *= 0.999
                v += 0.001 * (g * g)
                a -= (1e-3 / (1.0 - 0.9 ** t)) * (m / (numpy.sqrt(v) / math.sqrt(1.0 - 0.999 ** t) + 1e-8))
        return float(loss)

    engine_s, engine64_s, torch_s, numpy_s = best_of_alternating(
        [engine("float32"), engine("float64"), peer, by_hand], repeats)
    return {"case": case, "engine_s": round(engine_s, 4), "torch_s": round(torch_s, 4),
            "ratio": round(engine_s / torch_s, 4), "engine_float64_s": round(engine64_s, 4),
            "ratio_float64": round(engine64_s / torch_s, 4), "numpy_float64_s": round(numpy_s, 4),
            "numpy_float64_ratio": round(numpy_s / torch_s, 4), "steps": -(-data.n // batch),
            "dtype": "engine and torch float32 (engine_float64_s and the numpy loop: float64)", "threads": _threads()}


def case_digits_epoch() -> dict[str, object]:
    """The lecture's digits MLP, 64-300-100-10, batch 50: one epoch of the 1,797 shipped rows."""
    from graphapp.core.train.datasets import load_dataset  # noqa: PLC0415

    return mlp_epoch_case("digits_mlp_epoch", load_dataset("digits"), (300, 100), 50, repeats=10)


def case_mnist_shaped_epoch() -> dict[str, object]:
    """MNIST's shape, 784-300-100-10, batch 100, one epoch of 6,000 random rows (10 classes)."""
    from graphapp.core.train.data import Dataset  # noqa: PLC0415

    rng = numpy.random.default_rng(0)
    data = Dataset(rng.normal(size=(6_000, 784)), rng.integers(0, 10, 6_000), "multiclass", "random",
                   class_values=tuple(float(c) for c in range(10)))
    return mlp_epoch_case("mlp_784_300_100_10_epoch", data, (300, 100), 100, repeats=5)


def case_landscape() -> dict[str, object]:
    """A 51×51 loss landscape of the digits MLP (64-300-100-10, ReLU) on all 1,797 rows: the engine's
    analysis.landscape (the first layer's three products once, then one compiled forward run of the rest
    per grid point: analysis.plane) against PyTorch evaluating the same grid (parameters moved in torch,
    no_grad), both float32 and one thread, alternating in one run."""
    import torch  # noqa: PLC0415

    from graphapp.core.analysis.landscape import filter_normalized, landscape  # noqa: PLC0415
    from graphapp.core.analysis.plane import training_loss  # noqa: PLC0415
    from graphapp.core.train.datasets import load_dataset  # noqa: PLC0415
    from graphapp.core.train.templates import mlp  # noqa: PLC0415
    from graphapp.core.train.trainer import TrainConfig, Trainer  # noqa: PLC0415

    torch.set_num_threads(1)
    grid = 51
    data = load_dataset("digits")
    graph = mlp(data, (300, 100), "relu", seed=0)
    trainer = Trainer(graph, data, None, TrainConfig(optimizer="adam", dtype="float32"), XP)
    center = trainer.host_params()

    def loss_at(params: dict[str, numpy.ndarray]) -> float:
        trainer.params = {k: XP.asarray(v, dtype=numpy.float32) for k, v in params.items()}
        return float(trainer.outputs(trainer.train_set.x, trainer.y_train)[0])

    def engine() -> object:
        return landscape(loss_at, center, grid=grid, seed=0, plane=training_loss(trainer).plane)

    rng = numpy.random.default_rng(0)  # the same directions as the engine's (same seed, same order)
    d1, d2 = filter_normalized(center, rng), filter_normalized(center, rng)
    names = [(f"W{i}", f"b{i}") for i in (1, 2, 3)]
    as_t = lambda a: torch.tensor(numpy.asarray(a), dtype=torch.float32)  # noqa: E731
    tc, t1, t2 = ({k: as_t(v) for k, v in d.items()} for d in (center, d1, d2))
    x, y = as_t(data.x), torch.tensor(data.y, dtype=torch.long)
    axis = numpy.linspace(-1.0, 1.0, grid)

    def peer() -> object:
        out = numpy.empty((grid, grid))
        with torch.no_grad():
            for i, b in enumerate(axis):
                for j, a in enumerate(axis):
                    h = x
                    for k, (w, bias) in enumerate(names):
                        h = h @ (tc[w] + a * t1[w] + b * t2[w]) + (tc[bias] + a * t1[bias] + b * t2[bias])
                        h = torch.relu(h) if k < 2 else h
                    out[i, j] = float(torch.nn.functional.cross_entropy(h, y))
        return out

    e, t = best_of_alternating([engine, peer], repeats=2)
    return {"case": "landscape_51x51_digits_mlp", "engine_s": round(e, 3), "torch_s": round(t, 3),
            "ratio": round(e / t, 3), "points": grid * grid, "rows": data.n,
            "threads": {"numpy_blas": os.environ.get("OPENBLAS_NUM_THREADS"), "torch": 1}}


def case_lenet_step() -> dict[str, object]:
    """One SGD step (forward, backward, update) of LeNet-5's shape on a batch of 64 1×28×28 images (conv 6@5×5 →
    relu → maxpool 2 → conv 16@5×5 → relu → maxpool 2 → flatten → 120 → 84 → 10, softmax cross-entropy): the
    engine's Trainer against the same network in PyTorch with the same starting weights, both float32 and one
    thread (on CUDA beside --backend cupy), in chunks of 10 steps taking turns. `ratio_float64`: the engine at
    its default float64."""
    import torch  # noqa: PLC0415

    from graphapp.core.train.data import Dataset  # noqa: PLC0415
    from graphapp.core.train.templates_cnn import LENET5, LENET5_DENSE, cnn  # noqa: PLC0415
    from graphapp.core.train.trainer import TrainConfig, Trainer  # noqa: PLC0415

    torch.set_num_threads(1)
    batch, chunk = 64, 10
    rng = numpy.random.default_rng(0)
    data = Dataset(rng.random((batch, 784)), rng.integers(0, 10, batch), "multiclass", "random",
                   class_values=tuple(float(c) for c in range(10)))
    graph = cnn(data, LENET5, LENET5_DENSE, seed=0, name="lenet5")
    trainers = {dtype: Trainer(graph, data, None, TrainConfig("sgd", {"lr": 0.01}, batch, steps=10**9, dtype=dtype), XP)
                for dtype in ("float32", "float64")}

    def engine(dtype: str) -> Callable[[], float]:
        return lambda: [trainers[dtype].step() for _ in range(chunk)][-1]

    value = lambda nid: torch.tensor(graph.nodes[nid].value, dtype=torch.float32)  # noqa: E731
    conv1, conv2 = torch.nn.Conv2d(1, 6, 5), torch.nn.Conv2d(6, 16, 5)
    fcs = [torch.nn.Linear(256, 120), torch.nn.Linear(120, 84), torch.nn.Linear(84, 10)]
    with torch.no_grad():
        for i, conv in enumerate((conv1, conv2), start=1):
            conv.weight.copy_(value(f"K{i}"))
            conv.bias.copy_(value(f"c{i}"))
        for i, fc in enumerate(fcs, start=1):  # the engine's W is (in, out); torch keeps (out, in)
            fc.weight.copy_(value(f"W{i}").T)
            fc.bias.copy_(value(f"b{i}"))
    relu, pool = torch.nn.ReLU(), torch.nn.MaxPool2d(2)
    device = torch_device()
    model = torch.nn.Sequential(conv1, relu, pool, conv2, relu, pool, torch.nn.Flatten(), fcs[0], relu, fcs[1], relu,
                                fcs[2]).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.tensor(data.x, dtype=torch.float32, device=device).reshape(batch, 1, 28, 28)
    y = torch.tensor(data.y, dtype=torch.long, device=device)

    def peer() -> float:
        for _ in range(chunk):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        return float(loss.detach())

    e32, e64, t = (v / chunk for v in best_of_alternating([engine("float32"), engine("float64"), peer], 10))
    return {"case": "lenet_step", "engine_s": round(e32, 5), "torch_s": round(t, 5), "ratio": round(e32 / t, 3),
            "engine_float64_s": round(e64, 5), "ratio_float64": round(e64 / t, 3), "batch": batch,
            "dtype": "engine and torch float32 (engine_float64_s: float64)", "threads": _threads()}


def case_rnn_step() -> dict[str, object]:
    """One SGD training step (forward, backward, update) of a many-to-one tanh RNN, the stock lab's shape:
    batch 64 of 7 steps × 5 features, hidden 32, then a dense layer to 1 output and mse. The engine's graph
    `mse(dense(rnn(X, W_x, W_h, b), W, b2), Y)` through the Executor's compiled step, against torch's
    nn.RNN + nn.Linear + SGD from the same weights, both float32 and one thread (`ratio`); `ratio_float64`
    is the engine at its default float64. Each is timed as its best stretch of 100 steps over 10 turns."""
    import torch  # noqa: PLC0415

    torch.set_num_threads(1)
    n, steps, features, hidden, lr, chunk = 64, 7, 5, 32, 0.01, 100
    rng = numpy.random.default_rng(0)
    values = {"X": rng.normal(size=(n, steps, features)), "Y": rng.normal(size=(n, 1)),
              "W_x": rng.uniform(-0.18, 0.18, (features, hidden)), "W_h": rng.uniform(-0.18, 0.18, (hidden, hidden)),
              "b": numpy.zeros(hidden), "W": rng.uniform(-0.18, 0.18, (hidden, 1)), "b2": numpy.zeros(1)}
    graph = parse_expression("L = mse(dense(rnn(X, W_x, W_h, b), W, b2), Y)", values)

    def engine(dtype: str) -> Callable[[], float]:
        ex = Executor(graph, dtype=dtype)
        start = {p: numpy.asarray(graph.nodes[p].value, dtype=dtype) for p in param_ids(graph)}
        wrt = frozenset(start)
        data = {k: numpy.asarray(values[k], dtype=dtype) for k in ("X", "Y")}

        def run() -> float:
            params = start
            for _ in range(chunk):
                trace = ex.run(record=False, values={**data, **params}, wrt=wrt)
                params = sgd_update(params, trace.grads, lr)
            return float(trace.values["L"])
        return run

    rnn = torch.nn.RNN(features, hidden, batch_first=True)
    linear = torch.nn.Linear(hidden, 1)
    as_t = lambda a: torch.tensor(numpy.asarray(a), dtype=torch.float32)  # noqa: E731
    x, y = as_t(values["X"]), as_t(values["Y"])

    def peer() -> float:
        with torch.no_grad():  # the same start each turn; torch keeps weights as (out, in) and two biases
            rnn.weight_ih_l0.copy_(as_t(values["W_x"].T))
            rnn.weight_hh_l0.copy_(as_t(values["W_h"].T))
            rnn.bias_ih_l0.zero_()
            rnn.bias_hh_l0.zero_()
            linear.weight.copy_(as_t(values["W"].T))
            linear.bias.zero_()
        opt = torch.optim.SGD([*rnn.parameters(), *linear.parameters()], lr=lr)
        for _ in range(chunk):
            opt.zero_grad()
            out, _ = rnn(x)
            loss = torch.nn.functional.mse_loss(linear(out[:, -1]), y)
            loss.backward()
            opt.step()
        return float(loss.detach())

    e32, e64, t = best_of_alternating([engine("float32"), engine("float64"), peer], repeats=10)
    return {"case": "rnn_step", "engine_step_us": round(e32 / chunk * 1e6, 1), "torch_step_us": round(t / chunk * 1e6, 1),
            "ratio": round(e32 / t, 4), "engine_float64_step_us": round(e64 / chunk * 1e6, 1),
            "ratio_float64": round(e64 / t, 4), "target_ratio": 0.4, "shape": "batch 64, 7 steps, 5 features, hidden 32",
            "threads": _threads()}


def chain_graph(layers: int):  # noqa: ANN201
    """A deep scalar network: x → (× w_i → tanh) per layer, three nodes a layer, then the output."""
    from graphapp.core.graph import Graph  # noqa: PLC0415

    g = Graph()
    g.add_node("input", "x", value=0.5)
    prev = "x"
    for i in range(layers):
        g.add_node("param", f"w{i}", value=1.0 + 0.001 * i)
        g.add_node("mul", f"m{i}")
        g.add_node("tanh", f"t{i}")
        g.connect(prev, f"m{i}", "a")
        g.connect(f"w{i}", f"m{i}", "b")
        g.connect(f"m{i}", f"t{i}", "x")
        prev = f"t{i}"
    g.add_node("output", "L")
    g.connect(prev, "L", "x")
    return g


def _window():  # noqa: ANN202
    import os  # noqa: PLC0415

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from graphapp.ui.main_window import MainWindow  # noqa: PLC0415
    from graphapp.ui.render import ensure_app  # noqa: PLC0415

    app = ensure_app()
    window = MainWindow(settings=None, lang="en")
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    return app, window


def case_ui_step() -> dict[str, object]:
    """One playback step on a 300-node graph as the window shows it (at a readable zoom, following the
    playhead): the playhead moves, the scene updates the items that changed, the view scrolls when the
    playhead leaves it, and Qt repaints what changed (`seconds`: mean over every forward and backward step).
    `full_repaint_s` is the mean with the whole canvas repainted on every step, the worst case."""
    app, window = _window()
    window.set_graph(chain_graph(100))  # 302 nodes
    window.view.fit()
    app.processEvents()

    def walk(full: bool) -> list[float]:
        window.playback.go_to(0)
        app.processEvents()
        times = []
        for step in range(1, window.playback.total + 1):
            start = time.perf_counter()
            window.playback.go_to(step)
            app.processEvents()
            if full:
                window.view.viewport().repaint()
            times.append(time.perf_counter() - start)
        return sorted(times)

    changed, full = walk(False), walk(True)
    window.undo_stack.setClean()
    window.close()
    return {"case": "ui_step_300_nodes", "seconds": round(sum(changed) / len(changed), 5),
            "p95_s": round(changed[int(0.95 * len(changed))], 5), "max_s": round(changed[-1], 5),
            "full_repaint_s": round(sum(full) / len(full), 5), "steps": len(changed)}


def case_ui_open() -> dict[str, object]:
    """Open a 1,000-node graph without positions: automatic layered layout, scene built, first paint."""
    seconds, nodes = _open_chain(333)  # 1,001 nodes
    return {"case": "ui_open_layout_1000_nodes", "seconds": round(seconds, 4), "nodes": nodes}


def _open_chain(layers: int) -> tuple[float, int]:
    """Seconds to open a chain of `layers` layers (3 nodes each) without positions in a fresh window:
    layout, scene built, view fitted, first paint; and its node count."""
    app, window = _window()
    graph = chain_graph(layers)
    gc.collect()
    start = time.perf_counter()
    window.set_graph(graph)
    app.processEvents()
    window.view.viewport().repaint()
    seconds = time.perf_counter() - start
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return seconds, len(graph.nodes)


def case_ui_open_5000() -> dict[str, object]:
    """Open a 5,000-node graph (best of 3), and a 1,250-node one: `ratio_4n_n` near 4 means the cost of
    opening grows linearly with the graph (quadratic work would show as 16)."""
    small = big = math.inf
    for _ in range(3):  # taking turns, so both see the same machine load
        seconds, n_small = _open_chain(416)  # 1,250 nodes
        small = min(small, seconds)
        seconds, n_big = _open_chain(1666)  # 5,000 nodes
        big = min(big, seconds)
    return {"case": "ui_open_layout_5000_nodes", "seconds": round(big, 4), "nodes": n_big,
            "seconds_n": round(small, 4), "nodes_n": n_small, "ratio_4n_n": round(big / small, 2)}


def case_core_load_trace() -> dict[str, object]:
    """Read a graph file's text (fileio.loads: every node and edge checked) and record a full trace of it,
    for 5,000 and 20,000 nodes (best of 3 each): linear cost keeps `ratio` (20,000 / 5,000) near 4."""
    from graphapp.core import fileio  # noqa: PLC0415

    def load_and_trace(text: str) -> Callable[[], object]:
        return lambda: Executor(fileio.loads(text)).run()

    small, large = (fileio.dumps(chain_graph((n - 2) // 3)) for n in (5_000, 20_000))
    small_s, large_s = best_of_alternating([load_and_trace(small), load_and_trace(large)], repeats=3)
    return {"case": "core_load_trace", "seconds": round(large_s, 4), "nodes": 20_000,
            "seconds_5000": round(small_s, 4), "ratio": round(large_s / small_s, 2)}


def case_file_value() -> dict[str, object]:
    """Write (fileio.dumps) and read (fileio.loads: every number checked) a graph holding one value of 10⁶
    random float64 numbers, best of 3, beside the floor: json's C encoder and decoder on the bare list
    (float.__repr__, the shortest exact text), taking turns. `*_ratio` near 1: little beyond that floor."""
    from graphapp.core import fileio  # noqa: PLC0415
    from graphapp.core.graph import Graph  # noqa: PLC0415

    value = numpy.random.default_rng(0).normal(size=(1000, 1000))
    graph = Graph()
    graph.add_node("param", "W", value=value)
    text, bare = fileio.dumps(graph), json.dumps(value.tolist())
    save_s, floor_save_s, open_s, floor_open_s = best_of_alternating(
        [lambda: fileio.dumps(graph), lambda: json.dumps(value.tolist()), lambda: fileio.loads(text),
         lambda: json.loads(bare)], repeats=3)
    return {"case": "file_value_1e6", "seconds": round(save_s + open_s, 4), "save_s": round(save_s, 4),
            "open_s": round(open_s, 4), "save_ratio": round(save_s / floor_save_s, 2),
            "open_ratio": round(open_s / floor_open_s, 2), "mb": round(len(text) / 1e6, 1)}


CASES: dict[str, Callable[[], dict[str, object]]] = {
    "xor_sgd_10000_steps": case_xor,
    "digits_mlp_epoch": case_digits_epoch,
    "mlp_784_300_100_10_epoch": case_mnist_shaped_epoch,
    "ui_step_300_nodes": case_ui_step,
    "ui_open_layout_1000_nodes": case_ui_open,
    "ui_open_layout_5000_nodes": case_ui_open_5000,
    "core_load_trace": case_core_load_trace,
    "file_value_1e6": case_file_value,
    "landscape_51x51_digits_mlp": case_landscape,
    "lenet_step": case_lenet_step,
    "rnn_step": case_rnn_step,
}


def main(argv: list[str]) -> None:
    global XP  # noqa: PLW0603 - the one setting every case reads, made before any runs
    p = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n")[0])
    p.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(CASES)} (default: all)")
    p.add_argument("--backend", choices=BACKENDS, default="numpy", help="the engine's array backend")
    args = p.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        p.error(f"unknown case {unknown[0]!r} (choose from {', '.join(CASES)})")
    XP, why = choose_xp(args.backend)
    if why is not None:
        print(why, file=sys.stderr)
    for name in args.cases or list(CASES):
        print(json.dumps({**CASES[name](), "backend": backend_name(XP)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
