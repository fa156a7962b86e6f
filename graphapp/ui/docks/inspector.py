"""The selected node: labels, op, attributes (generated from the op's AttrSpec schema), its value
(editable for inputs, parameters and constants, errors inline) and, after a run, value and gradient."""
from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget,
)

import numpy

from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.numbers import shape_text, squeezed
from graphapp.core.ops import VALUE_OPS, AttrSpec
from graphapp.core.playback import Frame
from graphapp.core.values import as_value, parse_json, to_json
from graphapp.ui.canvas.display import node_params, params_text
from graphapp.ui.commands import ModelCommand, SetAttr, SetLabel, SetValue
from graphapp.ui.format import value_lines
from graphapp.ui.i18n import error_text, language, tr

Apply = Callable[[ModelCommand], str | None]  # runs an edit; returns the refusal reason, if any


def parse_attr(text: str) -> Any:
    """Text from an attribute field as JSON (empty: null; not JSON: the text itself). Judging the value is
    the model's job: Graph.set_attr refuses it with a message naming the attribute and what it expects."""
    text = text.strip()
    if text == "":
        return None
    try:  # bounded nesting: a pasted "[[[[…" is text for the model to refuse, not a RecursionError
        return parse_json(text, 8, StudioError)
    except (StudioError, ValueError):
        return text


def attr_text(value: Any) -> str:
    return "" if value is None else json.dumps(value) if isinstance(value, list) else str(value)


def array_lines(value: Any) -> str:
    """A computed value for the form: a number or matrix row by row; an array of more axes as its shape
    and its first matrix (a batch of images: the first channel of the first one)."""
    arr = numpy.asarray(value)
    shape = squeezed(arr.shape)
    if shape is not None:
        return value_lines(arr.reshape(shape))
    lead = (0,) * (arr.ndim - 2)
    return f"{shape_text(arr.shape)}\n{list(lead)}:\n{value_lines(arr[lead])}"


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #d0021b;")
    label.hide()
    return label


class Inspector(QScrollArea):
    def __init__(self, graph: Graph, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.apply = apply
        self.node_ids: list[str] = []
        self.frame: Frame | None = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form wraps to the dock
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.run_value = QLabel()
        self.run_grad = QLabel()
        self.rebuild()

    def set_nodes(self, ids: list[str]) -> None:
        self.node_ids = ids
        self.rebuild()

    def node_changed(self, node_id: str) -> None:
        if self.node_ids == [node_id]:
            self.rebuild()

    def set_frame(self, frame: Frame | None) -> None:
        self.frame = frame
        self._show_run()

    # ---- building the form ------------------------------------------------------------------------
    def rebuild(self) -> None:
        self.node_ids = [n for n in self.node_ids if n in self.graph.nodes]
        body = QWidget()
        lay = QVBoxLayout(body)
        self.fields, self.errors = {}, {}
        if len(self.node_ids) != 1:
            text = tr("no_selection") if not self.node_ids else tr("many_selected", n=len(self.node_ids))
            hint = QLabel(text)
            hint.setWordWrap(True)
            lay.addWidget(hint)
            lay.addStretch(1)
            self.setWidget(body)
            return
        node = self.graph.nodes[self.node_ids[0]]
        spec = node.spec
        ko = language() == "ko"
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow docks: field under label
        form.addRow(tr("node_id"), QLabel(node.id))
        op = QLabel(f"{spec.symbol}  {spec.ko if ko else spec.en} ({spec.en if ko else spec.ko})")
        op.setWordWrap(True)  # a long name wraps instead of widening the dock past the window
        form.addRow(tr("node_op"), op)
        desc = QLabel(spec.description_ko if ko else spec.description_en)
        desc.setWordWrap(True)
        form.addRow(desc)
        shape = self._shape(node.id)
        if shape is not None:
            form.addRow(tr("shape"), QLabel(shape_text(shape)))  # [] for a number, as `info` prints it
        params = params_text(node_params(self.graph, node.id), "ko" if ko else "en")
        if params:
            form.addRow(QLabel(params))
        for key, text in (("label_en", node.label), ("label_ko", node.label_ko)):
            edit = QLineEdit(text)
            edit.editingFinished.connect(self._labels_edited)
            self.fields[key] = edit
            form.addRow(tr(key), edit)
        self.errors["label"] = error_label()
        form.addRow(self.errors["label"])
        lay.addLayout(form)
        if spec.attrs:
            box = QGroupBox(tr("attributes"))
            attrs = QFormLayout(box)
            attrs.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for a in spec.attrs:
                attrs.addRow(a.ko if ko else a.en, self._attr_editor(node.id, a, node.attrs.get(a.name)))
                self.errors[f"attr:{a.name}"] = error_label()
                attrs.addRow(self.errors[f"attr:{a.name}"])
            lay.addWidget(box)
        if node.op in VALUE_OPS:
            box = QGroupBox(tr("value"))
            vl = QVBoxLayout(box)
            edit = QLineEdit(json.dumps(to_json(node.value)))
            edit.setPlaceholderText(tr("value_hint"))
            edit.setToolTip(tr("value_hint"))
            edit.editingFinished.connect(self._value_edited)
            self.fields["value"] = edit
            self.errors["value"] = error_label()
            vl.addWidget(edit)
            vl.addWidget(self.errors["value"])
            lay.addWidget(box)
        box = QGroupBox(tr("computed"))
        rl = QFormLayout(box)
        rl.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # values can be wide matrices
        self.run_value, self.run_grad = QLabel(), QLabel()
        for label in (self.run_value, self.run_grad):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.run_grad.setStyleSheet("color: #d42a2a;")
        rl.addRow(tr("run_value"), self.run_value)
        rl.addRow(tr("run_grad"), self.run_grad)
        lay.addWidget(box)
        lay.addStretch(1)
        self.setWidget(body)
        self._show_run()

    def _shape(self, node_id: str) -> tuple[int, ...] | None:
        """The node's output shape as far as the graph knows it (None: an open input upstream)."""
        try:
            return self.graph.infer_shapes(partial=True).get(node_id)
        except StudioError:
            return None

    def _attr_editor(self, node_id: str, a: AttrSpec, value: Any) -> QWidget:
        if a.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda on, n=node_id, name=a.name: self._attr_edited(n, name, on))
            return box
        edit = QLineEdit(attr_text(value))
        self.fields[f"attr:{a.name}"] = edit

        def commit(n: str = node_id, spec: AttrSpec = a, e: QLineEdit = edit) -> None:
            if e.text().strip() == attr_text(self.graph.nodes[n].attrs.get(spec.name)):
                return
            self._attr_edited(n, spec.name, parse_attr(e.text()))

        edit.editingFinished.connect(commit)
        return edit

    # ---- edits --------------------------------------------------------------------------------------
    def _show_error(self, key: str, message: str | None) -> None:
        label = self.errors.get(key)
        if label is not None:
            label.setText(message or "")
            label.setVisible(bool(message))

    def _labels_edited(self) -> None:
        node = self.graph.nodes[self.node_ids[0]]
        en, ko = self.fields["label_en"].text().strip(), self.fields["label_ko"].text().strip()
        if (en, ko) != (node.label, node.label_ko):
            self._show_error("label", self.apply(SetLabel(self.graph, node.id, en, ko)))

    def _value_edited(self) -> None:
        node = self.graph.nodes[self.node_ids[0]]
        text = self.fields["value"].text()
        try:
            value = as_value(text, f"node '{node.id}' value")
        except StudioError as exc:
            self._show_error("value", error_text(exc))
            return
        if value.shape == node.value.shape and (value == node.value).all():
            self._show_error("value", None)
            return
        error = self.apply(SetValue(self.graph, node.id, value))
        self._show_error("value", error)  # on success the rebuild (node_changed) clears it anyway

    def _attr_edited(self, node_id: str, name: str, value: Any) -> None:
        self._show_error(f"attr:{name}", self.apply(SetAttr(self.graph, node_id, name, value)))

    def _show_run(self) -> None:
        if len(self.node_ids) != 1:
            return
        nid = self.node_ids[0]
        f = self.frame
        value = f.values.get(nid) if f else None
        grad = f.grads.get(nid) if f else None
        self.run_value.setText(array_lines(value) if value is not None else tr("not_yet"))
        self.run_grad.setText(array_lines(grad) if grad is not None else tr("not_yet"))
