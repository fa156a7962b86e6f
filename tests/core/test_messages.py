"""The Korean message catalogue covers every error a user can cause.

Messages are collected as they are made (StudioError.__init__ is wrapped): from bad inputs written
here, one or more per error class, and from the fuzzer's cases (tests/test_fuzz.py checks the messages they
make with `assert_korean`). A new message without a Korean template makes these tests fail, naming the message.
"""
from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy
import pytest

from graphapp.cli import main
from graphapp.core import errors, examples, fileio
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.messages import MESSAGES, PLACES, has_hangul, localize, translate
from graphapp.core.meta import check_lr, check_meta
from graphapp.core.safeio import read_bytes, write_atomic
from graphapp.core.train import csvdata, data, datasets, init, optim, templates, trainer
from graphapp.core.train.errors import DataError, OptionError
from graphapp.core.values import as_value, parse_value_text


QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _literals(template: str) -> list[str]:
    return [text for text, *_ in string.Formatter().parse(template)]


def _fragments() -> list[str]:
    """English pieces of the templates that no translation keeps: finding one means a part was left.
    Pieces of two words or more, and the words that start places (not "size" or "step": option and op names)."""
    korean = " ".join([*MESSAGES.values(), *PLACES.values()])
    found = {"node", "expression", "line", "column", "optimizer", "initializer"}
    for en in [*MESSAGES, *PLACES]:
        for text in _literals(en):
            piece = QUOTED.sub(" ", text).strip(" ,;:()'\".")
            if re.search(r"[a-z]{3,} [a-z]{2,}", piece) and piece not in korean:
                found.add(piece)
    return sorted(found, key=len, reverse=True)


FRAGMENTS = _fragments()


def assert_korean(message: str, data: tuple[str, ...] = ()) -> str:
    """The Korean text of a message: whole (no part left in English) and with no English template text."""
    korean, missing = translate(message)
    assert korean is not None, f"no Korean template for: {message!r}"
    assert not missing, f"{message!r}: no Korean template for the part(s) {missing}"
    assert has_hangul(korean), message
    rest = QUOTED.sub(" ", korean)
    for text in data:  # user data (a folder's path) may hold any English word
        rest = rest.replace(text, " ")
    left = [f for f in FRAGMENTS if re.search(rf"(?<![\w/.-]){re.escape(f)}(?![\w/])", rest)]
    assert not left, f"{message!r} -> {korean!r} keeps English: {left}"
    return korean


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every StudioError message made while the test runs."""
    messages: list[str] = []
    original = errors.StudioError.__init__

    def record(self: errors.StudioError, message: str, *args: Any, **kwargs: Any) -> None:
        messages.append(message)
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(errors.StudioError, "__init__", record)
    return messages


def chain() -> Graph:
    g = Graph()
    g.add_node("input", "x", value=2.0)
    g.add_node("input", "v", value=[1.0, 2.0, 3.0])
    g.add_node("input", "M", value=[[1.0, 2.0], [3.0, 4.0]])
    g.add_node("sigmoid", "s")
    g.add_node("output", "out")
    g.connect("x", "s", "x")
    g.connect("s", "out", "x")
    return g


def bad_graph_inputs(tmp: Path) -> Iterator[Callable[[], Any]]:
    g = chain()
    yield lambda: g.connect("out", "s", "x")  # occupied
    yield lambda: g.add_node("nope", "n1")  # unknown op
    yield lambda: g.add_node("sigmoid", "s")  # exists
    yield lambda: g.node("zz")  # unknown node
    yield lambda: g.add_node("pow", "p", attrs={"p": "a"})  # attribute kind
    yield lambda: g.add_node("sum", "p", attrs={"axis": "a"})
    yield lambda: g.add_node("reshape", "p", attrs={"shape": 2})
    yield lambda: g.add_node("transpose", "p", attrs={"axes": [0, 0]})
    yield lambda: g.add_node("softmax", "p", attrs={"axis": 1.5})
    yield lambda: g.add_node("sigmoid", "p", attrs={"foo": 1})
    yield lambda: g.add_node("sigmoid", "p", value=1.0)
    yield lambda: g.set_value("s", 1.0)
    yield lambda: g.disconnect("out", "zz")
    yield lambda: g.connect("x", "s", "nope")
    values = {"x": "1", "v": "[1, 2, 3]", "v3": "[1, 2, 3]", "M": "[[1, 2], [3, 4]]", "t": "[0, 7]"}
    for expr in ["a + b", "v + M", "M @ v3", "sum(v, axis=1)", "reshape(v, shape=[2, 2])", "transpose(M, axes=[0])",
                 "softmax_cross_entropy(M, v)", "x / (x - x)", "log(x - x)", "sqrt(x - 2)", "pow(x - 2, p=0.5)",
                 "pow(x - x, p=-1)", "bce(x + 1, x)", "softmax_cross_entropy(M, t)"]:
        used = {k: v for k, v in values.items() if re.search(rf"\b{k}\b", expr)}  # an unused --set is refused
        yield lambda e=expr, u=used: Executor(parse_expression(f"L = {e}", u, set())).run()
    shapes = chain()  # the graph's own ShapeError (an expression wraps it in an ExpressionError)
    shapes.add_node("add", "ad")
    shapes.add_node("matmul", "mm")
    shapes.connect("v", "ad", "a")
    shapes.connect("M", "mm", "a")
    yield lambda: shapes.connect("M", "ad", "b")
    yield lambda: shapes.connect("v", "mm", "b")
    cyc = Graph()
    cyc.add_node("neg", "a")
    cyc.add_node("neg", "b")
    cyc.connect("a", "b", "x")
    yield lambda: cyc.connect("b", "a", "x")
    empty = Graph()
    yield lambda: Executor(empty).run()
    open_port = Graph()
    open_port.add_node("neg", "a")
    open_port.add_node("output", "o")
    open_port.connect("a", "o", "x")
    yield lambda: Executor(open_port).run()
    w = Graph()
    w.add_node("param", "w", value=1e308)
    w.add_node("square", "q")
    w.add_node("output", "o")
    w.connect("w", "q", "x")
    w.connect("q", "o", "x")
    yield lambda: Executor(w).run()


def bad_value_inputs() -> Iterator[Callable[[], Any]]:
    for text in ["abc", "[1, [2]]", "[true]", "NaN", "1e400", "[" * 70 + "]" * 70, '"x"', "[[1,2],[3]]",
                 "9" * 400, "[1, {}]"]:
        yield lambda t=text: parse_value_text(t, "node 'x' value")
    yield lambda: as_value(numpy.zeros((1,) * 9), "node 'x' value")
    yield lambda: as_value([[0.0] * 4000] * 4000, "node 'x' value")
    yield lambda: as_value([1, "a"], "node 'x' value")


def bad_expressions() -> Iterator[Callable[[], Any]]:
    for text in ["", "x +", "(x", "x)", "x ** y", "f(x)", "sum(x, foo=1)", "sum(x, axis=y)", "L = x\nL = x",
                 "007", "1" * 5000, "x $ y", "x ＋ y", "ｘ + 1", "'abc", "'\\d'", "True = x", "x = ", "(a, b)",
                 "x.y", "x[0]", "x // y", "sum(axis=1, x)", "sum(x, axis=1, axis=2)", "sum(x, axis=1 2)",
                 "1(x)", "x y", "x.", "(" * 250 + "x" + ")" * 250, "x²", "sigmoid(x, x)", "a, b", "lambda",
                 "x = 1; y = x\n= 2", "z", "x" * 1_000_001]:
        yield lambda t=text: parse_expression(t, {"x": "1", "y": "2"}, set())
    yield lambda: parse_expression("x + 1", {"x": "1", "q": "2"}, set())
    yield lambda: parse_expression("x + 1", {"x": "a"}, set())


def bad_files(tmp: Path) -> Iterator[Callable[[], Any]]:
    good = fileio.graph_to_dict(chain())
    docs: list[Any] = [[], {"format": "nope"}, {**good, "version": 99}, {**good, "version": 0},
                       {**good, "nodes": "x"}, {**good, "nodes": [1]}, {**good, "nodes": [{"op": "input"}]},
                       {**good, "edges": [{"from": "x"}]}, {**good, "edges": [{"from": "x", "to": "s", "port": "zz"}]},
                       {**good, "meta": {"title": 5}}, {**good, "meta": {"lr": -1}}, {**good, "meta": []},
                       {**good, "meta": {"odd": 5}}, {**good, "meta": {"train": {"task": "fly"}}},
                       {**good, "meta": {"train": 1}}, {**good, "meta": {"train": {"init": 1}}},
                       {**good, "meta": {"train": {"init": {"w": 1}}}}]
    first = dict(good["nodes"][0])
    for change in [{"pos": [1]}, {"value": "a"}, {"value": None}, {"label": 5}, {"attrs": []}, {"op": "zzz"}]:
        node = {**first, **change}
        docs.append({**good, "nodes": [{k: v for k, v in node.items() if v is not None}, *good["nodes"][1:]]})
    for doc in docs:
        yield lambda d=doc: fileio.graph_from_dict(d, "g.json")
    for text in ["{", "[1,]", '{"a": 1} x', '{"a\x01": 1}', '{"a": "\\q"}', "\ufeff{}", "[" * 2000]:
        yield lambda t=text: fileio.loads(t, "g.json")
    (tmp / "bin.json").write_bytes(b"\xff\xfe")
    (tmp / "dir").mkdir()
    yield lambda: fileio.load(tmp / "bin.json")
    yield lambda: fileio.load(tmp / "missing.json")
    yield lambda: fileio.load(tmp / "dir")
    yield lambda: read_bytes(tmp / "bin.json", max_bytes=1)
    yield lambda: write_atomic(tmp / "dir", b"x")
    yield lambda: write_atomic(tmp / "no" / "g.json", b"x")
    yield lambda: write_atomic("", b"x")
    yield lambda: examples.open_target("no-such-example")
    yield lambda: check_lr(float("nan"), "--lr", errors.StudioError)
    yield lambda: check_meta({"title": {"en": "\ud800"}})


def bad_training(tmp: Path) -> Iterator[Callable[[], Any]]:
    (tmp / "one.csv").write_text("a\n1\n2\n")
    (tmp / "ragged.csv").write_text("a,b\n1,2\n3\n")
    (tmp / "text.csv").write_text("a,b\n1,x\n")
    (tmp / "empty.csv").write_text("a,b\n")
    (tmp / "classes.csv").write_text("a,b\n1,0.5\n2,1\n")
    (tmp / "same.csv").write_text("a,b\n1,1\n2,1\n")
    (tmp / "ok.csv").write_text("a,b\n1,0\n2,1\n3,0\n4,1\n")
    (tmp / "bytes.csv").write_bytes(b"a,b\n\xff\n")
    (tmp / "d.csv").mkdir()
    for path, kwargs in [("one.csv", {}), ("ragged.csv", {}), ("text.csv", {}), ("empty.csv", {}),
                         ("classes.csv", {"task": "classification"}), ("same.csv", {"task": "classification"}),
                         ("ok.csv", {"target": "zz"}), ("ok.csv", {"target": 9}), ("bytes.csv", {}),
                         ("d.csv", {}), ("none.csv", {}), ("ok.csv", {"task": "fly"})]:
        yield lambda p=path, k=kwargs: csvdata.load_csv(tmp / p, **k)
    yield lambda: datasets.load_dataset("nope")
    yield lambda: datasets.load_dataset("moons", size=2)
    yield lambda: datasets.load_dataset("moons", noise=-1)
    ok = csvdata.load_csv(tmp / "ok.csv")
    yield lambda: data.split(ok, 1.5)
    yield lambda: data.split(ok, 0.99)
    yield lambda: data.prepare(ok, scale="zz")
    for name, settings in [("zz", {}), ("sgd", {"zz": 1}), ("sgd", {"lr": "a"}), ("sgd", {"lr": -1}),
                           ("adam", {"beta1": 2}), ("nesterov", {"momentum": 0}), ("adadelta", {"rho": 2})]:
        yield lambda n=name, s=settings: optim.make_optimizer(n, **s)
    for kind, settings in [("zz", {}), ("normal", {"zz": 1}), ("normal", {"fan": "x"}), ("normal", {"std": -1}),
                           ("uniform", {"low": 2, "high": 1})]:
        yield lambda k=kind, s=settings: init.make_initializer(k, **s)
    yield lambda: templates.build_template("zz", ok)
    yield lambda: templates.build_template("mlp", ok, activation="zz")
    yield lambda: templates.build_template("mlp", ok, hidden=[0])
    yield lambda: templates.build_template("softmax_classifier", ok)
    yield lambda: templates.build_template("linear_regression", ok)
    yield lambda: trainer.Trainer(chain(), ok)
    yield lambda: trainer.Trainer(templates.build_template("logistic_regression", ok), None, ok)
    yield lambda: trainer.Trainer(templates.build_template("logistic_regression", ok), ok,
                                  config=trainer.TrainConfig(steps=1, epochs=1))
    yield lambda: trainer.Trainer(templates.build_template("logistic_regression", ok), ok,
                                  config=trainer.TrainConfig(batch_size=0))
    yield lambda: trainer.Trainer(templates.build_template("logistic_regression", ok), ok,
                                  config=trainer.TrainConfig(x="nope"))
    yield from bad_regularization(ok)


def bad_regularization(ok: Any) -> Iterator[Callable[[], Any]]:
    """batch_norm's shapes and running statistics, early stopping, the mlp's regularization settings."""
    logistic = templates.build_template("logistic_regression", ok)
    for settings in ({"validation_fraction": 1.0}, {"validation_fraction": 0.5, "patience": 0}, {"patience": 2}):
        yield lambda s=settings: trainer.Trainer(logistic, ok, config=trainer.TrainConfig(**s))
    yield lambda: trainer.Trainer(logistic, ok.take(numpy.arange(1)), config=trainer.TrainConfig(validation_fraction=0.5))
    yield lambda: trainer.Trainer(parse_expression("L = sum(w * w)", {"w": "1"}, {"w"}), None,
                                  config=trainer.TrainConfig(validation_fraction=0.5))
    bn = templates.build_template("mlp", ok, hidden=[2], batch_norm=True)
    yield lambda: trainer.Trainer(bn, ok, config=trainer.TrainConfig(batch_size=3))  # 4 rows: a last batch of 1
    free = templates.build_template("mlp", ok, hidden=[2], batch_norm=True)
    free.add_node("param", "m", value=[0.0, 0.0])
    free.disconnect("BN1", "running_mean")
    free.connect("m", "BN1", "running_mean")
    yield lambda: trainer.Trainer(free, ok)
    yield lambda: templates.build_template("mlp", ok, dropout=1.0)
    yield lambda: templates.build_template("mlp", ok, l2=-1.0)
    yield lambda: templates.build_template("xor_net", ok, batch_norm=True)
    values = {"M": "[[1, 2], [3, 4]]", "v": "[1, 2]", "w": "[1, 2, 3]", "n": "[1, -1]"}
    for expr in ["batch_norm(v, v, v, v, v)", "batch_norm(M, w, v, v, v)", "batch_norm(M, v, v, v, n)"]:
        used = {k: x for k, x in values.items() if re.search(rf"\b{k}\b", expr)}
        yield lambda e=expr, u=used: Executor(parse_expression(f"L = sum({e})", u, set())).run()


def test_every_hand_written_bad_input_is_refused_in_korean_and_every_error_class_is_raised(
        made: list[str], tmp_path: Path) -> None:
    """One pass over the cases (they build graphs and train): each is refused, each message has its Korean
    template, and together they raise every error class."""
    raised: set[type] = set()
    for source in (bad_graph_inputs(tmp_path), bad_value_inputs(), bad_expressions(), bad_files(tmp_path),
                   bad_training(tmp_path)):
        for case in source:
            with pytest.raises(errors.StudioError) as err:
                case()
            raised.add(type(err.value))
    assert len(set(made)) > 150
    for message in sorted(set(made)):
        assert_korean(message, (str(tmp_path),))
    classes = {c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.StudioError)}
    classes |= {OptionError, DataError}
    assert classes - {errors.StudioError, errors.GraphError, errors.RenderError} <= raised


CLI_CASES = [
    ["trace", "--lang", "ko", "nope"],
    ["trace", "--lang", "ko", "--expr", "x +"],
    ["trace", "--lang", "ko", "--expr", "x + 1", "--set", "x"],
    ["trace", "--lang", "ko", "--expr", "x + 1", "--set", "x=1", "--set", "q=1"],
    ["trace", "--lang", "ko", "apple_tax", "--expr", "x"],
    ["trace", "--lang", "ko"],
    ["trace", "--lang", "ko", "apple_tax", "--set", "x=1"],
    ["trace", "--lang", "ko", "apple_tax", "--save", ""],
    ["trace", "--lang", "ko", "apple_tax", "--lr", "nan"],
    ["trace", "--lang", "ko", "apple_tax", "--lr", "abc"],
    ["trace", "--lang", "ko", "--expr", "L = w * w", "--set", "w=1e200", "--lr", "1e6"],
    ["trace", "--lang", "ko", "apple_tax", "extra"],
    ["trace", "--lang", "ko", "--expr"],
    ["trace", "--lang=ko", "--lang", "fr"],
    ["trace", "--lang", "ko", "--bogus"],
    ["render", "apple_tax", "--lang", "ko"],
    ["render", "apple_tax", "-o", "x.png", "--size", "axb", "--lang", "ko"],
    ["render", "apple_tax", "-o", "x.png", "--size", "1x1", "--lang", "ko"],
    ["render", "apple_tax", "-o", "x.png", "--step", "9999", "--size", "64x48", "--lang", "ko"],
]


@pytest.mark.parametrize("argv", CLI_CASES, ids=lambda a: " ".join(a[:4]))
def test_cli_lang_ko_prints_a_korean_error_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("오류: ") and err.count("\n") == 1, err
    assert has_hangul(err[4:]), err
    left = [f for f in FRAGMENTS if f in QUOTED.sub(" ", err)]
    assert not left, f"{err!r} keeps English: {left}"


def test_cli_english_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", "nope"]) == 2
    assert capsys.readouterr().err == "error: no example named 'nope' (see: python main.py examples)\n"


def test_the_environment_chooses_korean(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_STUDIO_LANG", "ko")
    assert main(["trace", "nope"]) == 2
    assert capsys.readouterr().err.startswith("오류: 이런 이름의 예제가 없습니다: 'nope'")
    assert main(["trace", "nope", "--lang", "en"]) == 2  # the option wins
    assert capsys.readouterr().err.startswith("error: ")
    monkeypatch.delenv("BACKPROP_STUDIO_LANG")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert main(["trace", "nope"]) == 2
    assert capsys.readouterr().err.startswith("오류: ")


def test_composed_messages_keep_user_data() -> None:
    message = "/data/내 그래프.json: edges[3] (a → b.x): node 'b: 1': input 'x' is already fed by 'node'"
    assert localize(message, "ko") == ("/data/내 그래프.json: edges[3] (a → b.x): 노드 'b: 1': "
                                       "입력 'x'에는 이미 노드 'node'의 출력이 연결되어 있습니다")
    assert localize("expression, line 2, column 5: name 'q' has no value (give one with --set q=...)", "ko") == \
        "식, 2번째 줄 5번째 열: 이름 'q'에 값이 없습니다 (--set q=... 으로 값을 주세요)"
    assert localize(message, "en") == message


def test_unknown_text_falls_back_to_english() -> None:
    assert localize("something entirely new happened", "ko") == "something entirely new happened"
    # an unknown reason inside a known message: the rest is Korean, the reason stays as it is
    korean, missing = translate("g.json: cannot be written (disk on fire)")
    assert korean == "g.json: 쓸 수 없습니다 (disk on fire)" and missing == ("disk on fire",)


def test_long_messages_are_quick() -> None:
    import time

    message = f"node 'x' value: {'[' * 3000!r} is not a number or a JSON array: " * 20
    start = time.perf_counter()
    localize(message, "ko")
    # A guard against catastrophic regex backtracking (which takes minutes), not a speed test: ~0.7 s here.
    assert time.perf_counter() - start < 10.0


def test_the_catalogue_is_consistent() -> None:
    for table in (MESSAGES, PLACES):
        for en, ko in table.items():
            fields = lambda t: sorted({f for _, f, _, _ in string.Formatter().parse(t) if f})  # noqa: E731
            assert fields(en) == fields(ko), en
            assert has_hangul(ko) or ko == en, en  # "null", "'{t}'": nothing to translate
