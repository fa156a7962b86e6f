"""One check where data enters: op attributes (files, expressions, edits) and a file's meta."""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from graphapp.core import examples, fileio
from graphapp.core.errors import AttrError, ExpressionError, FileFormatError, GraphError, ShapeError
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.meta import check_meta
from graphapp.core.ops import REGISTRY

# Every wrongly typed setting reported in issue #6, with what the message must show as given.
BAD_ATTRS = [
    ("sum", {"axis": "abc"}, '"abc"'),
    ("sum", {"axis": [0, 0]}, "[0, 0]"),
    ("sum", {"axis": []}, "[]"),
    ("sum", {"axis": 1.0}, "1.0"),
    ("sum", {"axis": 99}, "99"),
    ("sum", {"axis": [0, 64]}, "[0, 64]"),
    ("sum", {"keepdims": 1}, "1"),
    ("mean", {"keepdims": "yes"}, '"yes"'),
    ("pow", {"p": "2"}, '"2"'),
    ("pow", {"p": None}, "null"),
    ("pow", {"p": [1, 2]}, "[1, 2]"),
    ("pow", {"p": True}, "true"),
    ("pow", {"p": 1e400}, "Infinity"),
    ("pow", {"p": 10**400}, "1000"),
    ("pow", {"p": 1e6}, "1000000.0"),
    ("reshape", {"shape": 5}, "5"),
    ("reshape", {"shape": "abc"}, '"abc"'),
    ("reshape", {"shape": None}, "null"),
    ("reshape", {"shape": [-1, -1]}, "[-1, -1]"),
    ("reshape", {"shape": [2, -3]}, "[2, -3]"),
    ("reshape", {"shape": [2.0, 2.0]}, "[2.0, 2.0]"),
    ("transpose", {"axes": 5}, "5"),
    ("transpose", {"axes": [1.0, 0.0]}, "[1.0, 0.0]"),
    ("transpose", {"axes": [0, 0]}, "[0, 0]"),
    ("transpose", {"axes": [1, 2]}, "[1, 2]"),
    ("leaky_relu", {"alpha": "x"}, '"x"'),
    ("leaky_relu", {"alpha": float("nan")}, "NaN"),
    ("elu", {"alpha": {}}, "{}"),
    ("softmax", {"axis": "a"}, '"a"'),
    ("log_softmax", {"axis": 99}, "99"),
]


NO_META = object()


def file_with(op: str, attrs: dict[str, Any], meta: Any = NO_META) -> dict[str, Any]:
    data = {"format": "backprop-studio-graph", "version": 1,
            "nodes": [{"id": "x", "op": "input", "value": [[1.0, 2.0], [3.0, 4.0]]},
                      {"id": "n", "op": op, "attrs": attrs}],
            "edges": [{"from": "x", "to": "n", "port": "x"}]}
    if meta is not NO_META:
        data["meta"] = meta
    return data


@pytest.mark.parametrize(("op", "attrs", "given"), BAD_ATTRS)
def test_a_file_with_a_bad_attribute_is_refused_naming_node_attribute_value(op: str, attrs: dict[str, Any],
                                                                           given: str) -> None:
    (name,) = attrs
    with pytest.raises(FileFormatError) as err:
        fileio.loads(json.dumps(file_with(op, attrs)), "g.json")
    msg = str(err.value)
    assert msg.startswith("g.json: node 'n': ") and f"attribute '{name}'" in msg
    assert f"got {given}" in msg and "expected " in msg


@pytest.mark.parametrize(("op", "attrs", "given"), BAD_ATTRS)
def test_set_attr_refuses_and_changes_nothing(op: str, attrs: dict[str, Any], given: str) -> None:
    graph = fileio.graph_from_dict(file_with(op, {}))
    ((name, value),) = attrs.items()
    before, revision = dict(graph.nodes["n"].attrs), graph.revision
    seen: list[str] = []
    graph.subscribe(lambda kind, payload: seen.append(kind))
    with pytest.raises(AttrError) as err:
        graph.set_attr("n", name, value)
    assert err.value.node == "n" and err.value.attr == name and f"got {given}" in str(err.value)
    assert graph.nodes["n"].attrs == before and graph.revision == revision and seen == []


@pytest.mark.parametrize(("text", "needle"), [
    ("softmax(x, axis='a')", "node 'softmax_1': softmax attribute 'axis' got \"a\"; expected an integer"),
    ("pow(x, p='a')", "node 'pow_1': pow attribute 'p' got \"a\"; expected a finite number from -1000 to 1000"),
    ("pow(x, p=None)", "pow attribute 'p' got null"),
    ("reshape(x, shape=2)", "reshape attribute 'shape' got 2; expected a list"),
    ("sum(x, axis=(0, 0))", "sum attribute 'axis' got [0, 0]"),
    ("transpose(x, axes=[1.0, 0.0])", "transpose attribute 'axes' got [1.0, 0.0]"),
    ("leaky_relu(x, alpha='x')", "leaky_relu attribute 'alpha' got \"x\""),
    ("x ** 1e400", "pow attribute 'p' got Infinity"),
    (f"x ** {10**400}", "pow attribute 'p' got 1000"),
])
def test_an_expression_with_a_bad_option_is_refused(text: str, needle: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(f"L = {text}", {"x": "[[1, 2], [3, 4]]"})
    assert needle in str(err.value)


def test_good_values_are_normalized() -> None:
    graph = parse_expression("L = sum(reshape(transpose(x, axes=(1, 0)), shape=(4,)) ** 3, axis=0)",
                             {"x": "[[1, 2], [3, 4]]"})
    attrs = {n.op: n.attrs for n in graph.nodes.values() if n.attrs}
    assert attrs["transpose"] == {"axes": [1, 0]} and attrs["reshape"] == {"shape": [4]}
    assert attrs["pow"] == {"p": 3.0} and type(attrs["pow"]["p"]) is float
    assert attrs["sum"] == {"axis": 0, "keepdims": False}
    g = fileio.graph_from_dict(file_with("sum", {"axis": [np.int64(0), -1], "keepdims": np.bool_(True)}))
    assert g.nodes["n"].attrs == {"axis": [0, -1], "keepdims": True}
    assert all(type(a) is int for a in g.nodes["n"].attrs["axis"])
    assert json.loads(fileio.dumps(g))["nodes"][1]["attrs"] == {"axis": [0, -1], "keepdims": True}


def test_axes_that_name_one_axis_twice_are_found_once_the_rank_is_known() -> None:
    with pytest.raises(FileFormatError, match=r"axes \[0, -2\] name the same axis twice for shape \(2, 2\)"):
        fileio.graph_from_dict(file_with("sum", {"axis": [0, -2]}))
    graph = fileio.graph_from_dict(file_with("sum", {}))
    with pytest.raises(ShapeError):
        graph.set_attr("n", "axis", [1, -1])
    assert graph.nodes["n"].attrs["axis"] is None


def test_unknown_attribute_is_refused() -> None:
    with pytest.raises(GraphError, match="pow has no attribute 'q'"):
        Graph().add_node("pow", "p", attrs={"q": 1})


def test_every_op_declares_attributes_whose_defaults_pass_their_own_check() -> None:
    for spec in REGISTRY.values():
        for a in spec.attrs:
            assert a.check(a.default, "n", spec.name) == a.default, (spec.name, a.name)
            assert a.kind in ("float", "int", "bool") or (a.low, a.high) == (None, None)
            if a.kind in ("float", "int"):  # every number is bounded
                assert a.low is not None and a.high is not None, (spec.name, a.name)


# ---- meta ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("meta", "needle"), [
    ({"title": "hello"}, 'meta.title: got "hello"; expected {"en": text, "ko": text}'),
    ({"title": {"en": 1}}, "meta.title.en: got 1; expected text"),
    ({"title": {"fr": "bonjour"}}, "meta.title: got {\"fr\""),
    ({"description": ["a"]}, 'meta.description: got ["a"]'),
    ({"name": None}, "meta.name: got null; expected text"),
    ({"title": {"ko": "\ud800"}}, "meta.title.ko: got \"\\ud800\"; expected text without unpaired surrogates"),
    ({"lr": "0.1"}, 'meta.lr: got "0.1"; expected a finite number > 0'),
    ({"lr": [1, 2]}, "meta.lr: got [1, 2]"),
    ({"lr": {}}, "meta.lr: got {}"),
    ({"lr": float("nan")}, "meta.lr: got NaN"),
    ({"lr": 1e400}, "meta.lr: got Infinity"),
    ({"lr": 1e308}, "meta.lr: got 1e+308"),
    ({"lr": 0}, "meta.lr: got 0"),
    ({"lr": -0.5}, "meta.lr: got -0.5"),
    ({"lr": True}, "meta.lr: got true"),
    ({"lr": 10**400}, "meta.lr: got 1000"),
    ({"author": {"name": "Kim"}}, "meta.author: got {\"name\": \"Kim\"}; an unknown field may hold text only"),
    ("hello", 'meta: got "hello"; expected an object'),
    (None, "meta: got null; expected an object"),
])
def test_a_file_with_bad_meta_is_refused_naming_the_field(meta: Any, needle: str) -> None:
    with pytest.raises(FileFormatError) as err:
        fileio.loads(json.dumps(file_with("neg", {}, meta)), "g.json")
    assert str(err.value).startswith("g.json: meta") and needle in str(err.value), str(err.value)


def test_good_meta_reads_and_writes_back_unchanged() -> None:
    meta = {"name": "n", "title": {"ko": "제목"}, "description": {"en": "d", "ko": "설명"}, "lr": 1,
            "source": "lecture 3", "author": "Kim"}
    graph = fileio.graph_from_dict(file_with("neg", {}, meta))
    assert graph.meta == meta and json.loads(fileio.dumps(graph))["meta"] == meta
    assert type(graph.meta["lr"]) is int  # 1 stays 1 in the file
    info = examples.info(graph)
    assert (info.name, info.title_en, info.title_ko, info.description_ko) == ("n", "", "제목", "설명")


def test_every_example_meta_passes_the_schema() -> None:
    for name in examples.example_names():
        data = json.loads((examples.EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert check_meta(data["meta"]) == data["meta"]


def test_info_of_a_graph_whose_meta_was_set_in_code_is_checked_too() -> None:
    graph = Graph()
    graph.meta = {"title": "hello"}
    with pytest.raises(FileFormatError, match="meta.title"):
        examples.info(graph)


@pytest.mark.parametrize("field, text", [("label", "a\ud800"), ("label_ko", "\udfff"), ("id", "p\ud800"),
                                         ("label", "x" * 201), ("id", "")])
def test_a_label_or_id_that_no_file_could_hold_is_refused_on_load(field: str, text: str) -> None:
    """A lone surrogate loaded from JSON ("\\ud800") used to load, then fail every save with a traceback."""
    import json

    from graphapp.core import fileio
    from graphapp.core.errors import FileFormatError

    data = json.loads((examples.EXAMPLES_DIR / "apple_tax.json").read_text(encoding="utf-8"))
    data["nodes"][0][field] = text
    with pytest.raises(FileFormatError, match="surrogate|at most 200|non-empty"):
        fileio.loads(json.dumps(data))


def test_set_label_refuses_a_lone_surrogate_and_keeps_the_old_label() -> None:
    from graphapp.core.examples import load_example
    from graphapp.core.errors import GraphError

    g = load_example("apple_tax")
    with pytest.raises(GraphError, match="node 'price' label: contains an unpaired surrogate"):
        g.set_label("price", "\ud800")
    assert g.nodes["price"].label == "apple price"
