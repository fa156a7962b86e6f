"""One exception class per kind of bad input. Each message names the place: node, port, field or line."""
from __future__ import annotations


class StudioError(Exception):
    """Base of every error a user can cause. `node` names the node where it starts, if any."""

    def __init__(self, message: str, node: str | None = None) -> None:
        super().__init__(message)
        self.node = node


class GraphError(StudioError):
    """A graph that cannot be built or run as asked."""


class CycleError(GraphError):
    def __init__(self, cycle: list[str]) -> None:
        path = " → ".join([*cycle, cycle[0]])
        super().__init__(f"cycle: {path} (a computational graph must not feed a node back into itself)",
                         cycle[0])
        self.cycle = cycle


class MissingInputError(GraphError):
    def __init__(self, node: str, port: str) -> None:
        super().__init__(f"node '{node}': input '{port}' is not connected", node)
        self.port = port


class PortOccupiedError(GraphError):
    def __init__(self, node: str, port: str, source: str) -> None:
        super().__init__(f"node '{node}': input '{port}' is already fed by '{source}'", node)


class AttrError(GraphError):
    """An op attribute of the wrong kind or out of range: names node, attribute, what was given and expected."""

    def __init__(self, message: str, node: str, attr: str) -> None:
        super().__init__(message, node)
        self.attr = attr


class ShapeError(GraphError):
    """Incompatible shapes; the message names both nodes and both shapes."""


class UnknownOpError(GraphError):
    def __init__(self, op: str, node: str | None = None) -> None:
        where = f"node '{node}': " if node else ""
        super().__init__(f"{where}unknown op '{op}'", node)
        self.op = op


class UnknownNodeError(GraphError):
    def __init__(self, node: str) -> None:
        super().__init__(f"no node named '{node}'", node)


class BadValueError(StudioError):
    """A value that is not a number or a rectangular array of numbers."""


class NonFiniteError(GraphError):
    """A NaN or an infinity appeared; `node` is the first node (in evaluation order) that produced it."""


class FileFormatError(StudioError):
    """A graph file that is not valid JSON, lacks a field, or has a field of the wrong kind."""


class VersionError(FileFormatError):
    """A file written by a newer version of the format than this program reads."""


class ExpressionError(StudioError):
    """An expression that cannot become a graph: bad syntax, unknown function, name without a value."""


class DomainError(GraphError):
    """An op given an input outside its domain (log of 0 or less, division by zero, ...)."""


class FileAccessError(StudioError):
    """A file that cannot be read or written as asked: missing, not a regular file, too large, no permission."""


class RenderError(StudioError):
    """A picture that cannot be made as asked: a size or a playhead step out of range."""
