"""The graph file format (JSON, versioned): reading with precise errors, atomic writing.

See docs/file-format.md. A reader builds a fresh Graph through the model's own edit methods, so a
file gets exactly the checks an edit gets (cycles, shapes, unknown ops); on any error the caller's
open graph is untouched, because nothing is assigned until the whole file has been read.
"""
from __future__ import annotations

import json
import os
import re
import secrets
from typing import Any

from graphapp.core import safeio
from graphapp.core.errors import FileFormatError, StudioError, VersionError
from graphapp.core.expand import Group, expander_keys, whole_groups
from graphapp.core.expanders import EXPANDERS
from graphapp.core.graph import Graph, check_text
from graphapp.core.meta import check_meta
from graphapp.core.ops import VALUE_OPS, get_op
from graphapp.core.values import MAX_MAGNITUDE, parse_json, to_json

FORMAT = "backprop-studio-graph"
VERSION = 1
MAX_DEPTH = 64  # JSON nesting; values need at most 8 levels, the file around them 3
_KINDS = {str: "text", dict: "an object", bool: "true/false", type(None): "null"}


def graph_to_dict(graph: Graph, node_ids: list[str] | None = None) -> dict[str, Any]:
    """The file's content; `node_ids` limits it to a subgraph (copy and paste) with its inner edges."""
    keep = set(graph.nodes if node_ids is None else node_ids)
    nodes = []
    for node in graph.nodes.values():
        if node.id not in keep:
            continue
        item: dict[str, Any] = {"id": node.id, "op": node.op}
        if node.label:
            item["label"] = node.label
        if node.label_ko:
            item["label_ko"] = node.label_ko
        if node.value is not None:
            item["value"] = to_json(node.value)
        if node.attrs:
            item["attrs"] = node.attrs
        if node.pos is not None:
            item["pos"] = [node.pos[0], node.pos[1]]
        nodes.append(item)
    edges = [{"from": e.src, "to": e.dst, "port": e.port} for e in graph.edges if e.src in keep and e.dst in keep]
    data = {"format": FORMAT, "version": VERSION, "meta": graph.meta if node_ids is None else {},
            "nodes": nodes, "edges": edges}
    groups = whole_groups(graph) if node_ids is None else []  # a copied part's pasted pieces are plain nodes
    if groups:
        data["groups"] = [_group_to_dict(g) for g in groups]
    return data


def _group_to_dict(g: Group) -> dict[str, Any]:
    item: dict[str, Any] = {"id": g.id, "op": g.op, "nodes": dict(g.nodes)}
    if g.attrs:
        item["attrs"] = dict(g.attrs)
    if g.label:
        item["label"] = g.label
    if g.label_ko:
        item["label_ko"] = g.label_ko
    if g.pos is not None:
        item["pos"] = [g.pos[0], g.pos[1]]
    if g.shapes:
        item["shapes"] = {port: list(shape) for port, shape in g.shapes.items()}
    return item


def _field(obj: Any, key: str, kind: type | tuple[type, ...], where: str, required: bool = True) -> Any:
    if not isinstance(obj, dict):
        raise FileFormatError(f"{where}: expected an object")
    if key not in obj:
        if required:
            raise FileFormatError(f"{where}: missing field '{key}'")
        return None
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise FileFormatError(f"{where}.{key}: expected {getattr(kind, '__name__', 'a value of another kind')}")
    return value


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and abs(x) <= MAX_MAGNITUDE  # NaN fails too


def graph_from_dict(data: Any, where: str = "file") -> Graph:
    if not isinstance(data, dict):
        raise FileFormatError(f"{where}: expected a JSON object at the top level")
    if data.get("format") != FORMAT:
        raise FileFormatError(f"{where}: field 'format' must be \"{FORMAT}\" (is this a Backprop Studio graph?)")
    version = _field(data, "version", int, where)
    if version > VERSION:
        raise VersionError(f"{where}: written by a newer Backprop Studio (format version {version}; "
                           f"this program reads up to {VERSION})")
    if version < 1:
        raise FileFormatError(f"{where}: field 'version' must be a positive integer")
    graph = Graph()
    graph.meta = check_meta(data.get("meta", {}), f"{where}: meta")
    nodes = _field(data, "nodes", list, where)
    for i, item in enumerate(nodes):
        at = f"{where}: nodes[{i}]"
        node_id = _field(item, "id", str, at)
        at = f"{where}: node '{node_id}'"
        pos = _pos(item, at)
        op = _field(item, "op", str, at)
        value = item.get("value")
        if op in VALUE_OPS and (isinstance(value, bool) or not isinstance(value, (int, float, list))):
            if value is None:
                raise FileFormatError(f"{at}: missing field 'value' ({op} nodes hold a number or a "
                                      "nested list of numbers)")
            raise FileFormatError(f"{at}.value: expected a number or a nested list of numbers, "
                                  f"not {_KINDS.get(type(value), 'this')}")
        try:
            graph.add_node(op, node_id,
                           label=_field(item, "label", str, at, required=False) or "",
                           label_ko=_field(item, "label_ko", str, at, required=False) or "",
                           value=value, attrs=_field(item, "attrs", dict, at, required=False),
                           pos=pos)
        except FileFormatError:
            raise
        except StudioError as exc:
            raise FileFormatError(f"{where}: {exc}") from None
    for i, item in enumerate(_field(data, "edges", list, where)):
        at = f"{where}: edges[{i}]"
        src, dst, port = (_field(item, k, str, at) for k in ("from", "to", "port"))
        try:
            graph.connect(src, dst, port)
        except StudioError as exc:
            raise FileFormatError(f"{at} ({src} → {dst}.{port}): {exc}") from None
    groups = _field(data, "groups", list, where, required=False) or []  # older files have none
    graph.groups = {}
    for i, item in enumerate(groups):
        group = _read_group(item, f"{where}: groups[{i}]", where)
        if group.id in graph.groups:
            raise FileFormatError(f"{where}: groups[{i}].id: a second group named '{group.id}'")
        graph.groups[group.id] = group
    _check_pieces(graph, where)
    return graph


def _pos(item: dict[str, Any], at: str) -> tuple[float, float] | None:
    pos = _field(item, "pos", list, at, required=False)
    if pos is not None and (len(pos) != 2 or not all(map(_finite, pos))):
        raise FileFormatError(f"{at}.pos: expected [x, y], two finite numbers")
    return None if pos is None else (pos[0], pos[1])


def _text(item: Any, key: str, at: str, required: bool = False) -> str:
    """A text field that an id or a label can hold (graph.check_text), as a file error."""
    try:
        return check_text(_field(item, key, str, at, required) or "", f"{at}.{key}", empty=not required)
    except FileFormatError:
        raise
    except StudioError as exc:
        raise FileFormatError(str(exc)) from None


def _read_group(item: Any, at: str, where: str) -> Group:
    """One group record: an expanded layer (its op, attrs, labels, place and input shapes) and its pieces."""
    gid = _text(item, "id", at, required=True)
    at = f"{where}: group '{gid}'"
    op = _field(item, "op", str, at)
    if op not in EXPANDERS:
        raise FileFormatError(f"{at}.op: '{op}' is not a layer that expands (these do: {', '.join(sorted(EXPANDERS))})")
    spec = get_op(op, gid)
    shapes = {}
    for port, shape in (_field(item, "shapes", dict, at, required=False) or {}).items():
        if port not in spec.inputs or not isinstance(shape, list) or \
                not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
            raise FileFormatError(f"{at}.shapes.{port}: expected an input of {op} ({', '.join(spec.inputs)}) "
                                  "and a list of whole numbers ≥ 0")
        shapes[port] = tuple(shape)
    nodes = _field(item, "nodes", dict, at)
    if not nodes or not all(isinstance(n, str) for n in nodes.values()):
        raise FileFormatError(f"{at}.nodes: expected an object of piece keys and node ids")
    attrs = _field(item, "attrs", dict, at, required=False) or {}
    try:
        unknown = set(attrs) - {a.name for a in spec.attrs}
        if unknown:
            raise FileFormatError(f"{at}.attrs: {op} has no attribute '{sorted(unknown)[0]}'")
        attrs = {**spec.default_attrs(), **spec.check_attrs(gid, attrs)}
        keys = expander_keys(op, gid, attrs, shapes)
    except FileFormatError:
        raise
    except StudioError as exc:
        raise FileFormatError(f"{where}: {exc}") from None
    if keys != list(nodes):
        raise FileFormatError(f"{at}.nodes: expected the pieces {', '.join(keys)} of {op}, in that order")
    return Group(gid, op, dict(nodes), attrs, _text(item, "label", at), _text(item, "label_ko", at), _pos(item, at),
                 shapes)


def _check_pieces(graph: Graph, where: str) -> None:
    """Each piece is a node of the file, or another group's id (a piece expanded in turn), in one group only;
    a group's id is no node's (collapsing gives it back)."""
    owner: dict[str, str] = {}
    for g in graph.groups.values():
        if g.id in graph.nodes:
            raise FileFormatError(f"{where}: group '{g.id}'.id: names a node of the file; a group's id is its "
                                  "collapsed layer's")
        for nid in g.nodes.values():
            if nid not in graph.nodes and nid not in graph.groups:
                raise FileFormatError(f"{where}: group '{g.id}'.nodes: no node named '{nid}'")
            if nid in owner:
                raise FileFormatError(f"{where}: group '{g.id}'.nodes: '{nid}' is a piece of group '{owner[nid]}' too")
            owner[nid] = g.id
    whole = {g.id for g in whole_groups(graph)}
    for g in graph.groups.values():
        if g.id not in whole:  # only a cycle of groups nested in each other is left
            raise FileFormatError(f"{where}: group '{g.id}'.nodes: groups nested in a cycle")


def loads(text: str, where: str = "file") -> Graph:
    try:
        data = parse_json(text, MAX_DEPTH, lambda reason: FileFormatError(f"{where}: JSON {reason}"))
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return graph_from_dict(data, where)


def load(path: str | os.PathLike[str]) -> Graph:
    """A graph file: a regular file of at most safeio.GRAPH_MAX_BYTES, UTF-8 (a FIFO or device is refused)."""
    return loads(safeio.read_text(path, safeio.GRAPH_MAX_BYTES), os.fspath(path))


def dumps(graph: Graph) -> str:
    """The file's text: indented, each array value on one line.

    json's indenting encoder is pure Python (several µs a number); without indent it is C, and writes a
    float by float.__repr__, the shortest text that reads back to the same bits. So each array is encoded
    alone, compactly, and put in place of a marker string that the indented document holds instead."""
    data = graph_to_dict(graph)
    holders = [item for item in data["nodes"] if isinstance(item.get("value"), list)]
    arrays = [json.dumps(item["value"]) for item in holders]
    while True:
        token = f"@array-{secrets.token_hex(8)}-"  # random, and checked: no other text of the file holds it
        for i, item in enumerate(holders):
            item["value"] = f"{token}{i}"
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if text.count(token) == len(arrays):
            break
    if arrays:
        text = re.sub(f'"{re.escape(token)}(\\d+)"', lambda m: arrays[int(m.group(1))], text)
    return text + "\n"


def save(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Atomic and durable (see safeio.write_atomic): a failed save leaves the old file intact."""
    safeio.write_atomic(path, dumps(graph).encode("utf-8"))
