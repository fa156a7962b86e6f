"""Sequence data: a time series CSV cut into sliding windows, and the lab's "hihello" characters.

Windows follow the lecture lab (stock prediction): the rows put oldest first, each column scaled, `window`
consecutive rows of every column (the target included) → the target on the next row. The split is in time
order: a window belongs to the test set when the row it predicts lies in the last `test_fraction` of the
rows, so a test window may look back into the training span, as the lab's `xy[train_size - seq_length:]`.
The scaler is fitted on the training span only (the lab's newer version fits the test span on itself,
which lets the test rows shape their own scaling).

A window stays one flat row (window × columns values, day by day), so a Dataset stays 2-D and every
template and the trainer take it as they are; a recurrent template reshapes it to (N, window, columns).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy

from graphapp.core.train.csvdata import _target_index, read_table
from graphapp.core.train.data import Dataset, Prepared, Scaler
from graphapp.core.train.errors import DataError, OptionError

ORDERS = ("oldest-first", "newest-first")
MAX_WINDOW = 1000


@dataclass(frozen=True)
class Windowing:
    """How a time series becomes rows: days per window and the file's row order."""

    window: int = 7
    order: str = "oldest-first"

    def check(self) -> "Windowing":
        if isinstance(self.window, bool) or not isinstance(self.window, int) or not 1 <= self.window <= MAX_WINDOW:
            raise OptionError(f"--window: the window must be a whole number of rows from 1 to {MAX_WINDOW}, "
                              f"not {self.window!r}")
        if self.order not in ORDERS:
            raise OptionError(f"--order: unknown row order '{self.order}' (choose one of: {', '.join(ORDERS)})")
        return self


def window_names(names: list[str], window: int) -> tuple[str, ...]:
    """Feature names of a flat window: Open[t-7] … Close[t-1] for a 7-row window."""
    return tuple(f"{name}[t-{window - k}]" for k in range(window) for name in names)


def windows(table: numpy.ndarray, window: int, target: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(x, y): x[i] = rows i … i+window−1 flattened row by row, y[i] = the target column on row i+window."""
    n = len(table) - window
    strided = numpy.lib.stride_tricks.sliding_window_view(table, (window, table.shape[1]))[:n, 0]
    return strided.reshape(n, -1).copy(), table[window:, target].reshape(-1, 1).copy()


def load_windows(path: str | Path, windowing: Windowing, target: str | int | None = None,
                 test_fraction: float = 0.3, scale: str = "minmax") -> Prepared:
    """A CSV as windowed rows, split in time order and scaled on the training span (see the module's note).

    The x scaler repeats the columns' scaling once per row of the window, so Prepared.features() takes raw
    windows (for --predict), and the y scaler is the target column's, to turn predictions back into prices."""
    w = windowing.check()
    path = Path(path)
    if not 0.0 <= test_fraction < 1.0:
        raise OptionError(f"test fraction must be in [0, 1), not {test_fraction}")
    names, table = read_table(path)
    t = _target_index(names, target, path)
    if w.order == "newest-first":
        table = table[::-1]
    n = len(table)
    n_test = 0 if test_fraction == 0.0 else max(1, int(round(n * test_fraction)))
    n_train = n - n_test  # rows 0 … n_train−1 are the training span
    if n_train <= w.window:
        raise DataError(f"{path}: {n} rows leave {n_train} for training, too few for windows of {w.window} rows "
                        f"(at least {w.window + 1} are needed: a window and the row it predicts)")
    scaler = Scaler.fit(table[:n_train], scale, names)
    x, y = windows(scaler.apply(table), w.window, t)
    features = window_names(names, w.window)
    data = Dataset(x, y, "regression", path.stem, features, names[t])
    cut = n_train - w.window  # windows 0 … cut−1 predict a training row
    train = data.take(numpy.arange(cut))
    test = data.take(numpy.arange(cut, len(x))) if n_test else None
    x_scaler = Scaler(scaler.kind, numpy.tile(scaler.shift, w.window), numpy.tile(scaler.scale, w.window))
    y_scaler = Scaler(scaler.kind, scaler.shift[t:t + 1], scaler.scale[t:t + 1])
    return Prepared(train, test, x_scaler, y_scaler)


# ---- hihello: the lab's character RNN ----------------------------------------------------------------
HIHELLO = "hihello"
CHARACTERS = "hielo"  # the lab's idx2char order: h i e l o


@dataclass(frozen=True)
class CharSequence:
    """One sentence for next-character prediction: x the one-hot characters but the last, y the class
    index of each next character (many-to-many)."""

    text: str
    characters: str

    @property
    def x(self) -> numpy.ndarray:
        """(1, T, C) one-hot: a batch of one sequence of T = len(text) − 1 steps."""
        return numpy.eye(len(self.characters))[self.indices[:-1]][None]

    @property
    def y(self) -> numpy.ndarray:
        """(T,) the next character's index at each step."""
        return self.indices[1:].astype(float)

    @property
    def indices(self) -> numpy.ndarray:
        return numpy.array([self.characters.index(c) for c in self.text])

    def decode(self, classes: numpy.ndarray) -> str:
        return "".join(self.characters[int(i)] for i in classes)


def hihello() -> CharSequence:
    return CharSequence(HIHELLO, CHARACTERS)


__all__ = ["CHARACTERS", "HIHELLO", "ORDERS", "CharSequence", "Windowing", "hihello", "load_windows", "window_names",
           "windows"]
