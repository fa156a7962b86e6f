"""The convolution's sliding window as sub-steps of a conv2d forward step: plain data from the trace,
walked by → and ←, narrated with the sum of products (headless: no Qt)."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.conv_window import MAX_SIDE, next_position, window_at, window_count
from graphapp.core.expr import parse_expression
from graphapp.core.playback import frame_at, play_trace

IMAGE = numpy.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # the lecture's 3×3 image: 1..9
DIAGONAL = numpy.array([[[[1.0, 0.0], [0.0, 1.0]]]])  # a 2×2 filter


def conv(padding: str = "valid", x=IMAGE, w=DIAGONAL, b=(0.0,), stride: int = 1):  # noqa: ANN001, ANN201
    g = parse_expression(f"y = conv2d(x, W, b, stride={stride}, padding='{padding}')",
                         {"x": x, "W": w, "b": numpy.array(b)})
    node = next(n for n in g.nodes if g.nodes[n].op == "conv2d")
    return g, play_trace(g), node


def test_valid_walks_four_windows_with_the_lecture_sums() -> None:
    g, t, node = conv()
    assert window_count(g, t, node) == 4
    sums = [window_at(g, t, node, i).sum_text() for i in range(4)]
    assert sums == ["1·1 + 2·0 + 4·0 + 5·1 = 6", "2·1 + 3·0 + 5·0 + 6·1 = 8",
                    "4·1 + 5·0 + 7·0 + 8·1 = 12", "5·1 + 6·0 + 8·0 + 9·1 = 14"]
    w = window_at(g, t, node, 1)
    assert (w.row, w.col, w.top, w.left, w.filter) == (0, 1, 0, 1, 0)
    assert w.value == t.values[node][0, 0, 0, 1]  # the trace's own cell, not a recomputation
    assert window_at(g, t, node, 4) is None and window_at(g, t, node, -1) is None


def test_same_padding_shows_the_zero_border_and_nine_windows() -> None:
    g, t, node = conv("same")
    assert window_count(g, t, node) == 9
    last = window_at(g, t, node, 8)
    assert last.padding == (0, 1, 0, 1)  # the extra row and column after, as TensorFlow and PyTorch pad
    assert last.image.shape == (4, 4) and last.image[3].tolist() == [0, 0, 0, 0]
    assert last.sum_text() == "9·1 + 0·0 + 0·0 + 0·1 = 9"
    assert last.output.tolist() == t.values[node][0, 0].tolist()


def test_negative_factors_and_a_bias_are_written_as_the_lecture_writes_them() -> None:
    x = numpy.array([[[[-2.0, 1.0], [3.0, 0.5]]]])
    w = numpy.array([[[[1.0, -1.0], [2.0, 0.0]]]])
    g, t, node = conv(x=x, w=w, b=(-0.5,))
    text = window_at(g, t, node, 0).sum_text()
    assert text == "−2·1 + 1·(−1) + 3·2 + 0.5·0 − 0.5 = 2.5"
    assert t.values[node].item() == pytest.approx(2.5)


def test_several_filters_are_walked_one_after_the_other() -> None:
    w = numpy.stack([DIAGONAL[0], -DIAGONAL[0]])  # (2, 1, 2, 2)
    g, t, node = conv(w=w, b=(0.0, 1.0))
    assert window_count(g, t, node) == 8
    fifth = window_at(g, t, node, 4)
    assert (fifth.filter, fifth.row, fifth.col) == (1, 0, 0)
    assert fifth.sum_text() == "1·(−1) + 2·0 + 4·0 + 5·(−1) + 1 = −5"
    assert "filter 2" in fifth.narration(g, "en", "Forward 4/5")
    assert "필터 2" in fifth.narration(g, "ko", "순전파 4/5")


@pytest.mark.parametrize("x, w", [
    (numpy.ones((2, 1, 3, 3)), DIAGONAL),  # a batch of two
    (numpy.ones((1, 2, 3, 3)), numpy.ones((1, 2, 2, 2))),  # two channels
    (numpy.ones((1, 1, MAX_SIDE + 1, MAX_SIDE + 1)), DIAGONAL),  # too big to print
    (numpy.ones((1, 1, 5, 5)), numpy.ones((1, 1, 4, 4))),  # 16 products in a window
])
def test_a_conv_too_big_to_print_has_no_sub_steps(x, w) -> None:  # noqa: ANN001
    g, t, node = conv(x=x, w=w, b=(0.0,) * w.shape[0])
    assert window_count(g, t, node) == 0
    step = 1 + t.order.index(node)
    assert next_position(g, t, step - 1, None, 1) == (step, None)
    assert next_position(g, t, step, None, 1) == (step + 1, None)


def test_arrows_walk_into_through_and_out_of_the_windows() -> None:
    g, t, node = conv()
    step = 1 + [e.node for e in t.forward].index(node)
    walk, pos = [], (0, None)
    while pos[0] < t.phase_end("forward"):
        pos = next_position(g, t, *pos, 1)
        walk.append(pos)
    assert walk == [(1, None), (2, None), (3, None), (step, 0), (step, 1), (step, 2), (step, 3), (step + 1, None)]
    back = [next_position(g, t, *p, -1) for p in walk[1:]]
    assert back == [(1, None), (2, None), (3, None), (step, 0), (step, 1), (step, 2), (step, 3)]
    assert next_position(g, t, step, None, -1) == (step - 1, None)  # a jump landed on the whole step
    end = t.phase_end("done")
    assert next_position(g, t, end, None, 1) == (end, None) and next_position(g, t, 0, None, -1) == (0, None)


def test_the_frame_of_a_window_carries_it_and_its_narration() -> None:
    g, t, node = conv()
    step = 1 + [e.node for e in t.forward].index(node)
    whole = frame_at(g, t, step)
    assert whole.window is None and "window" not in whole.narration_en
    f = frame_at(g, t, step, 0)
    assert f.window.index == 0 and f.current_node == node and node in f.values
    assert f.narration_en.startswith(f"Forward {step}/") and f.narration_en.endswith("1·1 + 2·0 + 4·0 + 5·1 = 6")
    assert "창 1/4" in f.narration_ko and "1행 1열" in f.narration_ko
    assert frame_at(g, t, step + 1, 0).window is None  # the output step has no windows

