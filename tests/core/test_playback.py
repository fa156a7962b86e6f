"""Playback: frames are pure functions of the trace, so stepping back shows the same picture."""
from __future__ import annotations

from graphapp.core.examples import load_example
from graphapp.core.executor import Executor
from graphapp.core.playback import frame_at


def test_playback_frames_step_back_to_the_same_picture() -> None:
    g = load_example("apple_tax")
    t = Executor(g).run()
    f5, f8 = frame_at(g, t, 5), frame_at(g, t, 8)
    assert f8.phase == "backward" and f8.current_edge == ("mul_1", "mul_2", "a")
    assert f8.edge_text(("mul_1", "mul_2", "a")) == "1 × 1.1 = 1.1"
    assert f8.narration_en.startswith("Backward 2/5 · ∂L/∂(apple price·apple count) = ∂L/∂(apple price·apple "
                                      "count·tax) × ∂(apple price·apple count·tax)/∂(apple price·apple count) "
                                      "= 1 × 1.1 = 1.1")
    assert "곱셈 노드는" in f8.narration_ko
    assert "mul_2" not in f5.values or f5.values["mul_2"] is not None
    assert frame_at(g, t, 7) == frame_at(g, t, 7) and frame_at(g, t, 7).edge_grads.keys() < f8.edge_grads.keys()
    assert frame_at(g, t, 0).values == {} and frame_at(g, t, 11).phase == "done"
