"""Expanders of the feed-forward layers and activations into primitive ops."""
from __future__ import annotations

from graphapp.core.expanders.piece import Expander

BASIC: dict[str, Expander] = {}
