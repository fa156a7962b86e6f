"""The `meta` object of a graph file: its schema, checked where data enters, and typed reads of it.

Known fields have a fixed kind; any other field may hold text only (a note, an author), so nothing
that reads meta ever meets a value of a kind it does not expect.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from graphapp.core.errors import FileFormatError, StudioError
from graphapp.core.ops.spec import describe

LANGS = ("en", "ko")
LR_MAX = 1e6  # beyond this an SGD step only overflows; the lectures use 0.01 … 10


def check_lr(value: Any, where: str, error: type[StudioError] = FileFormatError) -> float:
    """A learning rate: a finite number > 0 and ≤ LR_MAX (not a bool); `error` names the place `where`."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    try:
        ok = ok and math.isfinite(float(value)) and 0 < value <= LR_MAX
    except OverflowError:  # an int beyond the float range
        ok = False
    if not ok:
        raise error(f"{where}: got {describe(value)}; expected a finite number > 0 and ≤ {LR_MAX:.0f}")
    return float(value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise FileFormatError(f"{where}: got {describe(value)}; expected text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" in JSON: no file could store it, no terminal can show it
        raise FileFormatError(f"{where}: got {describe(value)}; expected text without unpaired surrogates") \
            from None
    return value


def _bilingual(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) - set(LANGS):
        raise FileFormatError(f"{where}: got {describe(value)}; expected {{\"en\": text, \"ko\": text}} "
                              "(either may be left out)")
    return {lang: _text(value[lang], f"{where}.{lang}") for lang in LANGS if lang in value}


def _lr(value: Any, where: str) -> int | float:
    check_lr(value, where)
    return value  # as written (1 stays 1), so a file reads and writes back unchanged


TASKS = ("regression", "binary", "multiclass")


def _setting(value: Any, where: str) -> Any:
    """An initializer setting: text or a finite number (not a bool)."""
    if isinstance(value, str):
        return _text(value, where)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise FileFormatError(f"{where}: got {describe(value)}; expected text or a finite number")


def _train(value: Any, where: str) -> dict[str, Any]:
    """How a template trains: data input ids `x`, `y`, the `task`, and each parameter's initializer
    (`init`: {node id: {"kind": name, setting: value}}); the initializer's names are checked when used."""
    if not isinstance(value, dict) or set(value) - {"x", "y", "task", "init", "characters", "window", "order"}:
        raise FileFormatError(f"{where}: got {describe(value)}; expected an object with x, y, task, init, "
                              "characters, window, order")
    # characters: a character model's alphabet, class i is characters[i] (hihello_rnn); window and order: how
    # a time series CSV becomes its rows (the stock templates), checked where the data is read
    out: dict[str, Any] = {k: _text(value[k], f"{where}.{k}") for k in ("x", "y", "characters", "order") if k in value}
    if "window" in value:
        if isinstance(value["window"], bool) or not isinstance(value["window"], int):
            raise FileFormatError(f"{where}.window: got {describe(value['window'])}; expected a whole number")
        out["window"] = value["window"]
    if "task" in value:
        if value["task"] not in TASKS:
            raise FileFormatError(f"{where}.task: got {describe(value['task'])}; expected one of {', '.join(TASKS)}")
        out["task"] = value["task"]
    if "init" in value:
        inits = value["init"]
        if not isinstance(inits, dict):
            raise FileFormatError(f"{where}.init: got {describe(inits)}; expected an object")
        out["init"] = {}
        for node, spec in inits.items():
            at = f"{where}.init.{_text(node, f'{where}.init')}"
            if not isinstance(spec, dict) or not isinstance(spec.get("kind"), str):
                raise FileFormatError(f"{at}: got {describe(spec)}; expected {{\"kind\": name, ...settings}}")
            out["init"][node] = {k: _setting(v, f"{at}.{_text(k, at)}") for k, v in spec.items()}
    return out


FIELDS: dict[str, Callable[[Any, str], Any]] = {
    "name": _text, "title": _bilingual, "description": _bilingual, "lr": _lr, "source": _text, "train": _train,
}


def check_meta(meta: Any, where: str = "meta") -> dict[str, Any]:
    """A checked copy of a file's meta; FileFormatError names the field, e.g. `file.json: meta.title`."""
    if not isinstance(meta, dict):
        raise FileFormatError(f"{where}: got {describe(meta)}; expected an object")
    checked = {}
    for key, value in meta.items():
        at = f"{where}.{_text(key, where)}"
        if key not in FIELDS and not isinstance(value, str):
            raise FileFormatError(f"{at}: got {describe(value)}; an unknown field may hold text only "
                                  f"(known: {', '.join(FIELDS)})")
        checked[key] = FIELDS.get(key, _text)(value, at)
    return checked


def text(meta: dict[str, Any], key: str, lang: str) -> str:
    """`title` or `description` in a language ('' when absent) from a checked meta."""
    return meta.get(key, {}).get(lang, "")
