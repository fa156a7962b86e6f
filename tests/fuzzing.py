"""How long the generated-input tests run: briefly by default, as a unit test should, and at length with
FUZZ_LONG=1 (README, "Run the tests"): the fuzzer's cases and hypothesis's examples alike."""
from __future__ import annotations

import os

LONG = os.environ.get("FUZZ_LONG", "") not in ("", "0")


def count(brief: int, long: int) -> int:
    """`brief` in the default run, `long` under FUZZ_LONG=1."""
    return long if LONG else brief
