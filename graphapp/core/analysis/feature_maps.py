"""A trained CNN's filters and feature maps as grids of small images (what `plot filters|maps` draws).

Filters: the weights of one conv layer, one kh×kw image per (filter, input channel). Feature maps: one
example run forward through the trained network, and the output of one layer, one image per channel,
beside the example's own picture. The layer is a conv2d node by default (the first), or any node whose
value is (N, C, H, W) (`--layer C1` for the conv's ReLU). At most MAX_IMAGES images are kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy

from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.train.errors import OptionError
from graphapp.core.train.trainer import clone_with
from kernels.backend import to_numpy

if TYPE_CHECKING:
    from graphapp.core.analysis.lab import LabRun

MAX_IMAGES = 64


@dataclass(frozen=True)
class ImageGrid:
    kind: str  # "filters" or "maps"
    layer: str  # the node shown
    images: numpy.ndarray  # (count, h, w)
    titles: tuple[str, ...]
    total: int  # images before the MAX_IMAGES cut
    source: numpy.ndarray | None = None  # maps: the example's first input channel (H, W)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "layer": self.layer, "total": self.total, "titles": list(self.titles),
                "images": self.images.tolist(), "source": None if self.source is None else self.source.tolist()}


def conv_layers(graph: Graph) -> list[str]:
    return [n for n in graph.topo_order() if graph.nodes[n].op == "conv2d"]


def _layer(graph: Graph, layer: str | None, conv_only: bool) -> str:
    """The node to show: `layer` by id or label, else the first conv2d node; OptionError naming --layer."""
    convs = conv_layers(graph)
    if layer is None:
        if not convs:
            raise OptionError("--layer: the model has no conv2d node; filters and feature maps need a CNN "
                              "(such as lenet_digits)")
        return convs[0]
    found = [n for n, node in graph.nodes.items() if layer in (n, node.label)]
    if len(found) != 1:
        raise OptionError(f"--layer '{layer}': no node has that id or label (conv layers: {', '.join(convs) or 'none'})")
    nid = found[0]
    if conv_only and graph.nodes[nid].op != "conv2d":
        raise OptionError(f"--layer '{layer}': filters belong to a conv2d node, not a {graph.nodes[nid].op} node "
                          f"(conv layers: {', '.join(convs) or 'none'})")
    if len(graph.infer_shapes()[nid]) != 4:
        raise OptionError(f"--layer '{layer}': feature maps need a node of shape (N, C, H, W); '{nid}' has "
                          f"{graph.infer_shapes()[nid]}")
    return nid


def filter_grid(graph: Graph, params: dict[str, numpy.ndarray], layer: str | None = None) -> ImageGrid:
    """The trained filters of a conv layer: one image per (filter, input channel), filter by filter."""
    nid = _layer(graph, layer, conv_only=True)
    w_id = graph.source_of(nid, "W")
    w = numpy.asarray(params.get(w_id, graph.nodes[w_id].value), dtype=float)
    co, ci, kh, kw = w.shape
    titles = tuple(f"{o + 1}" if ci == 1 else f"{o + 1}·{c + 1}" for o in range(co) for c in range(ci))
    return ImageGrid("filters", nid, w.reshape(co * ci, kh, kw)[:MAX_IMAGES], titles[:MAX_IMAGES], co * ci)


def feature_maps(graph: Graph, params: dict[str, numpy.ndarray], feed: dict[str, numpy.ndarray],
                 layer: str | None = None, row: int = 0) -> ImageGrid:
    """One layer's output, channel by channel, for example `row` of the batch (`feed`: the data inputs'
    values; empty: the graph's own); its input picture is the first conv's input, first channel."""
    nid = _layer(graph, layer, conv_only=False)
    trace = Executor(clone_with(graph, {**params, **feed})).run(backward=False, record=False)
    batch = numpy.asarray(trace.values[nid], dtype=float)
    if not 0 <= row < len(batch):
        raise OptionError(f"--row {row}: the graph's own batch has rows 0..{len(batch) - 1}")
    maps = batch[row]
    convs = conv_layers(graph)
    source = None
    if convs:
        source = numpy.asarray(trace.values[graph.source_of(convs[0], "x")], dtype=float)[row, 0]
    titles = tuple(str(c + 1) for c in range(len(maps)))
    return ImageGrid("maps", nid, maps[:MAX_IMAGES], titles[:MAX_IMAGES], len(maps), source)


def trained_filters(run: "LabRun", layer: str | None = None) -> ImageGrid:
    return filter_grid(run.graph, _trained(run), layer)


def trained_maps(run: "LabRun", layer: str | None = None, row: int = 0) -> ImageGrid:
    """The maps for one example: row `row` of the test rows (of the training rows without a test split, of
    the graph's own batch when it trained on its own inputs)."""
    if run.prepared is None:
        return feature_maps(run.graph, _trained(run), {}, layer, row)
    rows = run.prepared.test or run.data
    if not 0 <= row < rows.n:
        raise OptionError(f"--row {row}: the {'test' if run.prepared.test else 'training'} rows are 0..{rows.n - 1}")
    t, g = run.trainer, run.graph
    feed = {t.x_id: rows.x[row:row + 1], t.y_id: numpy.zeros((1, *g.nodes[t.y_id].value.shape[1:]))}
    return feature_maps(g, _trained(run), feed, layer)


def _trained(run: "LabRun") -> dict[str, numpy.ndarray]:
    """The run's trained parameters and batch-norm statistics."""
    return {**run.result.params, **{k: to_numpy(v) for k, v in run.trainer.buffers.items()}}
