"""Regularization: the L1 and L2 penalties, inverted dropout and batch normalization.

Kernels stay pure functions of their inputs and attributes. The train/eval switch reaches dropout and
batch_norm as two attributes the Executor's plan adds, never declared by the op (users cannot set them):
"training" (bool) and "step" (the run's index, which with the node's own "seed" picks the dropout mask).
When they are absent the kernels evaluate: dropout is the identity and batch_norm uses its running
statistics. Those statistics are batch_norm's last two inputs (constant nodes); a training loop replaces
them after each step with running_stats(), so no kernel keeps state.
"""
from __future__ import annotations

import numpy

from kernels.base import Domain, Kernel


def _l1_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    w = ins[0]
    return at["lambda"] * xp.abs(w).sum(), w


def _l1_vjp(xp, w, g, at):  # noqa: ANN001, ANN202
    return (g * at["lambda"] * xp.sign(w),)  # sign(0) = 0: the subgradient torch's abs takes


def _l2_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    w = ins[0]
    return at["lambda"] * xp.vdot(w, w), w


def _l2_vjp(xp, w, g, at):  # noqa: ANN001, ANN202
    return (g * (2.0 * at["lambda"]) * w,)


# ---- dropout ------------------------------------------------------------------------------------

def dropout_keep(xp, shape, p, seed, step):  # noqa: ANN001, ANN201
    """The mask of kept units: each kept with probability 1 − p, the same for the same (seed, step).
    Drawn by numpy's generator on every backend (CuPy's draws other numbers from the same seed), so a run
    drops the same units on a GPU as on the CPU; the mask then goes to the backend in one copy."""
    keep = numpy.random.default_rng([int(seed), int(step)]).random(shape) >= p
    return keep if xp is numpy else xp.asarray(keep)


def dropout_scale(xp, x, keep, p):  # noqa: ANN001, ANN201
    """Inverted dropout's multiplier: 1/(1 − p) where kept, 0 where dropped (E[h'] = h)."""
    return keep.astype(x.dtype) * (1.0 / (1.0 - p))


def _dropout_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    p = at["p"]
    if not at.get("training", False) or p == 0.0:
        return x, (None, x.shape)  # evaluation: every unit, unscaled
    m = dropout_scale(xp, x, dropout_keep(xp, x.shape, p, at["seed"], at.get("step", 0)), p)
    return x * m, (m, x.shape)


def _dropout_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    m, _ = saved
    return (g if m is None else g * m,)


def _dropout_local(xp, saved, i, at):  # noqa: ANN001, ANN202
    m, shape = saved
    return xp.ones(shape) if m is None else m


# ---- batch normalization ------------------------------------------------------------------------
# Rows of features (N, D), one statistic per feature over N (BatchNorm1d), or images (N, C, H, W), one
# per channel over N, H and W (BatchNorm2d). γ, β and the running statistics hold one value per
# feature or channel; for images they are viewed as (1, C, 1, 1) so that they broadcast.

def _axes(x):  # noqa: ANN001, ANN202
    return (0,) if x.ndim == 2 else (0, 2, 3)


def _per_channel(v, ndim):  # noqa: ANN001, ANN202
    return v if ndim == 2 else v.reshape(1, -1, 1, 1)


def _bn_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x, gamma, beta, running_mean, running_var = ins
    training = bool(at.get("training", False))
    ax, nd = _axes(x), x.ndim
    if training:  # the batch's statistics, the biased variance (as torch normalizes)
        xc = x - x.mean(axis=ax, keepdims=True)
        var = (xc * xc).mean(axis=ax, keepdims=True)
    else:
        xc = x - _per_channel(running_mean, nd)
        var = _per_channel(running_var, nd)
    inv = 1.0 / xp.sqrt(var + at["eps"])
    xhat = xc * inv
    g = _per_channel(gamma, nd)
    return g * xhat + _per_channel(beta, nd), (training, xc, xhat, inv, g)


def _bn_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    training, xc, xhat, inv, gamma = saved
    ax = _axes(g)
    dxhat = g * gamma
    d_gamma, d_beta = (g * xhat).sum(axis=ax), g.sum(axis=ax)
    if training:  # the mean and variance depend on x too; the running statistics are not used
        m = xhat.size // xhat.shape[1]  # values per statistic: N, or N·H·W
        dx = (inv / m) * (m * dxhat - dxhat.sum(axis=ax, keepdims=True)
                          - xhat * (dxhat * xhat).sum(axis=ax, keepdims=True))
        zeros = xp.zeros(d_beta.shape, dtype=g.dtype)
        return dx, d_gamma, d_beta, zeros, zeros.copy()
    dx = dxhat * inv
    inv = inv.reshape(-1)
    return dx, d_gamma, d_beta, -dx.sum(axis=ax), (dxhat * xc).sum(axis=ax) * (-0.5 * inv ** 3)


def running_stats(xp, x, running_mean, running_var, momentum):  # noqa: ANN001, ANN201
    """The running mean and variance after one training batch x, exactly as torch's BatchNorm1d (x of
    shape (N, D), N ≥ 2) and BatchNorm2d ((N, C, H, W), N·H·W ≥ 2): r ← (1 − momentum)·r + momentum·batch
    statistic, with the unbiased variance over the m = N (or N·H·W) values of each feature or channel."""
    ax = _axes(x)
    m = x.size // x.shape[1]
    mean = x.mean(axis=ax, keepdims=True)
    xc = x - mean
    var = (xc * xc).sum(axis=ax) / (m - 1)
    keep = 1.0 - momentum
    return keep * running_mean + momentum * mean.reshape(-1), keep * running_var + momentum * var


l1 = Kernel(_l1_fwd, _l1_vjp)
l2 = Kernel(_l2_fwd, _l2_vjp)
dropout = Kernel(_dropout_fwd, _dropout_vjp, _dropout_local)
batch_norm = Kernel(_bn_fwd, _bn_vjp, domain=(
    Domain(4, lambda xp, ins, at: ins[4] >= 0, "running_var ≥ 0"),))
