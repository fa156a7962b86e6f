"""Shared test set-up: Qt runs offscreen, so the whole suite needs no display."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The CLI's default language follows the environment; the suite expects English unless a test asks.
for _var in ("BACKPROP_STUDIO_LANG", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"
