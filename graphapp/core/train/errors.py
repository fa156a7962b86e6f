"""The training lab's user errors: a bad option (optimizer, initializer, template, trainer) or bad data."""
from __future__ import annotations

from graphapp.core.errors import StudioError


class OptionError(StudioError):
    """An unknown name or an out-of-range setting; the message names the option."""


class DataError(StudioError):
    """A data set that cannot be used: the message names the file, and the row and column where known."""
