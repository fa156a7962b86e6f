"""What the Plots dock's tabs share: their texts and tooltips in both languages, a worker thread for the
slow computations, and a tab frame (controls above, reflowing to one column in a narrow dock, a message
line, the plot below, PNG+CSV export; the whole scrolling when the dock is short)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from graphapp.core.errors import StudioError
from graphapp.ui.docks.reflow import ReflowGrid, TallScroll, narrow
from graphapp.ui.i18n import error_text, language
from graphapp.ui.plots import export
from graphapp.ui.plots.common import PlotCanvas

TEXT = {  # key -> (English, Korean)
    "race": ("Race", "경주"), "histograms": ("Histograms", "히스토그램"),
    "landscape": ("Landscape", "손실 지형"), "boundary": ("Boundary", "결정 경계"),
    "filters": ("Filters", "필터"), "maps": ("Feature maps", "특징 맵"),
    "layer": ("Layer", "층"),
    "layer_tip": ("A conv2d node's id or label (empty: the first conv); for feature maps also any (N, C, H, W) "
                  "node, such as the conv's ReLU.",
                  "conv2d 노드의 아이디나 이름표 (비우면 첫 합성곱). 특징 맵은 합성곱의 ReLU처럼 모양이 "
                  "(N, C, H, W)인 어떤 노드도 됩니다."),
    "function": ("Function", "함수"),
    "function_tip": ("A built-in function of x and y: the lecture's x²/20 + y², Rosenbrock, Beale or a saddle.",
                     "x, y의 내장 함수: 강의의 x²/20 + y², Rosenbrock, Beale, 안장점."),
    "expr": ("f(x, y)", "f(x, y)"),
    "expr_tip": ("The function as an expression in x and y; edit it to race on any function, e.g. x**2 + 3*y**2.",
                 "x와 y로 쓴 함수 식. 고쳐 쓰면 어떤 함수에서도 경주합니다. 예: x**2 + 3*y**2"),
    "start": ("Start x, y", "시작점 x, y"),
    "start_tip": ("Where every optimizer starts.", "모든 최적화 기법이 출발하는 점."),
    "steps": ("Steps", "스텝 수"),
    "race_steps_tip": ("Updates per optimizer.", "최적화 기법마다 갱신하는 횟수."),
    "optimizers": ("Optimizers", "최적화 기법"),
    "optimizer_tip": ("Race {name} (its learning rate: the lecture's, else PyTorch's default).",
                      "{name}을(를) 경주에 넣습니다 (학습률: 강의의 값, 없으면 PyTorch 기본값)."),
    "run": ("Run", "실행"),
    "race_run_tip": ("Compute every path, then animate them step by step side by side.",
                     "모든 경로를 계산하고 나란히 한 스텝씩 움직여 보여 줍니다."),
    "play": ("Play", "재생"), "pause": ("Pause", "일시정지"),
    "play_tip": ("Play the race from the start, or pause it.", "경주를 처음부터 재생하거나 멈춥니다."),
    "export": ("Export PNG/CSV…", "PNG/CSV 내보내기…"),
    "export_tip": ("Save the plot as a PNG image and its numbers as a CSV file of the same name.",
                   "그림을 PNG로, 그 수치를 같은 이름의 CSV 파일로 저장합니다."),
    "export_filter": ("PNG image (*.png)", "PNG 그림 (*.png)"),
    "exported": ("Saved {png} and {csv}", "{png}, {csv} 파일을 저장했습니다"),
    "replace_csv": ("The plot's numbers are saved beside the picture as {csv}, which already exists. Replace it?",
                    "그림 옆에 그래프의 수치를 {csv} 파일로 저장하는데, 이 파일이 이미 있습니다. 바꿀까요?"),
    "no_optimizer": ("Optimizers: tick at least one.", "최적화 기법: 하나 이상 고르세요."),
    "step_of": ("step {step} / {total}", "스텝 {step} / {total}"),
    "activation": ("Activation", "활성화 함수"),
    "activation_tip": ("The hidden layers' activation: 5 layers of 100 units on 1,000 random inputs.",
                       "은닉층 활성화 함수: 무작위 입력 1,000개, 100유닛 층 5개."),
    "init": ("Weights", "가중치 초기화"),
    "init_tip": ("How the weights start; switching it redraws the histograms at once.",
                 "가중치의 초깃값. 바꾸면 히스토그램을 바로 다시 그립니다."),
    "seed": ("Seed", "시드"),
    "seed_tip": ("Seed of the random inputs and weights (same seed, same picture).",
                 "무작위 입력과 가중치의 시드 (같은 시드면 같은 그림)."),
    "hist_run_tip": ("Compute the activations of every layer.", "모든 층의 활성화 값을 계산합니다."),
    "model": ("Model", "모델"),
    "model_tip": ("The template trained on the data, sized from it.", "데이터에 맞춰 크기를 정해 학습할 템플릿."),
    "data": ("Data", "데이터"),
    "data_tip": ("A built-in data set (two features for a decision boundary).",
                 "내장 데이터 (결정 경계는 특성이 두 개인 데이터)."),
    "hidden": ("Hidden", "은닉층"),
    "hidden_tip": ("Hidden layer sizes for mlp, e.g. 16 or 32,16.", "mlp의 은닉층 크기. 예: 16, 32,16"),
    "optimizer": ("Optimizer", "최적화 기법"),
    "lab_optimizer_tip": ("The update rule, as PyTorch defines it.", "PyTorch와 같은 갱신 규칙."),
    "lr": ("Learning rate", "학습률"),
    "lr_tip": ("The step size lr (a number > 0).", "한 번에 움직이는 크기 lr (0보다 큰 수)."),
    "lab_steps_tip": ("Training updates before the picture is drawn.", "그림을 그리기 전에 학습할 갱신 횟수."),
    "grid": ("Grid", "격자"),
    "grid_tip": ("Points per side of the loss slice (the loss is evaluated grid² times).",
                 "손실 단면의 한 변 점 개수 (손실을 격자² 번 계산합니다)."),
    "lab_run_tip": ("Train off the window's thread, then draw the picture.",
                    "창과 다른 스레드에서 학습한 뒤 그림을 그립니다."),
    "stop": ("Stop", "중지"),
    "stop_tip": ("Stop the training; nothing is drawn.", "학습을 멈춥니다. 그림은 그리지 않습니다."),
    "stopped": ("Stopped; nothing was drawn.", "멈췄습니다. 그림은 그리지 않았습니다."),
    "computing": ("Training and drawing…", "학습하고 그리는 중…"),
    "bad_number": ("{field}: '{text}' is not a number > 0", "{field}: '{text}'은(는) 0보다 큰 수가 아닙니다"),
}


def t(key: str, **fmt: object) -> str:
    en, ko = TEXT[key]
    text = ko if language() == "ko" else en
    return text.format(**fmt) if fmt else text


class Worker(QThread):
    """Runs `job` off the window's thread; `result` or `error` (a StudioError's message) when finished."""

    def __init__(self, job: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.result: Any = None
        self.error: str | None = None

    def run(self) -> None:  # on the worker thread
        try:
            self.result = self.job()
        except StudioError as exc:
            self.error = error_text(exc)


PLOT_LEAST_HEIGHT = 260


class PlotTab(QWidget):
    """Controls in a grid, a Run/Export row, one message line and the plot, scrolling when the dock is
    short. Subclasses fill `form` and define run(), which computes and shows their plot."""

    kind = ""  # the plot kind of graphapp.ui.plots.export.build
    size = (1200, 800)  # the exported picture, in pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The dialogs are attributes so tests can replace them: nothing here may block a test.
        self.ask_path: Callable[[], str | None] = self._ask_path
        self.confirm_replace: Callable[[Path], bool] = self._confirm_replace
        self.data: Any = None
        self.canvas: PlotCanvas | None = None
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(TallScroll(body))
        self.form = ReflowGrid(2)
        self.layout_.addWidget(self.form)
        self.buttons = QHBoxLayout()
        self.run_button = QPushButton()
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)
        self.run_button.clicked.connect(lambda: self.run())  # each tab defines run()
        self.export_button.clicked.connect(self.export)
        self.buttons.addWidget(self.run_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.export_button)
        self.layout_.addLayout(self.buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.plot_box = QVBoxLayout()
        self.layout_.addLayout(self.plot_box, 1)

    def add_field(self, key: str, widget: QWidget) -> QWidget:
        """A labelled field, in the next cell of the form."""
        self.labels[key] = QLabel()
        self.fields[key] = narrow(widget)
        self.form.add(self.labels[key], widget)
        return widget

    def set_tip(self, key: str, tip: str) -> None:
        self.labels[key].setText(t(key))
        self.labels[key].setToolTip(tip)
        self.fields[key].setToolTip(tip)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C0392B;" if error else "")
        self.message.setText(text)

    def show_data(self, data: Any) -> None:
        """Draw `data` in a fresh plot widget of the current language (the old one is dropped)."""
        self.data = data
        canvas = export.build(self.kind, data, language())
        if self.canvas is not None:
            self.plot_box.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = canvas
        canvas.setMinimumHeight(PLOT_LEAST_HEIGHT)
        # the plot takes the height there is, asking for none beyond its least: a tall size hint would make
        # the tab scroll in a dock that has room for everything
        canvas.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.plot_box.addWidget(canvas)
        self.export_button.setEnabled(True)

    def retranslate(self) -> None:
        self.run_button.setText(t("run"))
        self.export_button.setText(t("export"))
        self.export_button.setToolTip(t("export_tip"))
        if self.canvas is not None and self.canvas.lang != language():
            self.show_data(self.data)  # the plot's own titles and axes follow the window's language

    def export(self) -> None:
        path = self.ask_path()
        if not path or self.data is None:
            return
        # The save dialog asked about the picture only; the numbers go beside it under the same name, and an
        # existing file there (the lab's stock.csv, say) is replaced only when the user says so.
        numbers = Path(path).with_suffix(".csv")
        if numbers.exists() and not self.confirm_replace(numbers):
            return
        try:
            out = export.export_plot(self.kind, self.data, path, self.size, language())
        except (StudioError, OSError) as exc:
            self.say(error_text(exc), error=True)
            return
        self.say(t("exported", png=out.name, csv=out.with_suffix(".csv").name))

    def _confirm_replace(self, numbers: Path) -> bool:
        answer = QMessageBox.question(self, t("export"), t("replace_csv", csv=numbers.name),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, t("export"), str(Path.home() / f"{self.kind}.png"),
                                              t("export_filter"))
        if path and not path.lower().endswith(".png"):
            path += ".png"
        return path or None

    def shutdown(self) -> None:
        """Called when the window closes: finish any computation still running."""
