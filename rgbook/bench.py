r"""Benchmarks behind ``make bench`` and the Performance appendix.

Each function times one thing against a reference on the same machine and returns a dict
with both timings and their ratio; nothing here asserts a speed (speed targets are read,
not tested). Timings are best-of-``repeat`` wall-clock seconds from
:func:`time.perf_counter`.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from . import build, ising, training

__all__ = [
    "metropolis_chain",
    "integrated_autocorrelation",
    "sampler_vs_metropolis",
    "enumeration_throughput",
    "training_step_vs_bare_torch",
    "chapter_times",
    "all_micro",
]


def _row(benchmark: str, unit: str, ours: float, reference: float, method: str) -> dict:
    return {
        "benchmark": benchmark,
        "unit": unit,
        "rgbook": ours,
        "reference": reference,
        "reference method": method,
        "ratio reference / rgbook": reference / ours,
    }


def _best_time(fn, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return float(best)


def metropolis_chain(n_chains: int, N: int, K: float, sweeps: int, *, rng: np.random.Generator) -> np.ndarray:
    r"""Checkerboard single-spin Metropolis on ``n_chains`` open zero-field chains.

    Returns the mean bond :math:`\frac1{N-1}\sum_i s_is_{i+1}` of every chain after every
    sweep, shape ``(sweeps, n_chains)``. Starts from random spins; no burn-in is removed.
    """
    s = rng.choice(np.array([-1.0, 1.0]), size=(n_chains, N))
    out = np.empty((sweeps, n_chains))
    idx = np.arange(N)
    for t in range(sweeps):
        for parity in (0, 1):
            sites = idx[idx % 2 == parity]
            left = np.where(sites > 0, s[:, np.maximum(sites - 1, 0)], 0.0)
            right = np.where(sites < N - 1, s[:, np.minimum(sites + 1, N - 1)], 0.0)
            dE = 2 * K * s[:, sites] * (left + right)  # energy cost of flipping s_i, H = -K sum s_i s_i+1
            accept = rng.random(dE.shape) < np.exp(-dE)
            s[:, sites] = np.where(accept, -s[:, sites], s[:, sites])
        out[t] = (s[:, :-1] * s[:, 1:]).mean(axis=1)
    return out


def integrated_autocorrelation(x: np.ndarray, c: float = 5.0) -> float:
    r"""Integrated autocorrelation time :math:`\tau = \tfrac12 + \sum_{t\ge1}\rho(t)` with Sokal's
    automatic window (smallest :math:`W \ge c\,\tau(W)`), averaged over columns of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    x = x - x.mean(axis=0)
    n = x.shape[0]
    f = np.fft.rfft(x, n=2 * n, axis=0)
    acf = np.fft.irfft(f * np.conj(f), axis=0)[:n].mean(axis=1)
    rho = acf / acf[0]
    tau = 0.5
    for W in range(1, n):
        tau += rho[W]
        if W >= c * tau:
            break
    return float(tau)


def sampler_vs_metropolis(N: int = 64, K: float = 1.0, n_chains: int = 64, sweeps: int = 4000, seed: int = 0) -> dict:
    """Seconds per *effective* sample: exact sampler (independent draws) vs Metropolis."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    series = metropolis_chain(n_chains, N, K, sweeps, rng=rng)
    t_metro = time.perf_counter() - start
    burn = sweeps // 10
    tau = integrated_autocorrelation(series[burn:])
    ess = n_chains * (sweeps - burn) / (2 * tau)
    n_exact = 100_000
    t_exact = _best_time(lambda: ising.sample_chain(n_exact, N, K, rng=np.random.default_rng(seed)))
    per_metro = t_metro * (sweeps - burn) / sweeps / ess
    per_exact = t_exact / n_exact
    return _row(
        f"sampling, open chain N={N}, K={K}",
        "s per effective sample",
        per_exact,
        per_metro,
        f"checkerboard Metropolis, tau_int = {tau:.1f} sweeps (bond observable)",
    )


def enumeration_throughput(N: int = 20, K: float = 1.0) -> dict:
    """Configurations per second of :func:`rgbook.ising.enumerate_chain` vs a Python loop."""
    t_vec = _best_time(lambda: ising.enumerate_chain(N, K), repeat=2)
    n_loop = 2**12
    configs = ising.all_configurations(N)[:n_loop].astype(float)

    def loop():
        for s in configs:
            sum(K * s[i] * s[i + 1] for i in range(N - 1))

    t_loop = _best_time(loop, repeat=1) * (2**N / n_loop)
    return _row(
        f"exact enumeration, N={N}",
        "s per configuration",
        t_vec / 2**N,
        t_loop / 2**N,
        "pure-Python energy loop (timed on 4096 configurations)",
    )


def _autoencoder_loss(s: torch.Tensor, logp: torch.Tensor, y: torch.Tensor, W, c, V, d) -> torch.Tensor:
    r"""Exact expected reconstruction loss of a stochastic :math:`\pm1` autoencoder, per model.

    Parameters carry a leading batch axis of ``R`` models: ``W`` (R, M, N), ``c`` (R, M),
    ``V`` (R, N, M), ``d`` (R, N). With hidden units :math:`h\in\{\pm1\}^M` drawn from
    :math:`P(h_j=1\mid s) = \sigma(2(Ws+c)_j)` and the reconstruction
    :math:`P(s'_i=1\mid h) = \sigma(2(Vh+d)_i)`, the loss is
    :math:`-\frac1N\sum_{s,h} p(s) P(h\mid s)\log P(s'=s\mid h)`, summed exactly over the
    enumerated ``s`` (rows of ``s``, log-probabilities ``logp``) and ``h`` (rows of ``y``).
    """
    ls = torch.nn.functional.logsigmoid
    a = torch.einsum("kn,rmn->rkm", s, W) + c[:, None, :]
    joint = torch.exp(ls(2 * a) @ ((1 + y) / 2).T + ls(-2 * a) @ ((1 - y) / 2).T + logp[None, :, None])
    up = joint.transpose(1, 2) @ ((1 + s) / 2)
    z = torch.einsum("hm,rnm->rhn", y, V) + d[:, None, :]
    return -(up * ls(2 * z) + (joint.sum(1)[:, :, None] - up) * ls(-2 * z)).sum(dim=(1, 2)) / s.shape[1]


def training_step_vs_bare_torch(N: int = 8, K: float = 1.0, steps: int = 100, seed: int = 0) -> dict:
    """Seconds per training step: :func:`rgbook.training.fit` (one model, batch axis of 1, with its
    NaN/inf guards and loss history) vs a bare PyTorch Adam loop on the same exact loss."""
    s_np, p_np = ising.enumerate_chain(N, K)
    s = torch.as_tensor(s_np.astype(np.float64))
    logp = torch.as_tensor(np.log(p_np))
    M = N // 2
    y = torch.as_tensor(ising.all_configurations(M).astype(np.float64))

    def init():
        g = torch.Generator().manual_seed(seed)
        return {
            "W": training.init_normal((1, M, N), N**-0.5, g),
            "c": torch.zeros(1, M, dtype=training.DTYPE),
            "V": training.init_normal((1, N, M), 1.0, g),
            "d": torch.zeros(1, N, dtype=training.DTYPE),
        }

    def ours():
        params = init()
        training.fit(
            params, lambda p: _autoencoder_loss(s, logp, y, p["W"], p["c"], p["V"], p["d"]), steps=steps, lr=0.05
        )

    def bare():
        params = [t.requires_grad_() for t in init().values()]
        opt = torch.optim.Adam(params, lr=0.05)
        for _ in range(steps):
            opt.zero_grad()
            _autoencoder_loss(s, logp, y, *params).sum().backward()
            opt.step()

    t_fit = _best_time(ours, repeat=2) / steps
    t_bare = _best_time(bare, repeat=2) / steps
    return _row(
        f"training step, {N}->{M} autoencoder (exact loss)",
        "s per Adam step",
        t_fit,
        t_bare,
        "bare PyTorch Adam loop, same loss, no guards",
    )


def chapter_times(root=None):
    """Each code chapter's last execution seconds (from ``_build/deps``), as a DataFrame."""
    import pandas as pd

    times = build.chapter_times(root)
    total = sum(t for t in times.values() if t is not None)
    return pd.DataFrame(
        [
            {"chapter": c, "execution (s)": t, "share of the total": (t / total if t and total else None)}
            for c, t in times.items()
        ]
    )


def all_micro():
    """The three micro-benchmarks as one DataFrame (a ratio above 1 means rgbook is faster)."""
    import pandas as pd

    return pd.DataFrame([sampler_vs_metropolis(), enumeration_throughput(), training_step_vs_bare_torch()])
