"""Shared test set-up: Qt runs offscreen, so the whole suite needs no display."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The CLI's default language follows the environment; the suite expects English unless a test asks.
for _var in ("BACKPROP_STUDIO_LANG", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"

# As main.py runs the app: one BLAS thread (small products are faster without threads on a small machine, and
# timings such as the Train dock's Stop are not at the mercy of oversubscribed cores), set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
