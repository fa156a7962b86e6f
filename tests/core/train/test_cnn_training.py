"""What training a CNN needs beyond the layers: a conv weight's fan-in for He/Xavier, and scalar parameters
under the optimizers that update in place (the lectures' one-weight heads)."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.train.init import fans, initialize, make_initializer
from graphapp.core.train.optim import make_optimizer


def test_a_conv_weight_has_torchs_fans() -> None:
    """[C_out, C_in, kh, kw] as torch: fan-in C_in·kh·kw, fan-out C_out·kh·kw (torch.nn.init's rule)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle")
    w = torch.empty(16, 6, 5, 5)
    assert fans((16, 6, 5, 5)) == torch.nn.init._calculate_fan_in_and_fan_out(w) == (150, 400)
    assert fans((3, 4)) == (3, 4)  # a dense weight stays (in, out), our layout
    he = initialize({"K": (64, 8, 3, 3)}, make_initializer("he_normal"), seed=0)["K"]
    assert he.std() == pytest.approx(numpy.sqrt(2 / 72), rel=0.05)


@pytest.mark.parametrize("name", ["adam", "rmsprop", "adagrad", "momentum", "nadam", "adadelta"])
def test_scalar_parameters_update_as_one_element_arrays(name: str) -> None:
    opt, ref = make_optimizer(name, numpy), make_optimizer(name, numpy)
    p, q = {"w": numpy.asarray(1.0)}, {"w": numpy.asarray([1.0])}
    for g in (0.5, -0.25, 2.0):
        p = opt.step(p, {"w": numpy.asarray(g) * p["w"]})
        q = ref.step(q, {"w": numpy.asarray([g]) * q["w"]})
        assert p["w"].shape == () and float(p["w"]) == float(q["w"][0])
