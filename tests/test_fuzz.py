"""The fuzzer (benchmarks/fuzz.py) over files, bytes, expressions, command lines, layer graphs, expand and
collapse, group records and the lab's commands, 150 cases a kind (2,000 with FUZZ_LONG=1): every one ends in
a result or a one-line error, and every message it makes has Korean. `python benchmarks/fuzz.py --cases 10000`
runs it at length."""
from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from tests.core.test_messages import assert_korean, made  # noqa: F401 - made: the fixture
from tests import fuzzing

ROOT = Path(__file__).resolve().parents[1]


def load_fuzzer():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = load_fuzzer()
CASES = fuzzing.count(150, 2000)  # a kind's cases: FUZZ_LONG=1 runs them at length


@pytest.mark.parametrize("kind", sorted(fuzz.KINDS))
def test_fuzz_cases_end_in_a_result_or_a_one_line_error_with_a_korean_message(made: list[str], kind: str) -> None:
    """One run per kind checks both contracts: the case ends well, and every StudioError message it made
    (`made`, from tests/core/test_messages.py) has its whole Korean template."""
    report = fuzz.fuzz([kind], CASES, seed=7)
    assert report.cases == CASES
    assert report.failures == [], "\n".join(f"seed {s}: {p}" for s, _, p in report.failures[:10])
    assert made, kind
    for message in sorted(set(made)):
        assert_korean(message, ("/tmp",))


def test_fuzzer_notices_a_broken_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks themselves can fail: a traceback-shaped exception and a bare NaN are both caught."""
    def boom(argv):  # noqa: ANN001, ANN202
        raise TypeError("unsupported operand")

    monkeypatch.setattr(fuzz, "cli_main", boom)
    assert "TypeError" in fuzz.run_case("cli", 1)

    def nan(argv):  # noqa: ANN001, ANN202
        print('{"x": NaN}')
        return 0

    monkeypatch.setattr(fuzz, "cli_main", nan)
    with pytest.raises(fuzz.ContractBroken):
        fuzz.run_cli(["trace", "apple_tax", "--json"])


def test_the_generators_reach_every_layer_op_and_lab_option() -> None:
    """The new kinds keep reaching what they were written for: every layer op and its attributes, group
    damage that a file refuses, and the lab's commands and options."""
    texts = " ".join(fuzz.layer_case(random.Random(i), huge=i % 7 == 0)[0] for i in range(400))
    for name in ("conv2d(", "max_pool2d(", "avg_pool2d(", "flatten(", "dense(", "embedding(", "one_hot(",
                 "residual(", "batch_norm(", "rnn_cell(", "lstm_cell(", "gru_cell(", "rnn(x, W_x", "lstm(x, W_x", "gru(x, W_x",
                 "select(", "append(", "nonlinearity=", "sequences=", "num_classes=65536", "padding='same'"):
        assert name in texts, name
    argvs = [fuzz._sane_lab_argv(random.Random(i), "/tmp") + fuzz._train_options(random.Random(i)) + fuzz._info_argv(
        random.Random(i)) for i in range(300)]
    words = {w for argv in argvs for w in argv}
    for word in ("train", "plot", "series", "hidden", "info", "--shape", "--window", "--order", "--dropout",
                 "--batch-norm", "--l2", "--weight-decay", "--validation-fraction", "--patience", "--curves"):
        assert word in words, word


def test_damaged_group_records_are_refused_naming_the_group() -> None:
    from graphapp.core import expand, fileio
    from graphapp.core.errors import FileFormatError
    from graphapp.core.expr import parse_expression

    graph = parse_expression("L = mse(sigmoid(dense(x, W, b)), y)", {"x": [[1.0, 2.0]], "W": [[0.5], [0.1]],
                                                                      "b": [0.0], "y": [[1.0]]}, set())
    for node in ("dense_1", "sigmoid_1"):
        expand.expand(graph, node)
    doc = json.loads(fileio.dumps(graph))
    refused = 0
    for seed in range(60):
        try:
            fileio.loads(fuzz.dumps(fuzz.mutate_groups(doc, random.Random(seed))))
        except FileFormatError as exc:
            refused += "group" in str(exc) or "groups" in str(exc)
    assert refused >= 20
