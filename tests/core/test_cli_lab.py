"""The lab's CLI: train, race and plot histograms as JSON; XOR to 100%; the lab CSVs; bad options as one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphapp.cli import clean, main
from graphapp.core import fileio
from graphapp.core.executor import Executor
from graphapp.core.messages import has_hangul, translate
from tests.lab_data import LAB, needs_lab

ROOT = Path(__file__).resolve().parents[1].parent
XOR = ["train", "xor_net", "--data", "xor", "--optimizer", "sgd", "--lr", "5", "--steps", "2000", "--test-fraction", "0"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", err  # stderr is not a terminal here: no progress bar
    return json.loads(out)


def test_xor_net_reaches_100_percent_and_predicts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = run_json(capsys, *XOR, "--predict", "[[0,0],[0,1],[1,0],[1,1]]", "--save", str(tmp_path / "xor.json"))
    assert set(data) >= {"final_loss", "train_accuracy", "test_accuracy", "steps", "seconds", "predictions"}
    assert data["train_accuracy"] == 1.0 and data["test_accuracy"] is None and data["steps"] == 2000
    assert data["predictions"] == [0, 1, 1, 0] and data["final_loss"] < 0.01
    saved = fileio.load(tmp_path / "xor.json")  # the trained graph: its own forward pass gives XOR
    h = Executor(saved).run(record=False).values["H"]
    assert [round(float(v)) for v in h[:, 0]] == [0, 1, 1, 0]


def test_train_text_output_and_a_test_split(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "mlp", "--data", "moons", "--hidden", "16", "--lr", "0.05", "--steps", "200"])
    out = capsys.readouterr().out
    assert code == 0 and "mlp on moons (binary): 200 steps" in out and "accuracy: train" in out and "test" in out
    data = run_json(capsys, "train", "mlp", "--data", "moons", "--hidden", "16", "--lr", "0.05", "--steps", "200")
    assert 0.8 <= data["test_accuracy"] <= 1.0 and data["train_accuracy"] >= 0.85


@needs_lab
@pytest.mark.parametrize(("file", "args", "check"), [
    ("data-01-test-score.csv", ["linear_regression", "--scale", "standard", "--optimizer", "sgd", "--lr", "0.1",
                                "--steps", "300"], lambda d: d["final_loss"] < 0.05 and d["train_accuracy"] is None),
    ("data-02-stock_daily.csv", ["linear_regression", "--scale", "minmax", "--lr", "0.1", "--epochs", "300"],
     lambda d: d["final_loss"] < 1e-3 and d["test_accuracy"] is None),  # in min-max units of Close
    ("data-03-diabetes.csv", ["logistic_regression", "--lr", "0.05", "--epochs", "200"],
     lambda d: d["test_accuracy"] > 0.7),
    ("data-04-zoo.csv", ["softmax_classifier", "--lr", "0.05", "--epochs", "300"], lambda d: d["train_accuracy"] > 0.9),
])
def test_each_lab_csv_trains(capsys: pytest.CaptureFixture[str], file: str, args: list[str], check) -> None:  # noqa: ANN001
    data = run_json(capsys, "train", args[0], "--data", str(LAB / file), *args[1:])
    assert check(data), data


def test_race_json_has_each_path_final_point_and_value(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "race", "--optimizers", "sgd,adam", "--steps", "5", "--lr", "adam=0.5")
    assert data["start"] == [-7.0, 2.0] and list(data["optimizers"]) == ["sgd", "adam"]
    sgd = data["optimizers"]["sgd"]
    assert sgd["lr"] == 0.95 and len(sgd["path"]) == 6 and sgd["final"] == sgd["path"][-1]
    assert sgd["path"][1] == pytest.approx([-6.335, -1.8])
    assert sgd["value"] == pytest.approx(sgd["final"][0] ** 2 / 20 + sgd["final"][1] ** 2)
    assert data["optimizers"]["adam"]["lr"] == 0.5
    custom = run_json(capsys, "race", "--function", "(x - 1)**2 + (y + 2)**2", "--start", "0,0", "--optimizers",
                      "sgd", "--lr", "0.25", "--steps", "40")
    assert custom["optimizers"]["sgd"]["final"] == pytest.approx([1.0, -2.0], abs=1e-6)


def test_histograms_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "plot", "histograms", "--activation", "relu", "--init", "he", "--seed", "1")
    assert len(data["layers"]) == 5 and len(data["edges"]) == 31
    assert all(set(l) == {"mean", "std", "counts", "outside"} and len(l["counts"]) == 30 for l in data["layers"])
    assert data["weight_std"] == pytest.approx(2 ** 0.5 / 10)


BAD = [
    (["train", "mlp", "--data", "xor", "--hidden", "3,x"], "--hidden"),
    (["train", "mlp", "--data", "xor", "--batch-size", "0"], "--batch-size"),
    (["train", "mlp", "--data", "xor", "--optimizer", "adamw"], "unknown optimizer 'adamw'"),
    (["train", "mlp", "--data", "xor", "--steps", "0"], "--steps"),
    (["train", "mlp", "--data", "xor", "--test-fraction", "1.5"], "test fraction"),
    (["train", "mlp", "--data", "nowhere.csv"], "nowhere.csv"),
    (["train", "mlp", "--data", "xor", "--predict", "[[1]]"], "--predict"),
    (["train", "mlp", "--data", "xor", "--predict", "{"], "--predict"),
    (["train", "lecture_bogus", "--data", "xor"], "lecture_bogus"),
    (["train", "logistic", "--data", "xor", "--hidden", "3"], "only a template takes it"),
    (["train", "linear_regression", "--data", "xor", "--steps", "1"], "linear_regression needs a numeric target"),
    (["train", "mlp", "--data", "xor", "--steps", "3", "--epochs", "3"], "not allowed with"),
    (["race", "--start", "1"], "--start"),
    (["race", "--optimizers", "sgd,foo"], "--optimizers"),
    (["race", "--lr", "adam=0"], "--lr adam"),
    (["race", "--function", "x +"], "column"),
    (["race", "--steps", "0"], "--steps"),
    (["race", "--size", "12x", "-o", "r.png"], "--size"),
    (["race", "-o", "r.png", "--size", "5x5"], "each side"),
    (["plot", "histograms", "--std", "-1"], "--std"),
    (["plot", "histograms"], "give -o"),
    (["plot", "boundary", "softmax_classifier", "--data", "digits", "--steps", "1", "-o", "b.png"], "2 features"),
    (["plot", "landscape", "mlp", "--data", "xor", "--grid", "1", "--steps", "1", "-o", "l.png"], "--grid"),
    (["plot", "landscape", "mlp", "--data", "xor", "--directions", "pca", "--steps", "1", "-o", "l.png"], "pca"),
    (["train", "logistic_regression", "--data", "xor", "--activation", "relu"], "only mlp lets you choose"),
    (["train", "softmax_classifier", "--data", "digits", "--hidden", "3"], "only mlp, xor_net and the recurrent templates"),
    (["train", "mlp", "--data", "xor", "--dropout", "1.5"], "dropout must be a probability"),
    (["train", "mlp", "--data", "xor", "--dropout", "nan"], "dropout must be a probability"),
    (["train", "mlp", "--data", "xor", "--l2", "-1"], "l2 (λ) must be"),
    (["train", "mlp", "--data", "xor", "--weight-decay", "-0.1"], "setting 'weight_decay' must be ≥ 0"),
    (["train", "mlp", "--data", "xor", "--validation-fraction", "1"], "validation fraction must be in [0, 1)"),
    (["train", "mlp", "--data", "xor", "--validation-fraction", "0.5", "--patience", "0"], "patience must be"),
    (["train", "mlp", "--data", "xor", "--patience", "3"], "needs a validation fraction above 0"),
    (["train", "xor_net", "--data", "xor", "--batch-norm"], "settings of the mlp template, not of 'xor_net'"),
    (["train", "logistic", "--data", "xor", "--l2", "0.1"], "settings of the mlp template, not of 'logistic'"),
    (["plot", "landscape", "mlp", "--data", "xor", "--dropout", "2", "-o", "l.png"], "dropout must be"),
    (["train", "mlp", "--data", "xor", "--curves", "c.png", "--size", "12x"], "--size"),
    (["train", "mlp", "--data", "xor", "--curves", "nowhere/c.png"], "--curves nowhere/c.png: the folder"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_options_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:  # argparse errors exit from inside the parser
        raise SystemExit(main(args))
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err, err
    assert not list(tmp_path.iterdir())  # nothing written


def test_subprocess_json_is_the_only_stdout_and_qt_is_not_loaded() -> None:
    code = ("import sys, json; from graphapp.cli import main; rc = main(sys.argv[1:]); "
            "assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules), 'Qt loaded'; "
            "sys.exit(rc)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code, *XOR[:-2], "--steps", "50", "--json"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert json.loads(r.stdout)["steps"] == 50
    r = subprocess.run([sys.executable, "main.py", "race", "--steps", "x"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1 and "--steps" in r.stderr


def test_a_saved_model_trains_on_from_its_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    whole = run_json(capsys, *XOR)
    first = [*XOR[:-4], "--steps", "300", "--test-fraction", "0", "--save", str(tmp_path / "x.json")]
    run_json(capsys, *first)
    rest = run_json(capsys, "train", str(tmp_path / "x.json"), *XOR[2:-4], "--steps", "1700", "--test-fraction", "0")
    assert rest["final_loss"] == pytest.approx(whole["final_loss"], rel=1e-9)  # 300 + 1700 steps = 2000 steps


def test_regression_predictions_come_back_in_the_files_units(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    rows = "\n".join(f"{x},{3 * x + 100 + (0.1 if x % 2 else -0.1)}" for x in range(20))
    (tmp_path / "line.csv").write_text("x,y\n" + rows + "\n", encoding="utf-8")
    data = run_json(capsys, "train", "linear_regression", "--data", str(tmp_path / "line.csv"), "--scale", "minmax",
                    "--lr", "0.1", "--steps", "2000", "--predict", "[[5], [30]]")
    assert data["predictions"] == pytest.approx([115.0, 190.0], abs=0.5)


def test_progress_bar_only_on_a_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    data = run_json_with_stderr(capsys, *XOR[:-4], "--steps", "50", "--test-fraction", "0")
    out, err = data
    assert json.loads(out)["steps"] == 50 and "50/50" in err and err.endswith("\n") and "█" in err


def run_json_with_stderr(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    assert main([*args, "--json"]) == 0
    return capsys.readouterr()


@pytest.mark.parametrize(("args", "message"), [case for case in BAD if case[1] not in ("not allowed with",)])
def test_bad_options_in_korean(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(args))
    english = capsys.readouterr().err.removeprefix("error: ").strip()
    korean, missing = translate(english)
    assert korean is not None and not missing and has_hangul(korean), english
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main([*args, "--lang", "ko"]))
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err == f"오류: {clean(korean)}\n"


def test_a_negative_start_is_a_value(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "race", "--start", "-7,2", "--optimizers", "sgd", "--steps", "1")
    assert data["start"] == [-7.0, 2.0]
    data = run_json(capsys, "race", "--start", "-.5,-1", "--optimizers", "sgd", "--steps", "1")
    assert data["start"] == [-0.5, -1.0]


def test_float32_training_is_offered_and_learns_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("train", "xor_net", "--data", "xor", "--optimizer", "sgd", "--lr", "5", "--steps", "500",
            "--test-fraction", "0", "--json")
    exact, fast = run_json(capsys, *args), run_json(capsys, *args, "--dtype", "float32")
    assert exact["train_accuracy"] == fast["train_accuracy"] == 1.0
    assert fast["final_loss"] == pytest.approx(exact["final_loss"], rel=1e-3)
    with pytest.raises(SystemExit) as exit_:  # argparse's choice error: one line, exit 2
        main(["train", "xor_net", "--data", "xor", "--dtype", "float16"])
    assert exit_.value.code == 2 and capsys.readouterr().err.count("\n") == 1


def test_early_stopping_keeps_the_best_validation_loss(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["train", "mlp", "--data", "moons", "--hidden", "16", "--lr", "0.05", "--epochs", "200", "--batch-size",
            "20", "--validation-fraction", "0.25"]
    long, early = run_json(capsys, *args), run_json(capsys, *args, "--patience", "3")
    assert long["stopped_early"] is None and long["steps"] == 200 * 6  # 120 training rows, batches of 20
    assert early["stopped_early"] == early["steps"] < long["steps"] and early["best_step"] < early["steps"]
    history = early["history"]
    assert [h["step"] for h in history] == list(range(0, early["steps"] + 1, 6))  # one evaluation per epoch
    best = min(history, key=lambda h: h["val_loss"])
    assert best["step"] == early["best_step"] and early["validation_loss"] == best["val_loss"]
    assert early["final_loss"] == best["train_loss"] and early["validation_accuracy"] == best["val_accuracy"]
    assert all(h["step"] > early["best_step"] for h in history[-3:])  # three epochs without a better one
    assert long["validation_loss"] > early["validation_loss"]  # trained on, the held-back rows fare worse


def test_regularization_options_build_the_mlp_and_reach_the_optimizer(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    base = ["train", "mlp", "--data", "moons", "--hidden", "16,8", "--lr", "0.05", "--steps", "60",
            "--batch-size", "20"]
    plain = run_json(capsys, *base)
    reg = run_json(capsys, *base, "--dropout", "0.2", "--batch-norm", "--l2", "0.01", "--save", str(tmp_path / "r.json"))
    graph = fileio.load(tmp_path / "r.json")
    assert {"drop1", "drop2", "BN1", "BN2", "L2_W1", "L2_W2", "L2_W3"} <= set(graph.nodes)
    assert graph.nodes["drop1"].attrs["p"] == 0.2 and graph.nodes["L2_W1"].attrs["lambda"] == 0.01
    assert not graph.nodes["running_var1"].value.tolist() == [1.0] * 16  # the running statistics were kept
    assert reg["final_loss"] != plain["final_loss"] and reg["validation_loss"] is None
    decayed = run_json(capsys, *base, "--weight-decay", "0.5")
    assert decayed["final_loss"] > plain["final_loss"]  # pulled towards zero: a worse fit of the data
    code = main([*base, "--validation-fraction", "0.25", "--patience", "2", "--dropout", "0.1"])
    out = capsys.readouterr().out
    assert code == 0 and "validation loss" in out
