"""Speed cases, one JSON line each: {"case", "engine_s", "torch_s", "ratio"} or {"case", "seconds"}.

Run: python benchmarks/run.py [CASE ...]. Timings are best-of-N wall clock in one process, so the engine
and its PyTorch peer see the same machine load. Not a test: this shared machine is too noisy for that.
"""
from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Callable

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphapp.core.executor import Executor  # noqa: E402
from graphapp.core.expr import parse_expression  # noqa: E402
from graphapp.core.learning import param_ids, sgd_update  # noqa: E402

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]
STEPS = 10_000
LR = 1.0


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    """Best wall time of `repeats` runs, with the garbage collector paused as `timeit` does, for both sides."""
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def xor_engine() -> float:
    """XOR 2-2-1, sigmoid, MSE, full-batch SGD, built as a graph and run through the executor."""
    rng = numpy.random.default_rng(0)
    graph = parse_expression("L = mse(sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2), Y)", {
        "X": XOR_X, "Y": XOR_Y, "W1": rng.normal(size=(2, 2)).tolist(), "b1": [0.0, 0.0],
        "W2": rng.normal(size=(2, 1)).tolist(), "b2": [0.0]})
    ex = Executor(graph)
    params = {p: graph.nodes[p].value for p in param_ids(graph)}
    for _ in range(STEPS):
        trace = ex.run(record=False, values=params)
        params = sgd_update(params, trace.grads, LR)
    return float(trace.values["L"])


def xor_torch() -> float:
    import torch  # noqa: PLC0415 - optional peer

    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid(), torch.nn.Linear(2, 1), torch.nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    x, y = torch.tensor(XOR_X, dtype=torch.float32), torch.tensor(XOR_Y, dtype=torch.float32)
    loss_fn = torch.nn.MSELoss()
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return float(loss.detach())


def case_xor() -> dict[str, object]:
    engine_s = best_of(xor_engine)
    try:
        torch_s = best_of(xor_torch)
    except ImportError:
        return {"case": "xor_sgd_10000_steps", "seconds": engine_s}
    return {"case": "xor_sgd_10000_steps", "engine_s": round(engine_s, 4), "torch_s": round(torch_s, 4),
            "ratio": round(engine_s / torch_s, 4)}


CASES: dict[str, Callable[[], dict[str, object]]] = {"xor_sgd_10000_steps": case_xor}


def main(names: list[str]) -> None:
    for name in names or list(CASES):
        print(json.dumps(CASES[name]()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
