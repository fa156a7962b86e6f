"""The one number rule: significant digits per element, scientific notation only outside [1e-3, 1e6),
never "0.000" for a number that is not zero, U+2212 minus, sums written as differences."""
from __future__ import annotations

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphapp.core import numbers
from graphapp.core.errors import BadValueError
from graphapp.core.numbers import fmt_lines, fmt_number, fmt_product, fmt_sum, fmt_value


@pytest.mark.parametrize(("x", "text"), [
    (0.000239, "2.39e−4"), (9.063e-5, "9.063e−5"), (-0.7195, "−0.7195"), (-4.371e-6, "−4.371e−6"),
    (0.0069, "0.0069"), (220.0, "220"), (1.1, "1.1"), (0.81757, "0.8176"), (12345.6, "12346"),
    (999999.7, "1e6"), (0.00099996, "0.001"), (1.5e7, "1.5e7"), (0.1 + 0.2, "0.3"), (0.0, "0"),
    (float("inf"), "∞"), (-float("inf"), "−∞"),
])
def test_rule_at_four_digits(x, text):  # noqa: ANN001
    assert fmt_number(x, 4) == text


def test_digits_setting_changes_every_formatter():
    try:
        numbers.set_digits(2)
        assert fmt_number(0.81757) == "0.82"
        assert fmt_value(numpy.array([0.000239, -0.7195])) == "[2.4e−4, −0.72]"
        numbers.set_digits("6")  # as settings store it
        assert fmt_number(0.81757) == "0.81757"
    finally:
        numbers.set_digits(numbers.DEFAULT_DIGITS)


@pytest.mark.parametrize("bad", [1, 7, "abc", 3.5, True, None])
def test_digits_outside_two_to_six_are_refused_by_name(bad):  # noqa: ANN001
    with pytest.raises(BadValueError, match="digits"):
        numbers.set_digits(bad)
    assert numbers.get_digits() == numbers.DEFAULT_DIGITS


@given(st.floats(min_value=-1e300, max_value=1e300).filter(lambda v: v != 0), st.integers(2, 6))
def test_a_number_that_is_not_zero_never_reads_as_zero(x, digits):  # noqa: ANN001
    text = fmt_number(x, digits)
    assert "-" not in text  # U+2212 only
    shown = float(text.replace("−", "-"))
    assert shown != 0 and shown == pytest.approx(x, rel=10.0 ** (1 - digits))  # `digits` significant digits
    assert ("e" in text) == (not 1e-3 <= abs(shown) < 1e6)


def test_sums_are_written_as_differences_and_matrices_per_element():
    assert fmt_sum(0.0069, -0.0125) == "0.0069 − 0.0125"
    assert fmt_sum(0.0069, 0.0125) == "0.0069 + 0.0125"
    assert fmt_product(-0.0025, 5.0) == "−0.0025 × 5"
    assert fmt_product(1.0, -1.0) == "1 × (−1)"
    m = numpy.array([[0.5, -0.7195], [1e-5, 2.0]])
    assert fmt_lines(m) == "[0.5, −0.7195]\n[1e−5, 2]"
