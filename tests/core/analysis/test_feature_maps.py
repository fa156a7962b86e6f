"""A trained CNN's filters and feature maps: the numbers each image holds, the layer choice and its refusals."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.analysis.feature_maps import MAX_IMAGES, feature_maps, filter_grid, trained_filters, trained_maps
from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.examples import load_example
from graphapp.core.executor import Executor
from graphapp.core.train.errors import OptionError
from kernels import conv as kc
from tests.core.test_messages import assert_korean


@pytest.fixture(scope="module")
def cnn_run():  # noqa: ANN201
    return run_lab(LabOptions("lenet_digits", "digits", steps=20, batch_size=64))


def test_filters_are_the_trained_weights_filter_by_filter(cnn_run) -> None:  # noqa: ANN001
    grid = trained_filters(cnn_run)
    k1 = cnn_run.result.params["K1"]
    assert grid.kind == "filters" and grid.layer == "conv1" and grid.total == 16
    numpy.testing.assert_array_equal(grid.images, k1[:, 0])
    assert not numpy.array_equal(k1, cnn_run.graph.nodes["K1"].value)  # trained, not the starting values
    second = trained_filters(cnn_run, "conv2")  # 32 filters × 16 input channels: the first 64 kept
    assert second.total == 512 and len(second.images) == MAX_IMAGES and second.titles[:2] == ("1·1", "1·2")
    numpy.testing.assert_array_equal(second.images[17], cnn_run.result.params["K2"][1, 1])


def test_feature_maps_are_the_layer_output_for_one_test_row(cnn_run) -> None:  # noqa: ANN001
    grid = trained_maps(cnn_run, row=3)
    pixels = cnn_run.prepared.test.x[3].reshape(8, 8) / 16.0
    numpy.testing.assert_allclose(grid.source, pixels)
    p = cnn_run.result.params
    conv = kc.conv2d.forward(numpy, [pixels[None, None], p["K1"], p["c1"]], {"stride": 1, "padding": "same"})[0]
    numpy.testing.assert_allclose(grid.images, conv[0], rtol=1e-12, atol=1e-12)
    relu = trained_maps(cnn_run, "C1", row=3)  # by label: the conv's ReLU
    numpy.testing.assert_allclose(relu.images, numpy.maximum(conv[0], 0), atol=1e-12)


def test_maps_of_an_example_graph_with_its_own_values() -> None:
    g = load_example("conv_lecture")
    grid = feature_maps(g, {}, {}, "same")
    assert grid.images[0].tolist() == [[12, 16, 9], [24, 28, 15], [15, 17, 9]]
    assert grid.source.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert filter_grid(g, {}, "valid").images.tolist() == [[[1, 1], [1, 1]]]
    assert Executor(g).run().values["same"].shape == (1, 1, 3, 3)


@pytest.mark.parametrize(("call", "message"), [
    (lambda g: filter_grid(g, {}, "nope"), "--layer 'nope': no node has that id or label (conv layers: valid, same)"),
    (lambda g: filter_grid(g, {}, "L"), "--layer 'L': filters belong to a conv2d node, not a output node "
                                        "(conv layers: valid, same)"),
    (lambda g: feature_maps(g, {}, {}, "cost"), "--layer 'cost': feature maps need a node of shape (N, C, H, W); "
                                               "'cost' has ()"),
])
def test_a_bad_layer_is_refused_naming_the_option(call, message: str) -> None:  # noqa: ANN001
    with pytest.raises(OptionError) as err:
        call(load_example("conv_lecture"))
    assert str(err.value) == message
    assert_korean(str(err.value))


def test_a_model_without_convolutions_and_a_bad_row_are_refused(cnn_run) -> None:  # noqa: ANN001
    mlp = run_lab(LabOptions("mlp", "moons", steps=2))
    with pytest.raises(OptionError) as err:
        trained_filters(mlp)
    assert str(err.value).startswith("--layer: the model has no conv2d node")
    assert_korean(str(err.value))
    with pytest.raises(OptionError) as err:
        trained_maps(cnn_run, row=10_000)
    assert str(err.value) == "--row 10000: the test rows are 0..358"
    assert_korean(str(err.value))


def test_maps_of_a_block_trained_on_its_own_digits() -> None:
    run = run_lab(LabOptions("vgg_block", None, steps=2))
    grid = trained_maps(run, "C2", row=1)
    assert grid.images.shape == (8, 8, 8) and grid.source.shape == (8, 8) and grid.images.min() >= 0
    numpy.testing.assert_allclose(grid.source, run.graph.nodes["X"].value[1].reshape(8, 8) / 16)
    with pytest.raises(OptionError) as err:
        trained_maps(run, row=4)
    assert str(err.value) == "--row 4: the graph's own batch has rows 0..3"
    assert_korean(str(err.value))
