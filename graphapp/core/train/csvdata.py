"""Numeric CSV files as data sets: `#` comment lines and blank lines skipped, an optional header row (or a
commented header just above the data, as in the lab's stock file), target = last column unless named.

Every problem is one DataError naming the file, and the line and column where it is.
"""
from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import numpy

from graphapp.core.train.data import Dataset, targets_from
from graphapp.core.train.errors import DataError


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v


def _names(fields: list[str]) -> bool:
    """A row of column names: every field non-empty and not a number."""
    return all(f and _number(f) is None for f in fields)


def _read_text(path: Path) -> str:
    try:
        info = os.stat(path)  # before open(): opening a FIFO for reading would block
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{path}: is a folder, not a CSV file")
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path}: not a regular file (a pipe or device cannot be a data set)")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a text file (byte {exc.start} is not UTF-8)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None


def read_table(path: str | os.PathLike[str]) -> tuple[list[str], numpy.ndarray]:
    """(column names, numeric rows) of a CSV file."""
    path = Path(path)
    header: list[str] | None = None
    last_comment: list[str] | None = None
    rows: list[list[float]] = []
    first_line = 0
    for lineno, raw in enumerate(_read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            last_comment = [f.strip() for f in line[1:].split(",")] if not rows and header is None else None
            continue
        fields = [f.strip() for f in line.split(",")]
        if not rows and header is None and _names(fields):
            header = fields
            continue
        if not rows:
            first_line = lineno
            if header is None and last_comment is not None and len(last_comment) == len(fields) \
                    and _names(last_comment):
                header = last_comment  # "# Open,High,Low,Volume,Close" just above the numbers
            if header is not None and len(header) != len(fields):
                raise DataError(f"{path}: line {lineno}: {len(fields)} values under a header of "
                                f"{len(header)} columns")
        width = len(header) if header is not None else len(rows[0]) if rows else len(fields)
        if len(fields) != width:
            raise DataError(f"{path}: line {lineno}: {len(fields)} values where line {first_line} has {width} "
                            "(every row needs the same number of columns)")
        row = []
        for col, text in enumerate(fields):
            v = _number(text)
            if v is None or not math.isfinite(v):
                name = f" ({header[col]})" if header else ""
                what = "is empty" if not text else f"'{text[:40]}' is not a finite number"
                raise DataError(f"{path}: line {lineno}, column {col + 1}{name}: {what}")
            row.append(v)
        rows.append(row)
    if not rows:
        raise DataError(f"{path}: no data rows (the file is empty or holds only comments and a header)")
    names = header if header is not None else [f"column {i + 1}" for i in range(len(rows[0]))]
    return names, numpy.array(rows, dtype=float)


def _target_index(names: list[str], target: str | int | None, path: Path) -> int:
    if target is None:
        return len(names) - 1
    if isinstance(target, str) and target.strip() in names:
        return names.index(target.strip())
    try:
        i = int(target)
    except (TypeError, ValueError):
        raise DataError(f"{path}: target column '{target}' does not exist (columns: {', '.join(names)})") from None
    # an index counts from 1 like the error messages, or from the end when negative (−1 = last)
    if 1 <= i <= len(names):
        return i - 1
    if -len(names) <= i <= -1:
        return len(names) + i
    raise DataError(f"{path}: target column {target} does not exist (the file has {len(names)} columns, "
                    f"numbered 1 to {len(names)})")


def load_csv(path: str | os.PathLike[str], target: str | int | None = None, task: str = "auto") -> Dataset:
    """A data set from a CSV file. `target`: a column name, a number from 1, or −1 for the last (default)."""
    path = Path(path)
    names, table = read_table(path)
    if table.shape[1] < 2:
        raise DataError(f"{path}: one column only: a data set needs at least one feature and a target")
    t = _target_index(names, target, path)
    y, task, classes = targets_from(table[:, t], task, f"{path}: target column {t + 1} ({names[t]})")
    x = numpy.delete(table, t, axis=1)
    return Dataset(x, y, task, path.stem, tuple(n for i, n in enumerate(names) if i != t), names[t], classes)
