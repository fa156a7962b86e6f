"""The Sequences tab: a recurrent template trained off the window's thread (as `plot series|hidden`), then
its predicted-against-true series on the test span, or its hidden state over time for one input."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from graphapp.core.analysis.lab import LabOptions, parse_hidden, run_lab
from graphapp.core.analysis.recurrent import HiddenStates
from graphapp.core.train.templates_rnn import HIHELLO_HIDDEN, OWN_DATA, RNN_TEMPLATES, STOCK_HIDDEN, TRAINING
from graphapp.ui.docks.plots_common import t
from graphapp.ui.docks.plots_lab import LabTab, _positive
from graphapp.ui.docks.reflow import narrow
from graphapp.ui.i18n import language

TEXT = {  # key -> (English, Korean)
    "sequences": ("Sequences", "시퀀스"),
    "picture": ("Picture", "그림"),
    "picture_tip": ("Predicted and true values on the test span (a stock model), or the hidden state over "
                    "time for one input (time × unit).",
                    "테스트 구간의 예측값과 실제값(주가 모델), 또는 입력 하나에 대한 시간별 은닉 상태(시점 × 유닛)."),
    "series": ("predicted vs true", "예측값 대 실제값"),
    "hidden": ("hidden state", "은닉 상태"),
    "csv": ("CSV file", "CSV 파일"),
    "csv_tip": ("The time series, e.g. the lab's data-02-stock_daily.csv (7-day windows, newest row first, "
                "the last 30% for testing); hihello_rnn brings its own.",
                "시계열 파일. 예: 실습의 data-02-stock_daily.csv (7일 창, 최신 행이 먼저, 마지막 30%로 테스트). "
                "hihello_rnn은 자체 데이터를 씁니다."),
    "browse": ("Browse…", "찾아보기…"),
    "browse_tip": ("Choose the CSV file of the time series.", "시계열 CSV 파일을 고릅니다."),
    "sample": ("Sample", "샘플"),
    "sample_tip": ("Which test window the hidden state is shown for (−1: the newest).",
                   "은닉 상태를 볼 테스트 창 번호 (−1: 가장 최근)."),
    "seq_model_tip": ("A recurrent template, trained with the lab's settings unless changed here.",
                      "순환 신경망 템플릿. 여기서 바꾸지 않으면 실습의 설정으로 학습합니다."),
    "seq_hidden_tip": ("The recurrent layer's state size.", "순환층의 상태 크기."),
}


def st(key: str) -> str:
    en, ko = TEXT[key]
    return ko if language() == "ko" else en


class SequenceTab(LabTab):
    """A LabTab for the recurrent templates: a CSV file instead of a built-in data set, and two pictures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("series", parent)
        self.ask_csv: Callable[[], str | None] = self._ask_csv  # replaced in tests: nothing may block
        self.model.clear()
        for key in RNN_TEMPLATES:
            self.model.addItem(key, key)
        self.data_name.hide()  # a built-in set has no time series: the file below takes its place
        self.labels["data"].hide()
        self.picture = QComboBox()
        for key in ("series", "hidden"):
            self.picture.addItem(key, key)
        self.csv_path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.csv_path, 1)
        row.addWidget(self.browse)
        self.csv_box = QWidget()
        self.csv_box.setLayout(row)
        self.sample = QSpinBox()
        self.sample.setRange(-1, 1_000_000)
        self.sample.setValue(-1)
        # labels of their own: LabTab.retranslate() sets the tips of the fields in self.labels from its texts
        self.own_labels = {key: QLabel() for key in ("picture", "csv", "sample")}
        for key, widget in (("picture", self.picture), ("csv", self.csv_box), ("sample", self.sample)):
            self.form.add(self.own_labels[key], narrow(widget))
        self.model.currentIndexChanged.connect(self._model_changed)
        self._model_changed()

    def _model_changed(self) -> None:
        model = self.model.currentData()
        if model is None:
            return
        lr, steps = TRAINING[model]
        self.lr.setText(f"{lr:g}")
        self.steps.setValue(steps)
        self.hidden.setText(str(HIHELLO_HIDDEN if model in OWN_DATA else STOCK_HIDDEN))
        self.optimizer.setCurrentIndex(self.optimizer.findData("adam"))
        self.csv_box.setEnabled(model not in OWN_DATA)
        if model in OWN_DATA:
            self.picture.setCurrentIndex(self.picture.findData("hidden"))  # no test span to compare on

    def _sync_enabled(self) -> None:
        self.hidden.setEnabled(True)

    def job(self) -> Callable[[], Any]:
        model = self.model.currentData()
        data = None if model in OWN_DATA else self.csv_path.text().strip() or None
        opts = LabOptions(model, data, hidden=parse_hidden(self.hidden.text()), optimizer=self.optimizer.currentData(),
                          lr=_positive(self.lr.text(), t("lr")), steps=self.steps.value())
        picture, sample, stop = self.picture.currentData(), self.sample.value(), self.stop_flag

        def compute() -> Any:  # None when stopped
            run = run_lab(opts, stop=stop)
            if stop.is_set():
                return None
            return run.series() if picture == "series" else run.hidden(None if sample < 0 else sample)
        return compute

    def show_data(self, data: Any) -> None:
        hidden = isinstance(data, HiddenStates)
        self.kind, self.size = ("hidden", (1000, 600)) if hidden else ("series", (1200, 600))
        super().show_data(data)

    def retranslate(self) -> None:
        super().retranslate()
        for key, label in self.own_labels.items():
            label.setText(st(key))
            label.setToolTip(st(f"{key}_tip"))
        self.labels["model"].setToolTip(st("seq_model_tip"))
        self.labels["hidden"].setToolTip(st("seq_hidden_tip"))
        for i in range(self.picture.count()):
            self.picture.setItemText(i, st(self.picture.itemData(i)))
        self.browse.setText(st("browse"))
        self.browse.setToolTip(st("browse_tip"))

    def _browse(self) -> None:
        path = self.ask_csv()
        if path:
            self.csv_path.setText(path)

    def _ask_csv(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, st("csv"), str(Path.home()), "CSV (*.csv)")
        return path or None
