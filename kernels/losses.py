"""Losses, each the mean over all elements (or over the batch for cross-entropy): a scalar."""
from __future__ import annotations

import numpy

from kernels.activations import _log_softmax, stable_sigmoid
from kernels.backend import unbroadcast
from kernels.base import Domain, Kernel

# Probabilities are clipped to [EPS, 1 − EPS] before log, so log(0) never happens.
BCE_EPS = 1e-12


def _mse_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    pred, target = ins
    diff = pred - target
    return xp.vdot(diff, diff) / diff.size, (diff, pred.shape, target.shape)


def _mse_grad(xp, g, diff):  # noqa: ANN001, ANN202
    # g·(2/n) as a Python float when g is a single number on the host: the same IEEE product, without an
    # array call; on a GPU float(g) would wait for the device, so there the product stays an array
    scale = float(g) * (2.0 / diff.size) if g.ndim == 0 and xp is numpy else g * (2.0 / diff.size)
    return scale * diff


def _mse_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    diff, ps, ts = saved
    d = _mse_grad(xp, g, diff)
    return unbroadcast(xp, d, ps), unbroadcast(xp, -d, ts)


def _mse_partial(xp, saved, g, at, need):  # noqa: ANN001, ANN202
    """_mse_vjp for the wanted inputs only (a training step wants the prediction's, not the target's)."""
    diff, ps, ts = saved
    d = _mse_grad(xp, g, diff)
    return unbroadcast(xp, d, ps) if need[0] else None, unbroadcast(xp, -d, ts) if need[1] else None


def _bce_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    p, y = ins
    q = xp.clip(p, BCE_EPS, 1.0 - BCE_EPS)
    return -xp.mean(y * xp.log(q) + (1.0 - y) * xp.log(1.0 - q)), (q, y)


def _bce_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    q, y = saved
    dp = (q - y) / (q * (1.0 - q))  # broadcast shape: the mean is over all its elements
    n = dp.size
    dy = xp.broadcast_to(xp.log(1.0 - q) - xp.log(q), dp.shape)
    return unbroadcast(xp, g * dp / n, q.shape), unbroadcast(xp, g * dy / n, y.shape)


def _bce_logits_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    z, y = ins
    # log(1 + e^z) − y·z, the form with no overflow for any z.
    return xp.mean(xp.logaddexp(0.0, z) - y * z), (z, y)


def _bce_logits_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    z, y = saved
    dz = stable_sigmoid(xp, z) - y  # broadcast shape: the mean is over all its elements
    n = dz.size
    dy = xp.broadcast_to(-z, dz.shape)
    return unbroadcast(xp, g * dz / n, z.shape), unbroadcast(xp, g * dy / n, y.shape)


def _one_hot(xp, target, logp):  # noqa: ANN001, ANN202
    """Targets may be class indices (shape N) or one-hot / probability rows (shape N×C)."""
    if target.ndim == logp.ndim:
        return target, False
    idx = target.astype(xp.int64)
    hot = xp.zeros_like(logp)
    hot[xp.arange(idx.shape[0]), idx] = 1.0
    return hot, True


def _softmax_ce_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    logits, target = ins
    logp = _log_softmax(xp, logits, -1)
    hot, from_indices = _one_hot(xp, target, logp)
    batch = logp.shape[0] if logp.ndim > 1 else 1
    return -(hot * logp).sum() / batch, (logp, hot, from_indices, batch, target.shape)


def _softmax_ce_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    logp, hot, from_indices, batch, tshape = saved
    d_logits = g * (xp.exp(logp) * hot.sum(axis=-1, keepdims=True) - hot) / batch
    # Class indices are labels, not numbers to differentiate: their gradient is zero.
    d_target = xp.zeros(tshape) if from_indices else -g * logp / batch
    return d_logits, d_target


def _probability(i: int, name: str) -> Domain:
    return Domain(i, lambda xp, ins, at: (ins[i] >= 0) & (ins[i] <= 1), f"0 ≤ {name} ≤ 1 (a probability)")


def _class_index(xp, ins, at):  # noqa: ANN001, ANN202
    """Class indices are whole numbers from 0 to C − 1 (one-hot rows need no check)."""
    logits, target = ins
    if target.ndim == logits.ndim:
        return xp.ones(target.shape, dtype=bool)
    return (target == xp.floor(target)) & (target >= 0) & (target < logits.shape[-1])


mse = Kernel(_mse_fwd, _mse_vjp, partial=_mse_partial)
bce = Kernel(_bce_fwd, _bce_vjp, domain=(_probability(0, "pred"), _probability(1, "target")))
bce_with_logits = Kernel(_bce_logits_fwd, _bce_logits_vjp, domain=(_probability(1, "target"),))
softmax_cross_entropy = Kernel(_softmax_ce_fwd, _softmax_ce_vjp, domain=(
    Domain(1, _class_index, "target is a class index 0, 1, …, C − 1 (C = the number of classes)"),))
