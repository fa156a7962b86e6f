"""A training run on its own thread: the window stays responsive, Stop is a flag the trainer checks
before every update, and progress reaches the window as a throttled Qt signal (queued across threads)."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal

from graphapp.core.errors import StudioError
from graphapp.core.train.trainer import Progress, Trainer, TrainResult

PROGRESS_INTERVAL = 0.05  # seconds between progress signals: at most 20 redraws a second


class TrainThread(QThread):
    progress = Signal(int, int)  # step, total steps; the curves read the trainer's history (append-only)

    def __init__(self, trainer: Trainer, one_step: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trainer = trainer
        self.one_step = one_step
        self.stop_flag = threading.Event()
        self.result: TrainResult | None = None
        self.error: str | None = None
        self._last = 0.0

    def stop(self) -> None:
        self.stop_flag.set()

    def run(self) -> None:  # on the worker thread
        try:
            self.result = self.trainer.run(self.stop_flag, self._progress)
        except StudioError as exc:  # e.g. a value leaving an op's domain mid-run: a message, not a traceback
            self.error = str(exc)

    def _progress(self, p: Progress) -> None:
        if self.one_step:
            self.stop_flag.set()  # the trainer checks the flag before the next update: exactly one
        now = time.perf_counter()
        if now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.progress.emit(p.step, p.total_steps)
