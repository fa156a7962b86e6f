"""The built-in lecture examples: JSON graphs under assets/examples, loadable by name."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


def _example_path(name: str) -> Path:
    path = EXAMPLES_DIR / f"{name}.json"
    if not path.is_file():
        raise FileFormatError(f"no example named '{name}' (see: python main.py examples)")
    return path


def load_example(name: str) -> Graph:
    return fileio.load(_example_path(name))


def info(graph: Graph) -> ExampleInfo:
    meta = check_meta(graph.meta)
    return ExampleInfo(meta.get("name", ""), text(meta, "title", "en"), text(meta, "title", "ko"),
                       text(meta, "description", "en"), text(meta, "description", "ko"))


@lru_cache(maxsize=None)
def _info_of_file(path: Path, mtime_ns: int) -> ExampleInfo:
    return info(fileio.load(path))


def example_info(name: str) -> ExampleInfo:
    """An example's titles and descriptions without building its graph each time: every window fills its
    Examples menu at start and at each language change. Read again when the file changes."""
    path = _example_path(name)
    return _info_of_file(path, path.stat().st_mtime_ns)


def list_examples() -> list[ExampleInfo]:
    return [example_info(n) for n in example_names()]


def open_target(target: str) -> Graph:
    """A graph from a file path or, failing that, an example name."""
    path = Path(target)
    if path.suffix == ".json" or path.exists():
        return fileio.load(path)
    return load_example(target)
