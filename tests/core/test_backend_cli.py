"""--backend numpy|cupy on trace, train and plot: CuPy where it runs, else one line saying why, then numpy.

Without a GPU the fallback is what runs; the device path is run too, end to end, by standing the strict
stand-in (tests/kernels/strict_xp.py, numpy behind a wall that host-only calls run into) in for CuPy: the
printed results must be those of numpy, to the digit.
"""
from __future__ import annotations

import json
from types import ModuleType

import numpy
import pytest

import kernels.backend as backend
from graphapp.cli import main
from graphapp.core.messages import has_hangul
from kernels.backend import BackendUnavailable, choose_xp, cupy_unavailable, get_xp
from tests.kernels.strict_xp import strict

TRAIN = ["train", "mlp", "--data", "moons", "--hidden", "6", "--optimizer", "adam", "--lr", "0.05",
         "--steps", "60", "--batch-size", "32", "--predict", "[[0, 0.5], [1, -0.5]]", "--json"]
PLOT = ["plot", "boundary", "mlp", "--data", "xor", "--hidden", "4", "--steps", "30", "--test-fraction", "0", "--json"]
LANDSCAPE = ["plot", "landscape", "mlp", "--data", "moons", "--hidden", "4", "--steps", "20", "--grid", "5", "--json"]
needs_no_cupy = pytest.mark.skipif(cupy_unavailable() is None, reason="CuPy runs here: the fallback is not taken")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def without_seconds(out: str) -> dict:
    data = json.loads(out)
    data.pop("seconds", None)
    return data


@pytest.fixture
def no_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """CuPy installed, but no GPU: what cupy.cuda.runtime reports on such a machine, by the probe's word."""
    monkeypatch.setattr(backend, "cupy_unavailable", lambda: "no CUDA device")


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A backend that runs: the strict stand-in answers for "cupy"."""
    real = backend.get_xp
    monkeypatch.setattr(backend, "get_xp", lambda name="numpy": strict if name == "cupy" else real(name))
    assert choose_xp("cupy") == (strict, None)
    return strict


@needs_no_cupy
def test_trace_falls_back_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    reference, _ = run(capsys, "trace", "apple_tax", "--lang", "en")
    out, err = run(capsys, "trace", "apple_tax", "--backend", "cupy", "--lang", "en")
    assert out == reference
    assert err.count("\n") == 1 and err.startswith("CuPy backend unavailable: ") and err.endswith("; using numpy\n")
    assert cupy_unavailable() in err  # the reason itself: "No module named 'cupy'", or the CUDA error


def test_no_device_is_said_in_both_languages(capsys: pytest.CaptureFixture[str], no_device: None) -> None:
    _, err = run(capsys, "trace", "apple_tax", "--backend", "cupy", "--lang", "en")
    assert err == "CuPy backend unavailable: no CUDA device; using numpy\n"
    _, err = run(capsys, "trace", "apple_tax", "--backend", "cupy", "--lang", "ko")
    assert err.count("\n") == 1 and has_hangul(err) and "CUDA" in err and "numpy" in err
    with pytest.raises(BackendUnavailable, match="no CUDA device"):
        get_xp("cupy")
    assert choose_xp("cupy") == (numpy, "CuPy backend unavailable: no CUDA device; using numpy")


def test_numpy_backend_says_nothing(capsys: pytest.CaptureFixture[str], no_device: None) -> None:
    out, err = run(capsys, "trace", "xor_matrix", "--json", "--backend", "numpy")
    assert err == "" and json.loads(out)["grads"]


@pytest.mark.parametrize("target", [["apple_tax"], ["logistic_update"], ["xor_matrix", "--json"],
                                    ["--expr", "L = sum(W @ x)", "--set", "W=[[1,2],[3,4]]", "--set", "x=[1,1]",
                                     "--lr", "0.1", "--json"]])
def test_trace_on_a_device_prints_what_numpy_prints(capsys: pytest.CaptureFixture[str], device: ModuleType,
                                                    target: list[str]) -> None:
    reference, _ = run(capsys, "trace", *target)
    out, err = run(capsys, "trace", *target, "--backend", "cupy")
    assert err == "" and out == reference


@pytest.mark.parametrize("argv", [TRAIN, TRAIN[:-3] + ["--dtype", "float32", "--json"], PLOT, LANDSCAPE],
                         ids=["train", "train_float32", "plot_boundary", "plot_landscape"])
def test_lab_on_a_device_gives_numpys_numbers(capsys: pytest.CaptureFixture[str], device: ModuleType,
                                              argv: list[str]) -> None:
    reference, _ = run(capsys, *argv)
    out, err = run(capsys, *argv, "--backend", "cupy")
    assert err == "" and without_seconds(out) == without_seconds(reference)


@needs_no_cupy
def test_train_falls_back_and_trains(capsys: pytest.CaptureFixture[str]) -> None:
    reference, _ = run(capsys, *TRAIN)
    out, err = run(capsys, *TRAIN, "--backend", "cupy")
    assert err.count("\n") == 1 and "; using numpy" in err
    assert without_seconds(out) == without_seconds(reference)


def test_unknown_backend_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["trace", "apple_tax", "--backend", "gpu"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: argument --backend: invalid choice: 'gpu'")
