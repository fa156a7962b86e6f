"""Array math of Backprop Studio: forward functions and vector-Jacobian products over `xp`.

Nothing here knows about graphs, files or Qt. Every function takes the array module
(`numpy` or `cupy`) as its first argument so one definition serves both devices.
"""
from kernels.base import Kernel

__all__ = ["Kernel"]
