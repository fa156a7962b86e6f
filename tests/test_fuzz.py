"""The fuzzer (benchmarks/fuzz.py) over files, bytes, expressions and command lines, a few hundred cases:
every one ends in a result or a one-line error. `python benchmarks/fuzz.py --cases 10000` runs it at length."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_fuzzer():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = load_fuzzer()


@pytest.mark.parametrize("kind", sorted(fuzz.KINDS))
def test_fuzz_cases_end_in_a_result_or_a_one_line_error(kind: str) -> None:
    report = fuzz.fuzz([kind], 120, seed=7)
    assert report.cases == 120
    assert report.failures == [], "\n".join(f"seed {s}: {p}" for s, _, p in report.failures[:10])


def test_fuzzer_notices_a_broken_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks themselves can fail: a traceback-shaped exception and a bare NaN are both caught."""
    def boom(argv):  # noqa: ANN001, ANN202
        raise TypeError("unsupported operand")

    monkeypatch.setattr(fuzz, "cli_main", boom)
    assert "TypeError" in fuzz.run_case("cli", 1)

    def nan(argv):  # noqa: ANN001, ANN202
        print('{"x": NaN}')
        return 0

    monkeypatch.setattr(fuzz, "cli_main", nan)
    with pytest.raises(fuzz.ContractBroken):
        fuzz.run_cli(["trace", "apple_tax", "--json"])
