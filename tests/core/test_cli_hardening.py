"""The CLI against hostile input: bad options and files are one `error:` line with exit 2, output is safe
for a terminal and strict JSON, Ctrl+C is one line with exit 130."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graphapp import cli
from graphapp.cli import clean, grad_labels, main
from graphapp.core.graph import Graph, Node

ROOT = Path(__file__).resolve().parents[2]
RAW = ("\x1b", "\x9b", "\ud800", "\u202e", "\u2028", "\x00")  # must never reach a terminal as such


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(code: int, out: str, err: str, needle: str) -> None:
    assert code == 2 and out == "", (code, out)
    assert err.startswith("error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert needle in err and "Traceback" not in err, err
    assert not any(ch in err for ch in RAW), ascii(err)


def write(tmp_path: Path, data: dict[str, Any], name: str = "g.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")  # ASCII with \u escapes, as any editor may write
    return str(path)


def graph_file(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], meta: Any = None) -> dict[str, Any]:
    data = {"format": "backprop-studio-graph", "version": 1, "nodes": nodes, "edges": edges}
    if meta is not None:
        data["meta"] = meta
    return data


SUM = graph_file([{"id": "x", "op": "input", "value": [1, 2]}, {"id": "s", "op": "sum", "attrs": {"axis": "abc"}}],
                 [{"from": "x", "to": "s", "port": "x"}])
HOSTILE = "a\x1b[2J\nb\u202e\x9b"  # (a lone surrogate in a label is refused on load: no file could hold it)
LABELS = graph_file([{"id": "w", "op": "param", "label": HOSTILE, "value": 2},
                     {"id": "x", "op": "input", "label": "x\tl\u2028", "value": 3},
                     {"id": "m", "op": "mul", "label": "m\x00"}],
                    [{"from": "w", "to": "m", "port": "a"}, {"from": "x", "to": "m", "port": "b"}],
                    {"name": "n\x1b]0;title\x07"})


# ---- --lr and the update ----------------------------------------------------------------------------

@pytest.mark.parametrize("lr", ["nan", "inf", "-inf", "1e308", "1e400", "0", "-1", "1000001"])
def test_a_bad_lr_is_refused(capsys: pytest.CaptureFixture[str], lr: str) -> None:
    for extra in ([], ["--json"]):
        code, out, err = run_cli(capsys, "trace", "logistic_update", f"--lr={lr}", *extra)
        assert_one_error_line(code, out, err, "--lr: got ")
        assert "expected a finite number > 0 and ≤ 1000000" in err


@pytest.mark.parametrize(("lr", "given"), [('"0.1"', '"0.1"'), ("[1, 2]", "[1, 2]"), ("{}", "{}"),
                                           ("1e400", "Infinity"), ("NaN", "NaN"), ("true", "true")])
def test_a_bad_lr_in_a_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, lr: str,
                                       given: str) -> None:
    path = tmp_path / "g.json"
    text = json.dumps(graph_file([{"id": "w", "op": "param", "value": 1}, {"id": "n", "op": "neg"}],
                                 [{"from": "w", "to": "n", "port": "x"}], {"lr": "LR"}))
    path.write_text(text.replace('"LR"', lr), encoding="utf-8")
    code, out, err = run_cli(capsys, "trace", str(path), "--json")
    assert_one_error_line(code, out, err, f"meta.lr: got {given}; expected a finite number")


def test_an_update_that_overflows_is_refused_naming_the_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["trace", "--expr", "L = w * x", "--set", "w=1", "--set", "x=1e303", "--lr", "1e6"]
    for extra in ([], ["--json"]):
        code, out, err = run_cli(capsys, *args, *extra)
        assert_one_error_line(code, out, err, "node 'w': the SGD update with lr = 1e+06 is not finite")


def test_json_output_is_strict(capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the output")

    code, out, _ = run_cli(capsys, "trace", "logistic_update", "--json")
    data = json.loads(out, parse_constant=refuse)
    assert code == 0 and data["update"]["lr"] == 1
    assert data["update"]["params"]["w1"] == pytest.approx(0.0122466702898289, rel=1e-12)


# ---- wrong settings and meta, through the CLI ---------------------------------------------------------

def test_a_wrongly_typed_attribute_in_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "trace", write(tmp_path, SUM))
    assert_one_error_line(code, out, err, "node 's': sum attribute 'axis' got \"abc\"; expected null (all axes)")


@pytest.mark.parametrize(("expr", "needle"), [
    ("L = softmax(x, axis='a')", "softmax attribute 'axis' got \"a\""),
    ("L = pow(x, p='a')", "pow attribute 'p' got \"a\""),
    ("L = reshape(x, shape=2)", "reshape attribute 'shape' got 2"),
    (f"L = x ** {10**400}", "pow attribute 'p' got 1000"),  # an int no float can hold
    (f"L = x * {10**400}", "node 'const_1' value: a number of magnitude above 1.8e308"),
])
def test_a_wrongly_typed_option_in_an_expression(capsys: pytest.CaptureFixture[str], expr: str,
                                                 needle: str) -> None:
    code, out, err = run_cli(capsys, "trace", "--expr", expr, "--set", "x=[1, 2]")
    assert_one_error_line(code, out, err, needle)


@pytest.mark.parametrize("command", [["trace"], ["trace", "--json"], ["render", "-o"]])
def test_a_title_that_is_not_bilingual(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       command: list[str]) -> None:
    path = write(tmp_path, graph_file([{"id": "a", "op": "input", "value": 1}, {"id": "n", "op": "neg"}],
                                      [{"from": "a", "to": "n", "port": "x"}], {"title": "hello"}))
    png = [str(tmp_path / "x.png")] if command[0] == "render" else []
    code, out, err = run_cli(capsys, command[0], path, *command[1:], *png)
    assert_one_error_line(code, out, err, 'meta.title: got "hello"; expected {"en": text, "ko": text}')
    assert not (tmp_path / "x.png").exists()


# ---- what reaches the terminal ---------------------------------------------------------------------------

def test_clean_escapes_what_a_terminal_would_act_on() -> None:
    assert clean("a\x1b[31mb\nc\td\ud800e\u202ef\x9b\x7f") == "a\\x1b[31mb\\nc\\td\\ud800e\\u202ef\\x9b\\x7f"
    assert clean("사과 가격 ∂L/∂w → ×") == "사과 가격 ∂L/∂w → ×"


def test_labels_are_escaped_in_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "trace", write(tmp_path, LABELS), "--lr", "0.5")
    assert code == 0 and err == ""
    assert not any(ch in out for ch in (*RAW, "\t", "\u2028")), ascii(out)
    out.encode("utf-8")  # would raise on a lone surrogate
    assert "a\\x1b[2J\\nb\\u202e\\x9b" in out and "x\\tl\\u2028" in out and "m\\x00" in out
    assert len(out.split("Forward")[1].split("\n\n")[0].splitlines()) == 1 + 2 + 3  # a row per node


def test_labels_round_trip_through_json_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "trace", write(tmp_path, LABELS), "--json", "--lr", "0.5")
    assert code == 0 and out.count("\n") == 1
    assert not any(ch in out for ch in RAW), ascii(out)
    data = json.loads(out)
    assert [f["label"] for f in data["forward"]] == [HOSTILE, "x\tl\u2028", "m\x00"]
    assert data["graph"] == "n\x1b]0;title\x07" and set(data["grads"]) == {HOSTILE, "x\tl\u2028"}


@pytest.mark.parametrize(("node", "needle"), [
    ({"id": "a\nb", "op": "frobnicate"}, "node 'a\\nb': unknown op 'frobnicate'"),
    ({"id": "a", "op": "\x1b[31mred"}, "unknown op '\\x1b[31mred'"),
    ({"id": "a", "op": "pow", "attrs": {"p": "\x1b[2J"}}, 'got "\\u001b[2J"'),
])
def test_names_in_error_lines_are_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          node: dict[str, Any], needle: str) -> None:
    code, out, err = run_cli(capsys, "trace", write(tmp_path, graph_file([node], [])))
    assert_one_error_line(code, out, err, needle)


def test_usage_errors_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["trace", "--lang", "\x1b[31m", "x"], ["trace", "x", "\x1b[2J\nmore"]):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        _, err = capsys.readouterr()
        assert exit_.value.code == 2
        assert_one_error_line(2, "", err, "\\x1b[")
    code, out, err = run_cli(capsys, "trace", "no\x1b[31mthing")
    assert_one_error_line(code, out, err, "no example named 'no\\x1b[31mthing'")


def test_a_label_with_a_lone_surrogate_is_refused_on_load_and_nothing_is_saved(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hostile = graph_file([{"id": "w", "op": "param", "label": "b\ud800", "value": 2}], [])
    code, out, err = run_cli(capsys, "trace", write(tmp_path, hostile), "--save", str(tmp_path / "out.json"))
    assert_one_error_line(code, out, err, "node 'w' label: contains an unpaired surrogate")
    assert not (tmp_path / "out.json").exists()


# ---- --save ------------------------------------------------------------------------------------------------

def test_save_refuses_empty_names_and_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    cases = [("", "--save: the file name is empty"), ("  ", "--save: the file name is empty"),
             ("newdir/", "--save newdir/: is a folder"), ("existing", "--save existing: is a folder"),
             ("nodir/g.json", "--save nodir/g.json: the folder nodir does not exist")]
    for given, needle in cases:
        code, out, err = run_cli(capsys, "trace", "apple_tax", "--save", given)
        assert_one_error_line(code, out, err, needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"] and not any((tmp_path / "existing").iterdir())
    code, _, _ = run_cli(capsys, "trace", "apple_tax", "--save", "g.json")
    assert code == 0 and (tmp_path / "g.json").is_file()


# ---- Ctrl+C ----------------------------------------------------------------------------------------------

def test_ctrl_c_is_one_line_and_exit_130(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.Executor, "run", interrupted)
    code, out, err = run_cli(capsys, "trace", "apple_tax")
    assert code == 130 and out == "" and err == "interrupted\n"


def test_ctrl_c_in_the_real_process_has_no_traceback() -> None:
    script = ("import runpy, sys; import graphapp.cli as c\n"
              "def stop(): raise KeyboardInterrupt\n"
              "c.cmd_examples = stop\n"
              "sys.argv = ['main.py', 'examples']\n"
              "runpy.run_path('main.py', run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130 and proc.stderr == "interrupted\n" and proc.stdout == ""


def test_the_real_process_refuses_a_bad_lr_in_one_line() -> None:
    proc = subprocess.run([sys.executable, "main.py", "trace", "logistic_update", "--lr", "nan", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr and "--lr: got NaN" in proc.stderr


# ---- grad_labels -------------------------------------------------------------------------------------------

def test_grad_labels_fall_back_to_ids_on_collision_and_scale_linearly() -> None:
    graph = Graph()
    for i, label in enumerate(["w", "w", "b", ""]):
        graph.add_node("param", f"p{i}", label=label, value=1)
    assert grad_labels(graph) == {"p0": "p0", "p1": "p1", "p2": "b", "p3": "p3"}
    big = Graph()
    n = 40_000  # list.count per node would compare 1.6e9 pairs here: minutes, not milliseconds
    big.nodes = {f"n{i}": Node(f"n{i}", "input", label=f"l{i // 2}") for i in range(n)}
    start = time.perf_counter()
    labels = grad_labels(big)
    assert time.perf_counter() - start < 2.0
    assert len(labels) == n and labels["n0"] == "n0"
