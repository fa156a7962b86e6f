"""The headless CLI: examples, trace tables and JSON, expressions, and bad input as one line with exit 2."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphapp.cli import main
from graphapp.core import fileio
from graphapp.core.examples import example_names

ROOT = Path(__file__).resolve().parents[2]
LOGISTIC = ["--expr", "L = (sigmoid(w1*x1 + w2*x2 + b) - y)**2", "--set", "x1=2", "--set", "x2=5",
            "--set", "w1=0.5", "--set", "w2=0.1", "--set", "b=0", "--set", "y=0"]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_examples_lists_every_example_with_both_titles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "examples")
    lines = out.strip().splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == example_names()
    assert "사과 쇼핑" in out and "Apples with tax" in out


def test_trace_table_shows_chain_rule_per_edge(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "trace", "apple_tax")
    assert code == 0
    assert "∂(a·b)/∂a = b = 1.1" in out and "∂(a·b)/∂b = a = 100" in out
    grads = out.split("Gradients")[1]
    assert "apple price        2.2" in grads and "110" in grads and "200" in grads


def test_trace_json_has_forward_backward_grads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "trace", "apple_tax", "--json")
    data = json.loads(out)
    assert code == 0
    assert [f["node"] for f in data["forward"]] == ["price", "count", "mul_1", "tax", "mul_2", "L"]
    assert data["forward"][4]["value"] == pytest.approx(220)
    first = data["backward"][3]
    assert (first["from"], first["to"], first["upstream"], first["local"]) == ("price", "mul_1", 1.1, 2)
    assert first["grad"] == pytest.approx(2.2)
    assert data["grads"] == pytest.approx({"apple price": 2.2, "apple count": 110, "tax": 200})


def test_trace_expression_matches_the_logistic_example_and_saves(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    saved = tmp_path / "logistic.json"
    code, out, _ = run_cli(capsys, "trace", *LOGISTIC, "--json", "--lr", "1", "--save", str(saved))
    data = json.loads(out)
    assert code == 0
    assert data["grads"]["w1"] == pytest.approx(0.48775332971017, rel=1e-12)
    assert data["grads"]["w2"] == pytest.approx(1.21938332427543, rel=1e-12)
    assert data["update"]["params"]["w1"] == pytest.approx(0.0122466702898289, rel=1e-12)
    assert fileio.load(saved).nodes["w1"].op == "param"
    code, again, _ = run_cli(capsys, "trace", str(saved), "--json", "--lr", "1")
    assert json.loads(again)["grads"] == data["grads"]


def test_trace_accepts_array_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "trace", "--expr", "L = sum(W @ x)", "--set", "W=[[1,2],[3,4]]",
                           "--set", "x=[1,1]", "--json")
    data = json.loads(out)
    assert code == 0 and data["outputs"]["L"] == 10
    assert data["grads"] == {"W": [[1, 1], [1, 1]], "x": [4, 6]}


@pytest.mark.parametrize(("args", "needle"), [
    (["trace", "--expr", "L = foo(x)", "--set", "x=1"], "unknown function 'foo'"),
    (["trace", "--expr", "L = x * y", "--set", "x=1"], "name 'y' has no value"),
    (["trace", "--expr", "L = x *", "--set", "x=1"], "invalid syntax"),
    (["trace", "--expr", "L = x * 2", "--set", "x=abc"], "'abc' is not a number"),
    (["trace", "--expr", "L = x * 2", "--set", "x=[1, [2]]"], "not a number or a rectangular array"),
    (["trace", "--expr", "L = W @ x", "--set", "W=[[1,2],[3,4]]", "--set", "x=[1,2,3]"],
     "cannot multiply 'W' (2, 2) by 'x' (3,)"),
    (["trace", "--expr", "L = a + b", "--set", "a=[1,2]", "--set", "b=[1,2,3]"], "'a' (2,) and 'b' (3,)"),
    (["trace", "no_such_example"], "no example named 'no_such_example'"),
    (["trace", "--expr", "L = __import__('os')"], "unknown function '__import__'"),
    (["trace", "--expr", "L = x.y", "--set", "x=1"], "is not supported"),
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                          needle: str) -> None:
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and needle in err


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "g.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


def graph_text(nodes: list[dict], edges: list[dict], version: int = 1) -> str:
    return json.dumps({"format": "backprop-studio-graph", "version": version, "nodes": nodes, "edges": edges})


N = [{"id": "a", "op": "input", "value": 1}, {"id": "f", "op": "neg"}, {"id": "g", "op": "neg"}]


@pytest.mark.parametrize(("text", "needle"), [
    ("{not json", "not valid JSON (line 1, column 2"),
    (graph_text(N, [{"from": "a", "to": "f", "port": "x"}, {"from": "f", "to": "g", "port": "x"},
                    {"from": "g", "to": "f", "port": "x"}]), "already fed by 'a'"),
    (graph_text([*N, {"id": "h", "op": "add"}], [{"from": "f", "to": "h", "port": "a"},
                                                 {"from": "h", "to": "f", "port": "x"}]), "cycle: f → h → f"),
    (graph_text(N, []), "node 'f': input 'x' is not connected"),
    (graph_text([{"id": "a", "op": "frobnicate"}], []), "node 'a': unknown op 'frobnicate'"),
    (graph_text([{"id": "a", "op": "input", "value": "ten"}], []),
     "node 'a'.value: expected a number or a nested list of numbers, not text"),
    (graph_text([{"op": "input"}], []), "nodes[0]: missing field 'id'"),
    (graph_text(N, [], version=7), "newer Backprop Studio (format version 7"),
    (json.dumps({"format": "something-else"}), "field 'format'"),
])
def test_bad_files_are_refused_with_the_place(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              text: str, needle: str) -> None:
    path = write(tmp_path, text)
    code, out, err = run_cli(capsys, "trace", path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err, err
    assert Path(path).read_text(encoding="utf-8") == text  # the file on disk is untouched


def test_a_nan_is_reported_at_the_node_where_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "trace", "--expr", "L = exp(x) * 0 + 1", "--set", "x=1000")
    assert code == 2 and "node 'exp_1' (exp) produced NaN or infinity from x" in err


def test_missing_output_file_dir_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "trace", "apple_tax", "--save", "/nonexistent/dir/g.json")
    assert code == 2 and err.count("\n") == 1


def test_a_usage_error_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and "invalid choice: 'frobnicate'" in err


def test_the_real_process_exits_2_without_a_traceback() -> None:
    proc = subprocess.run([sys.executable, "main.py", "trace", "--expr", "L = x +", "--set", "x=1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
