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

def _bn_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x, gamma, beta, running_mean, running_var = ins
    training = bool(at.get("training", False))
    if training:  # the batch's statistics, the biased variance (as torch normalizes)
        xc = x - x.mean(axis=0)
        var = (xc * xc).mean(axis=0)
    else:
        xc = x - running_mean
        var = running_var
    inv = 1.0 / xp.sqrt(var + at["eps"])
    xhat = xc * inv
    return gamma * xhat + beta, (training, xc, xhat, inv, gamma)


def _bn_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    training, xc, xhat, inv, gamma = saved
    dxhat = g * gamma
    d_gamma, d_beta = (g * xhat).sum(axis=0), g.sum(axis=0)
    if training:  # the mean and variance depend on x too; the running statistics are not used
        n = xhat.shape[0]
        dx = (inv / n) * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
        zeros = xp.zeros(inv.shape)
        return dx, d_gamma, d_beta, zeros, zeros.copy()
    dx = dxhat * inv
    return dx, d_gamma, d_beta, -dx.sum(axis=0), (dxhat * xc).sum(axis=0) * (-0.5 * inv ** 3)


def running_stats(xp, x, running_mean, running_var, momentum):  # noqa: ANN001, ANN201
    """The running mean and variance after one training batch x (N ≥ 2 rows), exactly as torch's
    BatchNorm1d: r ← (1 − momentum)·r + momentum·batch statistic, with the unbiased variance."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    var = (xc * xc).sum(axis=0) / (n - 1)
    return (1.0 - momentum) * running_mean + momentum * mean, (1.0 - momentum) * running_var + momentum * var


l1 = Kernel(_l1_fwd, _l1_vjp)
l2 = Kernel(_l2_fwd, _l2_vjp)
dropout = Kernel(_dropout_fwd, _dropout_vjp, _dropout_local)
batch_norm = Kernel(_bn_fwd, _bn_vjp, domain=(
    Domain(4, lambda xp, ins, at: ins[4] >= 0, "running_var ≥ 0"),))
