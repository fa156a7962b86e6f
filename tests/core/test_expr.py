"""The expression parser: Python's precedence on numbers, errors with their column, sizes without recursion."""
from __future__ import annotations

import random
import sys
import time

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphapp.core import expr_syntax
from graphapp.core.errors import ExpressionError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.expr_syntax import MAX_CHARS, MAX_DEPTH, parse
from tests import fuzzing

SCALARS = {"a": 1.5, "b": 2.25, "c": -0.75, "d": 3.125}


def run(text: str, values: dict) -> numpy.ndarray:
    graph = parse_expression(text, values)
    out = graph.outputs()[0]
    return Executor(graph).run().values[out]


def python(text: str, values: dict) -> object:
    """Python's own value of the same (test-generated, trusted) text; the last statement's."""
    scope = dict(values)
    *body, last = [s.strip() for s in text.replace(";", "\n").splitlines() if s.strip()]
    for stmt in body:
        name, rhs = stmt.split("=", 1)
        scope[name.strip()] = eval(rhs, {"__builtins__": {}}, scope)  # noqa: S307
    rhs = last.split("=", 1)[1] if "=" in last else last
    return eval(rhs, {"__builtins__": {}}, scope)  # noqa: S307


@pytest.mark.parametrize("text", [
    "a - b - c", "a / b / c", "a - b + c", "a / b * c", "a * b / c", "a + b * c", "a * b + c * d",
    "(a + b) * c", "a - (b - c)", "a / (b / c)", "-a ** 2", "(-a) ** 2", "-a * b", "a * -b", "- - a",
    "-a - -b", "+a - +b", "a ** -1", "a ** -2 * b", "b * a ** 3", "-b ** 2 / a", "a ** (2) + 1", "2 ** -1 * a", "-3 ** 2 + a", "(-3) ** 2 + a", "a - 2 * -b ** 2", "1e-3 * a + 2.5e2",
    "1_000 * a", ".5 * a + 2. * b", "a*b-c/d+a**2*-b", "-(a + b) ** 2", "a - -2", "-(3) * a", "-(-3) * a",
    "t = a + b; L = t * t - c", "t = -a; u = t ** 2; u / b", "L = +a",
])
def test_precedence_and_associativity_match_python(text: str) -> None:
    values = {k: v for k, v in SCALARS.items() if k in text}
    assert float(run(text, values)) == pytest.approx(python(text, values), rel=1e-12)


def random_expression(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([*SCALARS, "2", "0.5", "3"])
    kind = rng.random()
    if kind < 0.15:
        return f"{rng.choice('-+')}{random_expression(rng, depth - 1)}"
    if kind < 0.3:
        base = random_expression(rng, depth - 1)
        return f"({base}) ** {rng.choice(['2', '3', '-1', '(2)', '-(1)'])}" if rng.random() < 0.5 else \
            f"{rng.choice(list(SCALARS))} ** {rng.choice(['2', '-1'])}"
    if kind < 0.4:
        return f"({random_expression(rng, depth - 1)})"
    op = rng.choice(["+", "-", "*", "/"])
    return f"{random_expression(rng, depth - 1)} {op} {random_expression(rng, depth - 1)}"


def test_random_expressions_match_python() -> None:
    rng, checked = random.Random(6), 0
    for _ in range(150):
        text = "L = " + random_expression(rng, 5)
        values = {k: v for k, v in SCALARS.items() if k in text}
        try:
            expected = python(text, values)
        except (ZeroDivisionError, OverflowError):
            continue
        if not isinstance(expected, float) or abs(expected) > 1e100 or not values:
            continue
        assert float(run(text, values)) == pytest.approx(expected, rel=1e-9, abs=1e-12), text
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("text", ["A @ B + C * 2", "A @ B @ C", "A.T @ B - C", "-A @ B", "A @ B ** 2",
                                  "A @ -B.T", "A * B @ C", "(A + B).T.T @ C / 2"])
def test_matmul_and_transpose_match_numpy(text: str) -> None:
    rng = numpy.random.default_rng(1)
    values = {k: rng.normal(size=(3, 3)) for k in "ABC" if k in text}
    expected = eval(text, {"__builtins__": {}}, values)  # noqa: S307
    assert numpy.allclose(run(text, {k: v.tolist() for k, v in values.items()}), expected, rtol=1e-12)


def test_graph_structure_names_constants_params_and_the_output() -> None:
    g = parse_expression("h = w1 * x + b; L = (sigmoid(h) - y) ** 2", {"w1": 0.5, "x": 2, "b": 1, "y": 1})
    assert g.nodes["w1"].op == "param" and g.nodes["b"].op == "param" and g.nodes["x"].op == "input"
    assert g.nodes["h"].op == "add" and g.nodes["L"].op == "output"
    assert g.nodes["pow_1"].attrs == {"p": 2.0} and g.source_of("L", "x") == "pow_1"
    bare = parse_expression("x * -2.5 + 1e3", {"x": 1})
    assert "f" in bare.nodes and bare.nodes["f"].op == "output"
    assert [n.label for n in bare.nodes.values() if n.op == "const"] == ["-2.5", "1000.0"]
    forced = parse_expression("L = k * x", {"k": 1, "x": 2}, params={"k"})
    assert forced.nodes["k"].op == "param" and forced.nodes["x"].op == "input"


def test_insertion_order_is_post_order_left_to_right() -> None:
    g = parse_expression("L = a * b + -c / 2", {"a": 1, "b": 2, "c": 3})
    assert list(g.nodes) == ["a", "b", "mul_1", "c", "neg_1", "const_1", "div_1", "add_1", "L"]


def test_generated_ids_never_take_a_name_from_the_text() -> None:
    g = parse_expression("mul_1 = x * 2; L = mul_1 + const_1 * 3", {"x": 1, "const_1": 4})
    assert g.nodes["mul_1"].op == "mul" and g.nodes["const_1"].op == "input"
    assert float(Executor(g).run().values["L"]) == 14.0


def test_options_become_attributes() -> None:
    g = parse_expression("L = sum(W, axis=(0,), keepdims=True) + leaky_relu(x, alpha=-(0.5))",
                         {"W": [[1.0, 2.0]], "x": -2.0})
    assert list(g.nodes["sum_1"].attrs["axis"]) == [0] and g.nodes["sum_1"].attrs["keepdims"] is True
    assert g.nodes["leaky_relu_1"].attrs == {"alpha": -0.5}
    g = parse_expression("L = sum(W, axis=[0, 1],)", {"W": [[1.0]]})
    assert list(g.nodes["sum_1"].attrs["axis"]) == [0, 1]


def test_an_option_refused_by_the_graph_gets_the_column() -> None:
    with pytest.raises(ExpressionError, match=r"^expression, column 9: node 'sum_1': sum attribute 'axis'"):
        parse_expression("L = 1 + sum(x, axis='zero')", {"x": [1.0]})


@pytest.mark.parametrize(("text", "column", "needle"), [
    ("L = x *", 8, "invalid syntax"),
    ("L = x * * y", 9, "invalid syntax: expected a name, a number or '(', found '*'"),
    ("L = x y", 7, "invalid syntax: expected an operator, found 'y'"),
    ("L = (x + 1", 5, "'(' was never closed"),
    ("L = x + 1)", 10, "unmatched ')'"),
    ("L = sigmoid(x; M = x", 12, "'(' was never closed"),
    ("L = x % 2", 7, "'%' is not supported here"),
    ("L = x[0]", 6, "'[' is not supported here"),
    ("L = x.y", 5, "'x.y' is not supported here"),
    ("L = x ** y", 10, "the exponent of ** must be a number"),
    ("L = x ** 2 ** 3", 10, "the exponent of ** must be a number"),
    ("L = 2 * foo(x)", 9, "unknown function 'foo' (known: "),
    ("L = sum(x, foo=1)", 12, "sum() has no option 'foo'"),
    ("L = sum(x, axis=x)", 12, "option 'axis' must be a literal"),
    ("L = sum(x, axis=0, axis=1)", 20, "option 'axis' is given twice"),
    ("L = sum(axis=0, x)", 17, "positional argument follows keyword argument"),
    ("L = sigmoid(x, x)", 5, "sigmoid() takes 1 argument(s) (x), got 2"),
    ("L = x * q", 9, "name 'q' has no value (give one with --set q=...)"),
    ("L = x; L = x", 8, "'L' is assigned twice"),
    ("x + 1; L = x", 1, "each statement must be NAME = EXPRESSION"),
    ("L = M = x", 1, "each statement must be NAME = EXPRESSION"),
    ("L = True * x", 5, "True is not a number"),
    ("L = 'a' * x", 5, "'a' is not a number"),
    ("L = x + 2x", 9, "invalid number '2x'"),
    ("L = x * 007", 9, "leading zeros in '007'"),
    ("L = x ** 1e400", 5, "pow attribute 'p' got Infinity"),
    ("L = lambda: x", 5, "'lambda' is not supported here"),
    ("x = 1; True = x", 8, "cannot assign to True"),
    ("L = sum(x, axis='\\d')", 17, "invalid string '\\d'"),
    ("L = x * 'abc", 9, "this string is never closed"),
])
def test_errors_name_the_column(text: str, column: int, needle: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(text, {"x": 1.0})
    assert str(err.value).startswith(f"expression, column {column}: ") and needle in str(err.value)


def test_several_lines_give_line_and_column_and_parentheses_join_lines() -> None:
    with pytest.raises(ExpressionError, match=r"^expression, line 2, column 9: name 'q' has no value"):
        parse_expression("t = x * 2  # double\nL = t + q", {"x": 1.0})
    g = parse_expression("t = (x +\n     1)\nL = t * \\\n 2", {"x": 1.0})
    assert float(Executor(g).run().values["L"]) == 4.0


def test_value_and_set_errors_keep_their_messages() -> None:
    with pytest.raises(ExpressionError, match="'abc' is not a number"):
        parse_expression("L = x * 2", {"x": "abc"})
    with pytest.raises(ExpressionError, match=r"^--set z: no such name in the expression$"):
        parse_expression("L = x * 2", {"x": 1, "z": 2})
    for empty in ("", "  ;\n ; ", "# nothing"):
        with pytest.raises(ExpressionError, match="^expression is empty$"):
            parse_expression(empty, {})


@pytest.mark.parametrize(("literal", "const", "option"), [
    ("9" * 400, "node 'const_1' value: a number of magnitude above 1.8e308", "sum attribute 'axis' got 999"),  # the graph's checks say why
    ("1e400", "values must be finite numbers", "sum attribute 'axis' got Infinity"),
    ("9" * 400 + ".5", "values must be finite numbers", "sum attribute 'axis' got Infinity"),
    ("9" * 5000, "the number 9999999999…999999 has 5,000 digits", "has 5,000 digits"),  # refused when read
])
def test_huge_number_literals_are_refused_with_the_column(literal: str, const: str, option: str) -> None:
    with pytest.raises(ExpressionError, match=r"^expression, column 9: ") as err:
        parse_expression(f"L = x * {literal}", {"x": [1.0]})
    assert const in str(err.value)
    column = 17 if "digits" in option else 5  # the number itself, or the call whose option it is
    with pytest.raises(ExpressionError, match=rf"^expression, column {column}: ") as err:
        parse_expression(f"L = sum(x, axis={literal})", {"x": [1.0]})
    assert option in str(err.value)


def test_the_largest_numbers_a_float_holds_are_accepted() -> None:
    big = str(int(numpy.finfo(numpy.float64).max))
    g = parse_expression(f"L = x * {big} + 1.7e308 + 1e-400 + 1{'0' * 5000}e-4700", {"x": 0.0})
    assert [float(n.value) for n in g.nodes.values() if n.op == "const"] == [float(big), 1.7e308, 0.0, 1e300]


@pytest.mark.parametrize(("text", "needle"), [
    ("L = x \ud800 + 1", "column 7: unexpected character U+D800"),
    ("L = x\x00", "column 6: unexpected character U+0000"),
    ("L = x \x1b[31m", "column 7: unexpected character U+001B"),
    ("L = \u202ex", "column 5: unexpected character U+202E"),
    ("L = x ＋ 1", "column 7: unexpected character '＋' (U+FF0B); did you mean '+'?"),
    ("L = （x）", "column 5: unexpected character '（' (U+FF08); did you mean '('?"),
    ("L = ｘ * 2", "column 5: name 'ｘ' has full-width or compatibility characters; type 'x'"),
    ("L = x * １", "column 9: unexpected character '１' (U+FF11); did you mean '1'?"),
    ("L = x\u200b", "column 6: unexpected character U+200B"),
    ("\ufeffL = x", "column 1: unexpected character U+FEFF"),
    ("L = x²", "column 5: a name cannot contain '²' (U+00B2); did you mean '2'?"),
])
def test_odd_unicode_is_an_expression_error_that_prints(text: str, needle: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(text, {"x": 1.0})
    assert needle in str(err.value)
    str(err.value).encode("utf-8")  # printable by the CLI: no lone surrogate in the message


def test_korean_names_work() -> None:
    g = parse_expression("손실 = (예측 - 정답) ** 2", {"예측": 3.0, "정답": 1.0})
    assert float(Executor(g).run().values["손실"]) == 4.0


def test_nesting_up_to_the_limit_builds_and_beyond_is_refused() -> None:
    deep = "(" * MAX_DEPTH + "x + 1" + ")" * MAX_DEPTH
    assert float(run(f"L = 2 * {deep}", {"x": 1.0})) == 4.0
    calls = "sigmoid(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert parse_expression(f"L = {calls}", {"x": 1.0}).nodes["sigmoid_200"].op == "sigmoid"
    with pytest.raises(ExpressionError, match=rf"column 205: brackets are nested more than {MAX_DEPTH} deep"):
        parse_expression("L = " + "(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), {"x": 1.0})
    with pytest.raises(ExpressionError, match="brackets are nested more than"):
        parse_expression("L = sum(x, axis=" + "[" * MAX_DEPTH + "]" * MAX_DEPTH + ")", {"x": 1.0})


def test_too_long_is_refused_before_anything_else() -> None:
    with pytest.raises(ExpressionError, match=r"^expression is too long: 1,000,001 characters \(at most 1,000,000\)"):
        parse_expression("L = x" + " " * (MAX_CHARS - 4), {"x": 1.0})


def depth_of(e: expr_syntax.Expr) -> int:
    deepest, todo = 0, [(e, 1)]
    while todo:
        node, d = todo.pop()
        deepest = max(deepest, d)
        todo.extend((a, d + 1) for a in node.args)
    return deepest


def test_100000_terms_parse_without_recursion_in_linear_time() -> None:
    n = 100_000
    start = time.perf_counter()
    statements, names = parse("L = " + "+".join(f"x{i % 7}*-2" for i in range(n)))
    elapsed = time.perf_counter() - start
    assert depth_of(statements[0].expr) == n + 1 and names == {"L", *(f"x{i}" for i in range(7))}
    unary, _ = parse("L = " + "-" * n + "x ** 2")
    assert depth_of(unary[0].expr) == n + 2
    assert elapsed < 30  # about 1.5 s on one core; a quadratic parser would take hours


def test_the_builder_does_not_recurse() -> None:
    # Built under a recursion limit 150 frames above this one: a builder recursing per term would fail.
    # 100,000 terms build too (about 4 s with O(1) graph edits), verified outside the suite: kept small
    # here because the graph's own edits decide the time.
    n, depth, frame = 50, 0, sys._getframe()
    while frame:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 150)
    try:
        g = parse_expression("L = " + " + ".join(["x * 2", "-y", "x ** 2", "sum(x, axis=None)"] * n),
                             {"x": 3.0, "y": 1.0})
    finally:
        sys.setrecursionlimit(limit)
    assert len(g.nodes) == 2 + 5 * n + (4 * n - 1) + 1
    assert float(Executor(g).run().values["L"]) == n * (6 - 1 + 9 + 3)


TOKENS = ["x", "y", "w1", "2", "1e3", "0.5", "+", "-", "*", "/", "@", "**", "(", ")", "[", "]", ",", "=", ";",
          "\n", ".T", ".", "sum(", "axis=", "True", "'s'", "sigmoid", "#", "\\", " ", "é", "\ud800", "\x00",
          "＋", "9" * 400, "__import__(", "lambda"]


@settings(max_examples=fuzzing.count(300, 3000), deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25))
def test_any_text_gives_a_graph_or_an_expression_error(tokens: list[str]) -> None:
    text = "".join(tokens)
    try:
        parse_expression(text, {name: 1.0 for name in ("x", "y", "w1") if name in text})
    except ExpressionError as exc:
        assert str(exc).startswith(("expression", "--set")) and str(exc).encode("utf-8")
