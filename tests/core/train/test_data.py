"""Data sets: the built-in ones, the four lab CSVs, bad files as one-line errors, split and scaling."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from graphapp.core.errors import StudioError
from graphapp.core.train.csvdata import load_csv
from graphapp.core.train.data import Scaler, prepare, split
from graphapp.core.train.datasets import NAMES, load_dataset
from graphapp.core.train.errors import DataError, OptionError
from tests.lab_data import LAB, needs_lab



@pytest.mark.parametrize("name", NAMES)
def test_builtin_sets(name: str) -> None:
    d = load_dataset(name, size=120, seed=4)
    assert d.x.ndim == 2 and len(d.y) == d.n and np.isfinite(d.x).all()
    assert d.task in ("binary", "multiclass")
    if name in ("xor", "and", "or"):
        assert d.n == 4 and d.y[:, 0].tolist() == {"xor": [0, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1]}[name]
    elif name == "digits":
        assert d.x.shape == (1797, 64) and d.n_classes == 10 and d.x.max() == 16
        assert np.bincount(d.y).min() >= 170  # about 180 of each digit
    else:
        assert d.x.shape == (120, 2)
        np.testing.assert_array_equal(d.x, load_dataset(name, size=120, seed=4).x)  # seeded
        assert not np.array_equal(d.x, load_dataset(name, size=120, seed=5).x)


def test_noise_widens_the_rings() -> None:
    tight, loose = (load_dataset("circles", size=400, noise=n, seed=0) for n in (0.0, 0.2))
    r = np.hypot(*tight.x.T)
    assert set(np.round(r, 9)) == {0.5, 1.0}
    assert np.hypot(*loose.x.T).std() > r.std()


@needs_lab
@pytest.mark.parametrize(("file", "shape", "task", "target"), [
    ("data-01-test-score.csv", (25, 3), "regression", "column 4"),
    ("data-02-stock_daily.csv", (732, 4), "regression", "Close"),  # its header is a comment line
    ("data-03-diabetes.csv", (759, 8), "binary", "column 9"),
    ("data-04-zoo.csv", (101, 16), "multiclass", "column 17"),
])
def test_lab_files_load(file: str, shape: tuple[int, int], task: str, target: str) -> None:
    d = load_csv(LAB / file)
    assert d.x.shape == shape and d.task == task and d.target == target
    if task == "multiclass":
        assert d.n_classes == 7 and d.one_hot().shape == (101, 7)


@needs_lab
def test_target_by_name_or_number() -> None:
    by_name = load_csv(LAB / "data-02-stock_daily.csv", target="Open")
    assert by_name.target == "Open" and by_name.features == ("High", "Low", "Volume", "Close")
    by_number = load_csv(LAB / "data-01-test-score.csv", target=1)
    assert by_number.target == "column 1" and by_number.x.shape == (25, 3)
    assert load_csv(LAB / "data-01-test-score.csv", target=-1).target == "column 4"


def write(tmp_path: Path, text: str, name: str = "bad.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(("text", "target", "words"), [
    ("1,2,3\n4,5\n", None, "line 2: 2 values where line 1 has 3"),
    ("# c\na,b,y\n1,2,0\n1,x,1\n", None, r"line 4, column 2 \(b\): 'x' is not a finite number"),
    ("1,2,3\n4,,6\n", None, "line 2, column 2: is empty"),
    ("1,2,nan\n", None, "line 1, column 3: 'nan' is not a finite number"),
    ("", None, "no data rows"),
    ("# only comments\n\n", None, "no data rows"),
    ("a,b,y\n", None, "no data rows"),
    ("a,b,y\n1,2,3\n", "z", "target column 'z' does not exist \\(columns: a, b, y\\)"),
    ("1,2,3\n", 7, "target column 7 does not exist \\(the file has 3 columns"),
    ("1\n2\n", None, "one column only"),
    ("a,b\n1,2,3\n", None, "line 2: 3 values under a header of 2 columns"),
])
def test_bad_csv_is_one_line(tmp_path: Path, text: str, target: str | int | None, words: str) -> None:
    with pytest.raises(DataError, match=words) as info:
        load_csv(write(tmp_path, text), target=target)
    assert "\n" not in str(info.value) and "bad.csv" in str(info.value)


def test_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a folder"):
        load_csv(tmp_path)
    with pytest.raises(DataError, match="no such file"):
        load_csv(tmp_path / "missing.csv")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):  # and it does not block
        load_csv(fifo)
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DataError, match="not a text file"):
        load_csv(tmp_path / "bin.csv")
    with pytest.raises(DataError, match="unknown data set 'spiral'"):
        load_dataset("spiral")
    assert issubclass(DataError, StudioError) and issubclass(OptionError, StudioError)


def test_header_row_and_class_mapping(tmp_path: Path) -> None:
    d = load_csv(write(tmp_path, "h,w,kind\n1,2,3\n2,3,5\n3,3,3\n4,1,5\n5,5,3\n6,1,5\n"))
    assert d.features == ("h", "w") and d.task == "binary" and d.class_values == (3.0, 5.0)
    assert d.y[:, 0].tolist() == [0, 1, 0, 1, 0, 1]
    r = load_csv(write(tmp_path, "1,2.5\n2,3.5\n3,1.5\n", "r.csv"))
    assert r.task == "regression"


def test_split_and_scaling_fit_on_train_only() -> None:
    d = load_dataset("blobs", size=100, seed=1)
    train, test = split(d, 0.25, seed=3)
    assert (train.n, test.n) == (75, 25)
    assert sorted(np.r_[train.x[:, 0], test.x[:, 0]].tolist()) == sorted(d.x[:, 0].tolist())
    assert split(d, 0.0)[1] is None
    with pytest.raises(OptionError, match="test fraction"):
        split(d, 1.0)
    p = prepare(d, 0.25, seed=3, scale="standard")
    np.testing.assert_allclose(p.train.x.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(p.train.x.std(axis=0), 1)
    assert np.abs(p.test.x.mean(axis=0)).max() > 1e-6  # the test rows did not enter the statistics
    m = prepare(d, 0.25, seed=3, scale="minmax")
    assert m.train.x.min() == 0 and m.train.x.max() == 1
    const = Scaler.fit(np.ones((4, 1)), "minmax")
    assert const.apply(np.ones((2, 1))).tolist() == [[0.0], [0.0]]
    with pytest.raises(OptionError, match="unknown scaling 'zscore'"):
        prepare(d, scale="zscore")
