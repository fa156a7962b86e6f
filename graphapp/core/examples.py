"""The built-in lecture examples: JSON graphs under assets/examples, loadable by name."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphapp.core import fileio
from graphapp.core.errors import FileFormatError
from graphapp.core.graph import Graph
from graphapp.core.meta import check_meta, text

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "examples"
# Menu order: from the first lecture's apples to the XOR network, then the CNN lectures.
ORDER = ("apple_tax", "apple_orange", "several_foods", "chain_rule", "linear_wx_b", "sigmoid",
         "sigmoid_decomposed", "logistic_update", "xor_neurons", "xor_matrix", "linear_cost",
         "conv_lecture", "maxpool_lecture", "vgg_block", "resnet_block")


@dataclass(frozen=True)
class ExampleInfo:
    name: str
    title_en: str
    title_ko: str
    description_en: str
    description_ko: str


def example_names() -> list[str]:
    found = {p.stem for p in EXAMPLES_DIR.glob("*.json")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


def load_example(name: str) -> Graph:
    path = EXAMPLES_DIR / f"{name}.json"
    if not path.is_file():
        raise FileFormatError(f"no example named '{name}' (see: python main.py examples)")
    return fileio.load(path)


def info(graph: Graph) -> ExampleInfo:
    meta = check_meta(graph.meta)
    return ExampleInfo(meta.get("name", ""), text(meta, "title", "en"), text(meta, "title", "ko"),
                       text(meta, "description", "en"), text(meta, "description", "ko"))


def list_examples() -> list[ExampleInfo]:
    return [info(load_example(n)) for n in example_names()]


def open_target(target: str) -> Graph:
    """A graph from a file path or, failing that, an example name."""
    path = Path(target)
    if path.suffix == ".json" or path.exists():
        return fileio.load(path)
    return load_example(target)
