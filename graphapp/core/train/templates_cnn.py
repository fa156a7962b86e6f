"""Convolutional templates: a LeNet-style CNN built as an ordinary graph, sized from an image data set.

The data set keeps one row per image (X is (N, C·H·W), as the digits' 64 pixels), so the graph starts with
a reshape to (N, C, H, W); then each conv block is conv2d → relu [→ max_pool2d], then flatten, dense
layers with relu, and the softmax cross-entropy head. Parameters are named as the lecture draws them:
K1, c1 the first filters and their biases, W1, b1 the first dense layer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy

from graphapp.core.graph import Graph
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import OptionError


@dataclass(frozen=True)
class ConvBlock:
    filters: int
    size: int  # F of an F×F filter
    padding: int | str = 0  # 'same', 'valid' or a number of zeros
    pool: int = 2  # the max-pooling window and stride after the relu (0: none)


# The digits are 8×8, too small for two pools: 16@3×3 'same' → pool (8 → 4) → 32@3×3 'same' → 512 → 64 → 10.
# (`train lenet_digits --data digits`, 10 epochs of Adam at its defaults: 96.9% test accuracy.)
LENET_DIGITS = (ConvBlock(16, 3, "same"), ConvBlock(32, 3, "same", pool=0))
LENET_DIGITS_DENSE = (64,)
# LeNet-5's shape on 28×28 (MNIST): 6@5×5 → pool → 16@5×5 → pool → 120 → 84 → 10.
LENET5 = (ConvBlock(6, 5), ConvBlock(16, 5))
LENET5_DENSE = (120, 84)


def image_shape(data: Dataset, channels: int = 1) -> tuple[int, int, int]:
    """(C, H, W) of the square images whose pixels are a data set's rows, or OptionError saying why not."""
    side = math.isqrt(data.n_features // channels) if data.n_features % channels == 0 else 0
    if side < 2 or channels * side * side != data.n_features:
        raise OptionError(f"a CNN template needs square images; '{data.name}' has {data.n_features} features, "
                          f"not {channels}·H·H pixels")
    return channels, side, side


def he(shape: tuple[int, ...], fan_in: int, rng: numpy.random.Generator) -> numpy.ndarray:
    """He/Kaiming normal, std √(2/fan_in): a conv filter's fan-in is C_in·F·F, a dense layer's D_in."""
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), shape)


def cnn(data: Dataset, blocks: Sequence[ConvBlock] = LENET_DIGITS, dense: Sequence[int] = LENET_DIGITS_DENSE,
        seed: int | None = 0, channels: int = 1, name: str = "lenet_digits") -> Graph:
    """X [× 1/max pixel] → reshape → [conv → relu → pool]* → flatten → [dense → relu]* → dense → softmax CE."""
    if data.task != "multiclass":
        raise OptionError(f"{name} needs a data set with classes; '{data.name}' is {data.task}")
    c, h, w = image_shape(data, channels)
    rng = numpy.random.default_rng(seed)
    g = Graph()
    g.add_node("input", "X", label="X", value=data.x)
    g.add_node("input", "Y", label="Y", value=data.y)
    g.add_node("reshape", "image", label="image", label_ko="이미지", attrs={"shape": [-1, c, h, w]})
    top = float(numpy.abs(data.x).max(initial=0.0))
    if top > 1.0:  # pixels as 0..1 (the digits' 0..16 over 16): He's initial scale then fits the data
        g.add_node("const", "pixel_scale", label=f"1/{top:g}", value=1.0 / top)
        g.add_node("mul", "pixels", label="pixels", label_ko="화소")
        g.connect("X", "pixels", "a")
        g.connect("pixel_scale", "pixels", "b")
        g.connect("pixels", "image", "x")
    else:
        g.connect("X", "image", "x")
    prev = "image"
    init: dict[str, dict[str, object]] = {}
    for i, b in enumerate(blocks, start=1):
        g.add_node("param", f"K{i}", label=f"K{i}", label_ko=f"필터 K{i}",
                   value=he((b.filters, c, b.size, b.size), c * b.size * b.size, rng))
        g.add_node("param", f"c{i}", label=f"c{i}", value=numpy.zeros(b.filters))
        g.add_node("conv2d", f"conv{i}", label=f"conv{i}", attrs={"stride": 1, "padding": b.padding})
        for port, src in (("x", prev), ("W", f"K{i}"), ("b", f"c{i}")):
            g.connect(src, f"conv{i}", port)
        g.add_node("relu", f"C{i}", label=f"C{i}")
        g.connect(f"conv{i}", f"C{i}", "x")
        prev = f"C{i}"
        if b.pool:
            g.add_node("max_pool2d", f"P{i}", label=f"P{i}", attrs={"kernel_size": b.pool, "stride": b.pool})
            g.connect(prev, f"P{i}", "x")
            prev = f"P{i}"
        init[f"K{i}"], init[f"c{i}"], c = {"kind": "he_normal"}, {"kind": "zeros"}, b.filters
    g.add_node("flatten", "flat", label="flat")
    g.connect(prev, "flat", "x")
    prev, width = "flat", g.infer_shapes()["flat"][1]
    widths = [width, *dense, data.n_classes]
    for i in range(1, len(widths)):
        last = i == len(widths) - 1
        g.add_node("param", f"W{i}", label=f"W{i}", value=he((widths[i - 1], widths[i]), widths[i - 1], rng))
        g.add_node("param", f"b{i}", label=f"b{i}", value=numpy.zeros(widths[i]))
        z = "logits" if last else f"Z{i}"
        g.add_node("dense", z, label=z)
        for port, src in (("x", prev), ("W", f"W{i}"), ("b", f"b{i}")):
            g.connect(src, z, port)
        prev = z
        if not last:
            g.add_node("relu", f"A{i}", label=f"A{i}")
            g.connect(z, f"A{i}", "x")
            prev = f"A{i}"
        init[f"W{i}"], init[f"b{i}"] = {"kind": "he_normal"}, {"kind": "zeros"}
    g.add_node("softmax_cross_entropy", "cost", label="cost", label_ko="비용")
    g.connect(prev, "cost", "logits")
    g.connect("Y", "cost", "target")
    convs = (f"{b.filters}@{b.size}×{b.size}" + (f" pool {b.pool}" if b.pool else "") for b in blocks)
    layers = " → ".join([f"{channels}×{h}×{w}", *convs, *(str(d) for d in widths[1:])])
    g.meta = {"name": name, "title": {"en": "LeNet-style CNN", "ko": "LeNet 방식의 합성곱 신경망"},
              "description": {"en": f"A LeNet-style CNN for '{data.name}': {layers} (each conv with relu, max "
                                    "pooling where named), softmax cross-entropy.",
                              "ko": f"'{data.name}'에 맞춘 LeNet 방식의 합성곱 신경망: {layers} (합성곱마다 relu와 "
                                    "2×2 최대 풀링), 소프트맥스 교차 엔트로피."},
              "train": {"x": "X", "y": "Y", "task": data.task, "init": init}}
    return g


def lenet_digits(data: Dataset, seed: int | None = 0) -> Graph:
    """The template `lenet_digits`: two 3×3 'same' conv layers (16 and 32 filters, one pool) and 64 hidden units."""
    return cnn(data, LENET_DIGITS, LENET_DIGITS_DENSE, seed)


CNN_TEMPLATES = {"lenet_digits": lenet_digits}
CNN_TITLES = {"lenet_digits": ("LeNet-style CNN", "LeNet 방식의 합성곱 신경망")}
