"""The Train dock's fields: data, model, optimizer and run length, regularization and early stopping, with
tooltips in both languages.
`options()` reads them into train_options.Options (an OptionError names the field at fault)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSpinBox, QWidget,
)

from graphapp.core.analysis.lab import parse_hidden
from graphapp.core.train.datasets import GATES, GENERATED, NAMES
from graphapp.core.train.errors import OptionError
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer
from graphapp.core.train.templates import ACTIVATIONS, TEMPLATES, TITLES
from graphapp.ui.docks.train_options import CSV, CURRENT, OWN, DataChoice, Options, parse_number, parse_settings
from graphapp.core.train.templates_rnn import HIHELLO_HIDDEN, OWN_DATA, RNN_TEMPLATES, SEQUENCE_DATA, STOCK_HIDDEN, \
    TRAINING
from graphapp.ui.i18n import language, tr

OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "Momentum", "nag": "Nesterov (NAG)", "adagrad": "AdaGrad",
                    "rmsprop": "RMSProp", "adadelta": "AdaDelta", "adam": "Adam", "nadam": "NAdam"}
SCALES = ("none", "minmax", "standard")
TEST_FRACTION = 0.2  # the CLI's default; the four-row gate sets (xor, and, or) train on every row
COLUMN_BREAKS = (0, 7, 15)  # fields 0..6 describe the data, 7..14 the model and the run, the rest regularization
HIDDEN_MODELS = ("mlp", "xor_net", *RNN_TEMPLATES)  # the templates whose hidden size can be chosen


def _row(wide: QWidget, narrow: QWidget) -> QWidget:
    """Two fields on one form line, the first taking the spare width."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(wide, 1)
    row.addWidget(narrow)
    box = QWidget()
    box.setLayout(row)
    return box


class TrainForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The file dialog is an attribute so tests can replace it: nothing here may block a test.
        self.ask_csv_path: Callable[[], str | None] = self._ask_csv_path
        self._build()
        self.retranslate()
        self.sync_enabled()

    def _build(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.data = QComboBox()
        for key in (OWN, *NAMES, CSV):
            self.data.addItem(key, key)
        self.data.setCurrentIndex(self.data.findData("xor"))
        self._last_data = "xor"
        self.size = QSpinBox()
        self.size.setRange(4, 1_000_000)
        self.size.setValue(200)
        self.csv_path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.csv_box = _row(self.csv_path, self.browse)
        self.target = QLineEdit()
        self.scale = QComboBox()
        for key in SCALES:
            self.scale.addItem(key, key)
        self.test_fraction = QDoubleSpinBox()
        self.test_fraction.setRange(0.0, 0.9)
        self.test_fraction.setSingleStep(0.05)
        self.test_fraction.setValue(0.0)  # the first data set is xor
        self.model = QComboBox()
        for key in (CURRENT, *TEMPLATES):
            self.model.addItem(key, key)
        self.hidden = QLineEdit("10")
        self.activation = QComboBox()
        for key in ACTIVATIONS:
            self.activation.addItem(key, key)
        self.optimizer = QComboBox()
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_TITLES.get(key, key), key)
        self.lr = QLineEdit("0.1")
        self.settings = QLineEdit()
        self.batch = QSpinBox()
        self.batch.setRange(0, 1_000_000)  # 0 shows as "full"
        self.length_kind = QComboBox()
        self.length_kind.addItem("epochs", "epochs")
        self.length_kind.addItem("steps", "steps")
        self.length = QSpinBox()
        self.length.setRange(1, 10_000_000)
        self.length.setValue(100)
        self.length_box = _row(self.length, self.length_kind)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(0.0, 0.99)
        self.dropout.setSingleStep(0.1)
        self.batch_norm = QCheckBox()
        self.l2, self.weight_decay = QLineEdit("0"), QLineEdit("0")
        self.validation = QDoubleSpinBox()
        self.validation.setRange(0.0, 0.9)
        self.validation.setSingleStep(0.05)
        self.patience = QSpinBox()
        self.patience.setRange(0, 100_000)  # 0 shows as "off"

        # two columns, the data and the run, beside each other in a wide dock and one above the other in a tall one
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)  # the dock opens tall, at the right
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.fields = {"data": self.data, "size": self.size, "csv": self.csv_box, "target": self.target,
                       "scale": self.scale, "test": self.test_fraction, "seed": self.seed,
                       "model": self.model, "hidden": self.hidden, "activation": self.activation,
                       "optimizer": self.optimizer, "lr": self.lr, "settings": self.settings, "batch": self.batch,
                       "length": self.length_box, "dropout": self.dropout, "batch_norm": self.batch_norm,
                       "l2": self.l2, "weight_decay": self.weight_decay, "validation": self.validation,
                       "patience": self.patience}
        for i, key in enumerate(self.fields):
            if i in COLUMN_BREAKS:
                form = QFormLayout()
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                self.columns.addLayout(form, 1)
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], self.fields[key])
        for combo in self.findChildren(QComboBox):  # narrow columns: long item texts elide, the curves get the room
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        for edit in (self.csv_path, self.target, self.hidden, self.lr, self.settings, self.l2, self.weight_decay):
            edit.setMinimumWidth(60)
        self.data.currentIndexChanged.connect(self._data_changed)
        self.model.currentIndexChanged.connect(self._model_changed)
        self.optimizer.currentIndexChanged.connect(self._optimizer_changed)

    def retranslate(self) -> None:
        for key, label in self.labels.items():
            tip_key = {"test": "train_test_tip", "csv": "train_csv_tip"}.get(key, f"train_{key}_tip")
            name_key = {"test": "train_test", "csv": "train_csv"}.get(key, f"train_{key}")
            label.setText(tr(name_key))
            tip = self._settings_tip() if key == "settings" else tr(tip_key)
            label.setToolTip(tip)
            self.fields[key].setToolTip(tip)
        for i in range(self.data.count()):
            key = self.data.itemData(i)
            self.data.setItemText(i, tr("train_data_own") if key == OWN else tr("train_data_csv") if key == CSV
                                  else key)
        ko = language() == "ko"
        for i in range(self.model.count()):
            key = self.model.itemData(i)
            self.model.setItemText(i, tr("train_model_current") if key == CURRENT
                                   else f"{TITLES[key][1 if ko else 0]} ({key})")
        for i, key in enumerate(SCALES):
            self.scale.setItemText(i, tr(f"train_scale_{key}"))
        for i, key in enumerate(("epochs", "steps")):
            self.length_kind.setItemText(i, tr(f"train_{key}"))
        self.batch.setSpecialValueText(tr("train_full"))
        self.patience.setSpecialValueText(tr("train_off"))
        self.target.setPlaceholderText(tr("train_target_hint"))
        self.settings.setPlaceholderText(tr("train_settings_hint"))
        self.browse.setText(tr("train_browse"))
        self.browse.setToolTip(tr("train_browse_tip"))
        # one label width for the three forms: stacked in a tall dock, their fields then start in one line
        widest = max(label.sizeHint().width() for label in self.labels.values())
        for label in self.labels.values():
            label.setMinimumWidth(widest)

    def _settings_tip(self) -> str:
        cls = OPTIMIZERS[self.optimizer.currentData()]
        settings = ", ".join(f"{k}={v}" for k, v in cls.defaults.items() if k != "lr")
        return tr("train_settings_tip", name=OPTIMIZER_TITLES[cls.name], settings=settings)

    def _optimizer_changed(self) -> None:
        self.lr.setText(f"{OPTIMIZERS[self.optimizer.currentData()].defaults['lr']:g}")
        self.settings.clear()
        tip = self._settings_tip()
        self.settings.setToolTip(tip)
        self.labels["settings"].setToolTip(tip)

    def sync_enabled(self) -> None:
        """Only the fields that apply to the chosen data and model can be edited."""
        data, model = self.data.currentData(), self.model.currentData()
        self.size.setEnabled(data in GENERATED)
        for w in (self.csv_box, self.target):
            w.setEnabled(data == CSV)
        for w in (self.scale, self.test_fraction):
            w.setEnabled(data != OWN)
        self.hidden.setEnabled(model in HIDDEN_MODELS)
        for w in (self.activation, self.dropout, self.batch_norm, self.l2):
            w.setEnabled(model == "mlp")

    def options(self) -> Options:
        seed = self.seed.value()
        data = DataChoice(self.data.currentData(), self.size.value(), self.csv_path.text(), self.target.text(),
                          self.scale.currentData(), round(self.test_fraction.value(), 4), seed)
        model = self.model.currentData()
        hidden = parse_hidden(self.hidden.text(), tr("train_hidden")) if model in HIDDEN_MODELS else (10,)
        settings = {"lr": parse_number(self.lr.text(), tr("train_lr")),
                    **parse_settings(self.settings.text(), tr("train_settings"))}
        decay = parse_number(self.weight_decay.text(), tr("train_weight_decay"))
        if decay:
            if "weight_decay" in settings:
                raise OptionError(tr("train_weight_decay_twice"))
            settings["weight_decay"] = decay
        make_optimizer(self.optimizer.currentData(), **settings)  # its settings checked before any data is read
        mlp = model == "mlp"  # the regularization fields are the mlp template's settings
        l2 = parse_number(self.l2.text(), tr("train_l2")) if mlp else 0.0
        length = self.length.value()
        by_epochs = self.length_kind.currentData() == "epochs"
        return Options(data, model, hidden, self.activation.currentData(), self.optimizer.currentData(),
                       tuple(sorted(settings.items())), self.batch.value() or None,
                       length if by_epochs else None, None if by_epochs else length, seed,
                       round(self.dropout.value(), 4) if mlp else 0.0, mlp and self.batch_norm.isChecked(), l2,
                       round(self.validation.value(), 4), self.patience.value() or None)

    def _model_changed(self) -> None:
        """A recurrent template fills in the lab's settings: its data (the stock file's windows, min-max, the
        last 30% for validation; hihello's own), Adam, its learning rate and steps, its hidden size."""
        model = self.model.currentData()
        if model in RNN_TEMPLATES:
            if model in OWN_DATA:
                self.data.setCurrentIndex(self.data.findData(OWN))
            elif model in SEQUENCE_DATA:
                self.scale.setCurrentIndex(self.scale.findData("minmax"))
                self.test_fraction.setValue(0.3)
            lr, steps = TRAINING[model]
            self.optimizer.setCurrentIndex(self.optimizer.findData("adam"))
            self.lr.setText(f"{lr:g}")
            self.length_kind.setCurrentIndex(self.length_kind.findData("steps"))
            self.length.setValue(steps)
            self.hidden.setText(str(HIHELLO_HIDDEN if model in OWN_DATA else STOCK_HIDDEN))
        self.sync_enabled()

    def _data_changed(self) -> None:
        data = self.data.currentData()
        if data in GATES:
            self.test_fraction.setValue(0.0)  # four rows: a held-out row would leave the lesson's table incomplete
        elif self._last_data in GATES:
            # the lab holds out the last 30% of a time series
            self.test_fraction.setValue(0.3 if self.model.currentData() in SEQUENCE_DATA else TEST_FRACTION)
        self._last_data = data
        self.sync_enabled()
        if data == CSV and not self.csv_path.text():
            self._browse()  # "CSV file…": the ellipsis promises the file dialog

    def _browse(self) -> None:
        path = self.ask_csv_path()
        if path:
            self.csv_path.setText(path)
            self.data.setCurrentIndex(self.data.findData(CSV))

    def use_current_graph(self) -> None:
        self.model.setCurrentIndex(self.model.findData(CURRENT))

    def _ask_csv_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, tr("train_csv"), str(Path.home()), tr("train_csv_filter"))
        return path or None
