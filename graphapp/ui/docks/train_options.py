"""What the Train dock's fields mean, Qt-free: parsing the typed text, loading and splitting the data,
and the trainer's configuration. Every bad entry is an OptionError naming its field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapp.core.train.data import Prepared, prepare
from graphapp.core.train.datasets import GENERATED, load_dataset
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.train.templates_rnn import STOCK_FILE
from graphapp.core.train.errors import OptionError
from graphapp.core.train.trainer import TrainConfig
from graphapp.ui.i18n import tr

OWN, CSV, CURRENT = "own", "csv", "current"


def parse_number(text: str, name: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise OptionError(tr("train_bad_number", field=name, text=text.strip())) from None


def parse_settings(text: str, name: str) -> dict[str, Any]:
    """'momentum=0.9, nesterov=true' → {'momentum': 0.9, 'nesterov': True}; the optimizer checks names."""
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise OptionError(tr("train_bad_setting", field=name, text=part))
        low = value.strip().lower()
        out[key.strip()] = low == "true" if low in ("true", "false") else parse_number(value, f"{name} {key.strip()}")
    return out


@dataclass(frozen=True)
class DataChoice:
    name: str  # OWN, a built-in name, or CSV
    size: int = 200
    csv_path: str = ""
    target: str = ""
    scale: str = "none"
    test_fraction: float = 0.2
    seed: int = 0

    def load(self, windowing: Windowing | None = None, model: str = "") -> Prepared | None:
        """The split and scaled data (None: the graph's own input values); with `windowing` (a stock model's
        recipe) a CSV file becomes windows split in time order."""
        if self.name == OWN:
            return None
        if self.name == CSV:
            if not self.csv_path.strip():
                raise OptionError(tr("train_no_csv"))
            target: str | int | None = self.target.strip() or None
            if isinstance(target, str) and target.lstrip("-").isdigit():
                target = int(target)
            if windowing is not None:
                return load_windows(self.csv_path, windowing, target, self.test_fraction, self.scale)
            data = load_dataset(self.csv_path, target=target)
        elif windowing is not None:
            raise OptionError(tr("train_needs_series", model=model, file=STOCK_FILE))
        else:
            data = load_dataset(self.name, size=self.size if self.name in GENERATED else 200, seed=self.seed)
        return prepare(data, self.test_fraction, self.seed, self.scale)


@dataclass(frozen=True)
class Options:
    data: DataChoice
    model: str  # CURRENT or a template name
    hidden: tuple[int, ...] = (10,)
    activation: str = "relu"
    optimizer: str = "sgd"
    settings: tuple[tuple[str, Any], ...] = ()  # lr and the others, hashable for comparison
    batch_size: int | None = None
    epochs: int | None = 10
    steps: int | None = None
    seed: int = 0
    # the mlp template's regularization (nodes in the graph it opens), and early stopping
    dropout: float = 0.0
    batch_norm: bool = False
    l2: float = 0.0
    validation_fraction: float = 0.0
    patience: int | None = None

    def template_settings(self) -> dict[str, Any]:
        """build_template's keywords for the model these options open."""
        return {"hidden": self.hidden, "activation": self.activation, "seed": self.seed, "dropout": self.dropout,
                "batch_norm": self.batch_norm, "l2": self.l2}

    def config(self) -> TrainConfig:
        return TrainConfig(self.optimizer, dict(self.settings), self.batch_size, self.epochs, self.steps, self.seed,
                           validation_fraction=self.validation_fraction, patience=self.patience)

    def run_key(self) -> tuple[Any, ...]:
        """What must stay the same for Start to continue a paused run rather than begin a new one."""
        return (self.data, self.optimizer, self.settings, self.batch_size, self.epochs, self.steps, self.seed,
                self.validation_fraction, self.patience)
