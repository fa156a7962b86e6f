"""Expanders of the recurrent layers: a sequence node unrolled into one cell per time step."""
from __future__ import annotations

from graphapp.core.expanders.piece import Expander

RECURRENT: dict[str, Expander] = {}
