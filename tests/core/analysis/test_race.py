"""The optimizer race: paths equal a direct optimizer loop, the lecture's SGD steps by hand, bad input."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.analysis.race import FUNCTIONS, LECTURE_LR, Surface, parse_lrs, parse_optimizers, race
from graphapp.core.errors import ExpressionError, StudioError
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer


def lecture_grad(p: np.ndarray) -> np.ndarray:
    return np.array([p[0] / 10.0, 2.0 * p[1]])  # ∇(x²/20 + y²)


def test_sgd_on_the_lecture_function_matches_hand_computed_steps() -> None:
    path = race(Surface("lecture"), optimizers=["sgd"])[0]
    assert path.lr == 0.95 and len(path.points) == 31 and path.stopped is None
    # x ← x − 0.95·x/10, y ← y − 0.95·2y: (−7, 2) → (−6.335, −1.8) → (−5.733175, 1.62)
    np.testing.assert_allclose(path.points[:3], [(-7.0, 2.0), (-6.335, -1.8), (-5.733175, 1.62)], rtol=1e-12)
    np.testing.assert_allclose(path.values[0], 49 / 20 + 4)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_path_equals_a_direct_loop_of_the_optimizer(name: str) -> None:
    path = race(Surface("x**2/20 + y**2"), (-7.0, 2.0), [name], 30)[0]
    lr = LECTURE_LR.get(name, OPTIMIZERS[name].defaults["lr"])
    opt, p = make_optimizer(name, lr=lr), {"p": np.array([-7.0, 2.0])}
    expected = [p["p"]]
    for _ in range(30):
        p = opt.step(p, {"p": lecture_grad(p["p"])})
        expected.append(p["p"])
    np.testing.assert_allclose(path.points, expected, rtol=1e-12, atol=1e-14)


def test_lecture_defaults_and_the_named_functions() -> None:
    paths = race(Surface("lecture"))
    assert [p.optimizer for p in paths] == list(OPTIMIZERS)
    assert {p.optimizer: p.lr for p in paths}["adagrad"] == 1.5 and paths[0].points[0] == (-7.0, 2.0)
    assert paths[[p.optimizer for p in paths].index("adagrad")].values[-1] < 1e-2  # AdaGrad reaches the valley
    for key in FUNCTIONS:
        s = Surface(key)
        xs, ys, z = s.grid(21)
        assert z.shape == (21, 21) and np.isfinite(z).all()
        assert z[3, 5] == pytest.approx(s.value(xs[5], ys[3]))  # Z[i, j] is f(xs[j], ys[i])
    assert Surface("rosenbrock").value(1.0, 1.0) == 0.0 and Surface("beale").value(3.0, 0.5) == pytest.approx(0.0)


def test_a_typed_function_with_a_domain_has_holes_and_a_path_that_stops() -> None:
    s = Surface("log(x) + y**2")
    xs, _, z = s.grid(11, (-1.0, 1.0, -1.0, 1.0))
    assert np.isnan(z[:, xs <= 0]).all() and np.isfinite(z[:, xs > 0]).all()
    path = race(s, (1.0, 1.0), ["sgd"], 5, {"sgd": 0.95})[0]
    assert path.stopped and len(path.points) < 6  # 1 − 0.95 = 0.05, then 0.05 − 0.95·20 < 0: outside log's domain
    with pytest.raises(StudioError, match="--start"):
        race(s, (-1.0, 0.0), ["sgd"], 5)


@pytest.mark.parametrize(("text", "message"), [("x +", "column"), ("a*x", "'a' is not x or y"),
                                                ("3", "neither x nor y")])
def test_bad_functions_are_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        Surface(text)


def test_learning_rates_and_optimizer_lists() -> None:
    assert parse_lrs("0.5", ["sgd", "adam"]) == {"sgd": 0.5, "adam": 0.5}
    assert parse_lrs("adam=0.1", ["sgd", "adam"]) == {"sgd": 0.95, "adam": 0.1}
    assert parse_lrs(None, ["nadam"]) == {"nadam": 0.002}
    assert parse_optimizers("Adam, sgd") == ["adam", "sgd"]
    for bad in ("foo=1", "adam=x", "-1", "nan", "momentum=0.1"):
        with pytest.raises(StudioError, match="--lr"):
            parse_lrs(bad, ["sgd", "adam"])
    for bad in ("sgd,bogus", "sgd,sgd"):
        with pytest.raises(StudioError, match="--optimizers"):
            parse_optimizers(bad)
    with pytest.raises(StudioError, match="--steps"):
        race(Surface("lecture"), steps=0)


def test_a_stopped_path_names_its_optimizer_and_point_not_node_ids() -> None:
    from graphapp.core.messages import localize

    path = race(Surface("exp(x*y)"), (3.0, 3.0), ["sgd"], 20, {"sgd": 5.0})[0]
    assert path.stopped == ("optimizer 'sgd', step 1: f(-1.215e+05, -1.215e+05) or its gradient is not a finite "
                            "number (the path diverged)")
    assert localize(path.stopped, "ko").startswith("최적화기 'sgd', 1단계: f(-1.215e+05, -1.215e+05) 또는 그 기울기")
    with pytest.raises(StudioError) as err:
        race(Surface("log(x)"), (-1.0, 1.0), ["sgd"], 5)
    assert str(err.value) == "--start -1,1: f is undefined at (-1, 1) (outside the function's domain)"
