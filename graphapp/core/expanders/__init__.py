"""The expanders of every layer that opens into primitives, by op name (see piece.py)."""
from __future__ import annotations

from graphapp.core.expanders.basic import BASIC
from graphapp.core.expanders.piece import Expander, Piece, Shape
from graphapp.core.expanders.recurrent import RECURRENT

EXPANDERS: dict[str, Expander] = {**BASIC, **RECURRENT}

__all__ = ["EXPANDERS", "Expander", "Piece", "Shape"]
