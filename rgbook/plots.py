"""Plotting functions of the chapters: each draws on given axes and returns nothing else.

Keeping them here keeps the chapter cells short and lets ``rgbook`` regenerate figures
without the book.
"""

from __future__ import annotations

import numpy as np

from . import expfam, ising, rg
from .evidence import decimated_correlation

__all__ = ["zero_field_flow", "field_flow", "map_near_fixed_points", "correlation_length_flow", "free_energy_convergence",
           "standardized_cumulant_flow", "gaussian_chain_map", "even_poly_flow",
           "phi4_chain_flow", "iia_flow", "iib_size"]


def zero_field_flow(ax, K0s, b: int, steps: int) -> None:
    """:math:`K_n` against ``n`` for several starting couplings (zero field)."""
    for K0 in K0s:
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        ax.plot(np.arange(steps + 1), Ks, "o-", ms=3, label=f"$K_0={K0:g}$")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set(xlabel="RG step $n$", ylabel="coupling $K_n$ (dimensionless)", title=f"decimation, $b={b}$")
    ax.legend(fontsize="small")


def field_flow(ax, b: int = 2, starts=((2.0, 0.05), (1.5, -0.2), (1.0, 0.3), (2.5, 0.0), (0.6, -1.0), (0.3, 2.5))) -> None:
    """Flow field of one decimation step in the :math:`(K, h)` plane, with trajectories."""
    K, h = np.meshgrid(np.linspace(0.05, 3.0, 17), np.linspace(-3.0, 3.0, 17))
    Kp, hp, _ = rg.decimate(K, h, b)
    dK, dh = Kp - K, hp - h
    norm = np.hypot(dK, dh)
    ax.quiver(K, h, dK / norm, dh / norm, norm, cmap="viridis", angles="xy", scale=30, width=0.004)
    for K0, h0 in starts:
        Ks, hs, _ = rg.flow(K0, h0, b, 8)
        keep = np.abs(hs) < 3.2
        ax.plot(Ks[keep], hs[keep], "o-", color="C3", ms=3, lw=1.2)
    ax.plot([0, 0], [-3.0, 3.0], color="k", lw=3, label="fixed line $K^*=0$ (attracting)")
    ax.set(xlabel="coupling $K$", ylabel="field $h$", xlim=(-0.1, 3.1), ylim=(-3.2, 3.2),
           title=f"one step of decimation, $b={b}$")
    ax.legend(loc="lower right", fontsize="small")


def map_near_fixed_points(ax_small, ax_large, bs=(2, 3)) -> None:
    """The zero-field map near both fixed points: :math:`K'/K^b \\to 1` and :math:`x'/x \\to b`."""
    K = np.logspace(-3, 0.5, 200)
    Kbig = np.linspace(0.5, 10, 200)
    for b in bs:
        ax_small.plot(K, rg.zero_field_map(K, b) / K**b, label=f"$b={b}$")
        x, xp = np.exp(-2 * Kbig), np.exp(-2 * rg.zero_field_map(Kbig, b))
        ax_large.plot(Kbig, xp / x, label=f"$b={b}$")
        ax_large.axhline(b, color="k", lw=0.8, ls=":")
    ax_small.set(xscale="log", xlabel="coupling $K$", ylabel="$R_b(K)/K^b$", title="near $K^*=0$: $K'\\sim K^b$")
    ax_large.set(xlabel="coupling $K$", ylabel="$x'/x$, $x=e^{-2K}$", title="near $K^*=\\infty$: $x'\\to b\\,x$")
    ax_small.legend(fontsize="small")
    ax_large.legend(fontsize="small")


def correlation_length_flow(ax, K0: float, bs=(2, 3), steps: int = 5, n_samples: int = 20_000, seed: int = 7) -> None:
    """:math:`\\xi(K_n)` along the flow (exact) and measured from decimated exact samples."""
    for i, b in enumerate(bs):
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        n = np.arange(steps + 1)
        ax.plot(n, ising.correlation_length(Ks), "-", color=f"C{i}", label=f"$\\xi(K_n)$, $b={b}$")
        ax.plot(n, ising.correlation_length(K0) / float(b) ** n, ":", color="k", lw=1)
        # measured: keep every b^k-th spin of exactly sampled chains (k = 0 is the chain itself)
        meas, err = [], []
        for k in range(min(steps, 3) + 1):
            stride = b**k
            c, se = decimated_correlation(K0, stride, n_samples=n_samples, N=stride * 40 + 1, seed=seed + k)
            meas.append(-1.0 / np.log(c))
            err.append(se / (c * np.log(c) ** 2))  # delta method: d xi / dc = 1/(c ln^2 c)
        ax.errorbar(np.arange(len(meas)), meas, yerr=5 * np.array(err), fmt="o", color=f"C{i}", capsize=3,
                    label=f"from decimated samples, $b={b}$ (5 s.e.)")
    ax.set(yscale="log", xlabel="RG step $n$", ylabel="correlation length $\\xi$ (lattice units of the current chain)",
           title=f"$\\xi_n = \\xi_0/b^n$ from $K_0={K0:g}$ (dotted)")
    ax.legend(fontsize="small")


def free_energy_convergence(ax, cases=((1.0, 0.0, 2), (1.0, 0.3, 2), (2.0, -0.5, 3)), steps: int = 40) -> None:
    """Error of the partial sums :math:`\\sum_{n<M} g_{n+1}/b^{n+1}` against :math:`\\ln\\lambda_{\\max}`."""
    for K, h, b in cases:
        f = rg.free_energy_from_flow(K, h, b, steps)
        err = np.abs(f - ising.free_energy_per_spin(K, h))
        ax.semilogy(np.arange(steps + 1), np.maximum(err, 1e-17), "o-", ms=3, label=f"$K={K:g}, h={h:g}, b={b}$")
    ax.axhline(np.finfo(float).eps, color="k", lw=0.8, ls=":", label="double-precision $\\epsilon$")
    ax.set(xlabel="number of decimation steps $M$", ylabel="$|f_M - \\ln\\lambda_{\\max}|$ (per spin)",
           title="free energy from the RG constants")
    ax.legend(fontsize="small")


def standardized_cumulant_flow(ax, cases, b: int = 2, steps: int = 8, n_blocks: int = 200_000, seed: int = 20) -> None:
    r"""Standardized :math:`\kappa_4/\kappa_2^2` of block sums vs RG step: exact (lines), Monte Carlo (points, 2 s.e.)."""
    n = np.arange(steps + 1)
    for i, (family, params) in enumerate(cases):
        flow_ = rg.block_sum_cumulants(expfam.cumulants(family, params), b, 0.5, steps)
        ax.semilogy(n, flow_[:, 3] / flow_[:, 1] ** 2, "-", color=f"C{i}", label=f"{family} {params}")
        rng = np.random.default_rng(seed + i)
        mc = []
        for k in range(4):
            x = expfam.sample(family, params, (n_blocks, b**k), rng=rng).sum(axis=1) / b ** (k / 2)
            kap = expfam.sample_cumulants(x)
            mc.append(kap[3] / kap[1] ** 2)
        # large-sample standard error of a standardized kappa_4 near the Gaussian: sqrt(24/n)
        se = np.sqrt(24.0 / n_blocks)
        mc = np.array(mc)
        ax.errorbar(np.arange(4), mc, yerr=[np.minimum(2 * se, 0.95 * mc), np.full(4, 2 * se)], fmt="o",
                    color=f"C{i}", ms=5, capsize=3)
    ax.set(xlabel=f"RG step $n$ (blocks of $b^n$, $b={b}$, $\\zeta=1/2$)",
           ylabel="standardized $\\kappa_4/\\kappa_2^2$", title="flow to the Gaussian fixed point")
    ax.legend(fontsize="x-small")


def gaussian_chain_map(ax, starts=(0.2, 0.45, 0.499, 0.4999999)) -> None:
    r"""The map :math:`r' = r^2/(1-2r^2)` with its fixed points and cobweb trajectories."""
    r = np.linspace(0, 0.52, 400)
    ax.plot(r, rg.gaussian_chain_ratio_map(r), color="C0", label="$r' = r^2/(1-2r^2)$")
    ax.plot(r, r, "k:", lw=1, label="$r' = r$")
    for i, r0 in enumerate(starts):
        x, path_x, path_y = r0, [r0], [r0]
        for _ in range(12):
            y = rg.gaussian_chain_ratio_map(x)
            path_x += [x, y]
            path_y += [y, y]
            x = y
        ax.plot(path_x, path_y, "-", color=f"C{i + 1}", lw=0.9, label=f"$r_0={r0:g}$")
    ax.plot([0, 0.5], [0, 0.5], "o", color="k", ms=6)
    ax.annotate("stable $r^*=0$", (0.0, 0.0), (0.05, 0.2), arrowprops={"arrowstyle": "->"})
    ax.annotate("critical $r^*=1/2$\neigenvalue $b^2=4$", (0.5, 0.5), (0.2, 0.45), arrowprops={"arrowstyle": "->"})
    ax.set(xlim=(0, 0.52), ylim=(0, 0.55), xlabel="$r = K/d$", ylabel="$r'$", title="Gaussian chain, $b = 2$")
    ax.legend(fontsize="x-small", loc="upper left")


def even_poly_flow(ax_theta2, ax_theta4, theta0=(0.5, 0.1), b: int = 2, steps: int = 14) -> None:
    r"""Projected parameters :math:`(\theta_2, \theta_4)` along the block-sum flow, with the Gaussian fixed point."""
    flow_ = expfam.block_sum_even_poly(list(theta0), b=b, steps=steps)
    x = np.linspace(-8, 8, 4001)
    var = expfam.grid_even_moments(x, expfam.even_poly_density(list(theta0), x), 1)[0]
    n = np.arange(steps + 1)
    ax_theta2.plot(n, flow_[:, 0], "o-", ms=4, label="projected $\\theta_2$")
    ax_theta2.axhline(0.5 / var, color="k", ls="--", lw=1, label=f"$1/(2\\,\\mathrm{{Var}}\\,x) = {0.5 / var:.5f}$")
    ax_theta4.semilogy(n, flow_[:, 1], "o-", ms=4, color="C1", label="projected $\\theta_4$")
    ax_theta4.semilogy(n, theta0[1] * float(b) ** -n, ":", color="k", label="$\\theta_4(0)\\,b^{-n}$ (linearized)")
    ax_theta2.set(xlabel="RG step $n$", ylabel="$\\theta_2$ (coefficient of $x^2$)", title="quadratic coupling")
    ax_theta4.set(xlabel="RG step $n$", ylabel="$\\theta_4$ (coefficient of $x^4$)", title="quartic coupling")
    ax_theta2.legend(fontsize="small")
    ax_theta4.legend(fontsize="small")


def phi4_chain_flow(ax_params, ax_misfit, theta=(0.5, 0.1), Ks=(0.3, 0.8), steps: int = 5) -> None:
    r"""Grid decimation of :math:`\phi^4`-type chains: coupling and on-site coefficients per step, and the projection misfit."""
    from .evidence import phi4_chain_flow_table

    for i, K in enumerate(Ks):
        t = phi4_chain_flow_table(theta=theta, K=K, steps=steps)
        kw = dict(color=f"C{i}", marker="o", ms=4)
        ax_params.plot(t["step"], t["K"], ls="-", label=f"$K_n$ ($K_0={K}$)", **kw)
        ax_params.plot(t["step"], t["theta_2"], ls="--", **kw, label=f"$\\theta_{{2,n}}$ ($K_0={K}$)")
        ax_params.plot(t["step"], t["theta_4"], ls=":", **kw, label=f"$\\theta_{{4,n}}$ ($K_0={K}$)")
        ax_misfit.semilogy(t["step"][1:], t.iloc[1:, -1], ls="-", label=f"$K_0={K}$", **kw)
    ax_params.axhline(0, color="k", lw=0.8)
    for ax in (ax_params, ax_misfit):
        ax.set_xticks(range(steps + 1))
    ax_params.set(xlabel="decimation step $n$ ($b=2$)", ylabel="projected parameter (dimensionless)",
                  title="flow of $(K, \\theta_2, \\theta_4)$")
    ax_misfit.set(xlabel="decimation step $n$", ylabel="max $|\\ln T_2 - \\mathrm{fit}|$ on $|x|\\leq 2.5$",
                  title="projection error")
    ax_params.legend(fontsize="x-small", ncol=2)
    ax_misfit.legend(fontsize="small")


# --------------------------------------------------------------------------------------
# Paper I, network side


def soft_decimation(ax_K, ax_kl, Ks=(0.5, 1.0, 1.5), betas=None, N: int = 8) -> None:
    r"""Projected output coupling :math:`K'(\beta)` and KL residual of the soft decimation layer,
    with :math:`R_2(K)` (dashed) and the exact two-output law
    :math:`\tanh K' = \tanh^2\beta\,\tanh^2 K` (crosses)."""
    from . import experiments, networks

    betas = np.linspace(0.1, 6.0, 40) if betas is None else np.asarray(betas)
    s_all = {K: ising.enumerate_chain(N, K) for K in Ks}
    for i, K in enumerate(Ks):
        color = f"C{i}"
        fits = np.array([experiments.layer_coupling(*networks.decimation_weights(N, 2, bt), *s_all[K]) for bt in betas])
        ax_K.plot(betas, fits[:, 0], color=color, label=f"$K={K:g}$, {N}→{N // 2} layer (KL projection)")
        ax_K.axhline(rg.zero_field_map(K, 2), color=color, ls="--", lw=0.9)
        two = np.arctanh(np.tanh(betas[::4]) ** 2 * np.tanh(K) ** 2)
        ax_K.plot(betas[::4], two, "x", color=color, ms=6)
        ax_kl.semilogy(betas, np.maximum(fits[:, 2], 1e-18), color=color, label=f"$K={K:g}$")
    ax_K.plot([], [], "kx", label=r"2 outputs: $\tanh K'=\tanh^2\beta\,\tanh^2K$")
    ax_K.plot([], [], "k--", lw=0.9, label=r"$R_2(K)$ (RG)")
    ax_K.set(xlabel=r"weight scale $\beta$ (dimensionless)", ylabel="output coupling $K'$", title="soft decimation → RG")
    ax_K.legend(fontsize="x-small")
    ax_kl.set(xlabel=r"weight scale $\beta$ (dimensionless)", ylabel="KL residual of the projection (nats)",
              title="distance of the output from a NN chain")
    ax_kl.legend(fontsize="x-small")


def restart_losses(ax) -> None:
    """Loss per spin of every Reading A restart (dots) against the decimation reference (bars)."""
    from . import experiments, networks

    N = experiments.READING_A["N"]
    Ks = experiments.READING_A["Ks"]
    for i, K in enumerate(Ks):
        losses = np.array([m.loss for m in experiments.reading_a_restarts(K)])
        ref = networks.decimation_reference_loss(N, K)
        jitter = np.linspace(-0.15, 0.15, len(losses))
        ax.plot(i + jitter, losses, "o", color="C0", ms=5, alpha=0.8, label="trained restarts" if i == 0 else None)
        ax.plot([i - 0.3, i + 0.3], [ref, ref], color="C3", lw=2, label="decimation + optimal decoder" if i == 0 else None)
    ax.set_xticks(range(len(Ks)), [f"$K={K:g}$" for K in Ks])
    ax.set(ylabel="reconstruction loss (nats per spin)", title=f"{len(losses)} restarts, $N={N}\\to{N // 2}$")
    ax.legend(fontsize="small")


def layer_weights(ax, W, title: str) -> None:
    """Heat map of a layer's weights (units oriented and in receptive-field order)."""
    W = np.asarray(W)
    vmax = float(np.max(np.abs(W)))
    im = ax.imshow(W, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto")
    ax.set(xlabel="input site $k$", ylabel="output unit $j$", title=title)
    ax.set_xticks(range(W.shape[1]))
    ax.set_yticks(range(W.shape[0]))
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="$W_{jk}$", shrink=0.85)


def pair_couplings(ax, J, title: str) -> None:
    """Heat map of fitted all-pairs couplings J_jk."""
    vmax = float(np.max(np.abs(J))) or 1.0
    im = ax.imshow(J, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    ax.set(xlabel="output unit $k$", ylabel="output unit $j$", title=title)
    ax.set_xticks(range(J.shape[0]))
    ax.set_yticks(range(J.shape[0]))
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="$J_{jk}$", shrink=0.85)


def stack_flow(ax, K: float) -> None:
    """K_l against depth l for trained, decimation and random stacks, with the RG iterates R_2^l(K)."""
    from . import experiments

    depth = experiments.STACK["depth"]
    levels = np.arange(depth + 1)
    ax.plot(levels, rg.flow(K, 0.0, 2, steps=depth)[0], "k-", lw=6, alpha=0.2, label="RG iterates $R_2^l(K)$")
    for mode, style in (("trained", "o-"), ("decimation", "s--"), ("random", "^:")):
        Kl = [lev[0] for lev in experiments.stack_couplings(K, mode)]
        ax.plot(levels, Kl, style, label=f"{mode} stack")
    ax.axhline(0.0, color="k", lw=0.8, ls="--", label="stable fixed point $K^*=0$")
    sizes = [experiments.STACK["N"] // 2**lev for lev in levels]
    ax.set_xticks(levels, [f"{lev}\n({n} spins)" for lev, n in zip(levels, sizes)])
    ax.set(xlabel="depth $l$ (layer outputs)", ylabel="output coupling $K_l$", title=f"input $K={K:g}$")
    ax.legend(fontsize="x-small")


def feature_coupling_vs_size(ax) -> None:
    """Mean |K'| of the feature spins against N (log-log), per network kind, with batch intervals."""
    from . import experiments

    df = experiments.reading_b_couplings()
    mean, rates = experiments.reading_b_rates()
    markers = {"trained": "o", "random": "^", "local": "s"}
    for i, kind in enumerate(("trained", "random", "local")):
        sub = df[df.network == kind]
        ax.plot(sub["N"] * (1 + 0.03 * (i - 1)), sub["|K'|"], markers[kind], color=f"C{i}", alpha=0.35, ms=4)
        ax.plot(mean.index, mean[kind], markers[kind] + "-", color=f"C{i}",
                label=f"{kind} (mean; $p={rates.set_index('network').loc[kind, 'power-law exponent p']:.2f}$)")
    ax.set(xscale="log", yscale="log", xlabel="input size $N$ (spins)", ylabel="|coupling $K'$| between feature spins",
           title=f"4 feature units, input $K={experiments.READING_B['K_eval']:g}$")
    ax.legend(fontsize="x-small")


# --------------------------------------------------------------------------------------
# Paper II, network side


def iia_flow(ax_r, ax_row) -> None:
    r"""Reading A of Paper II: ring ratio per level (trained, decimation, RG) and one gauge-fixed encoder row."""
    from . import experiments

    P = experiments.READING_IIA
    for i, r0 in enumerate(P["rs"]):
        levels = experiments.iia_gaussian_stack(r0)
        lv = np.arange(len(levels) + 1)
        trained = [r0] + [lev["r trained (rf gauge)"] for lev in levels]
        dec = [r0] + [lev["r decimation"] for lev in levels]
        ax_r.semilogy(lv, trained, "o-", color=f"C{i}", label=f"trained, $r_0={r0}$")
        ax_r.semilogy(lv, dec, "s--", color=f"C{i}", mfc="none", ms=8, label=f"decimation = RG $r_3^l(r_0)$, $r_0={r0}$")
    ax_r.set(xlabel=f"level $l$ (sites ${P['N']} \\to {P['N'] // P['b']} \\to {P['N'] // P['b'] ** 2}$)",
             ylabel="projected ring ratio $r = K/d$", xticks=range(P["depth"] + 1), title="flow toward $r^* = 0$")
    ax_r.legend(fontsize="x-small")
    F = experiments.iia_gaussian_stack(P["rs"][-1])[0]["F"]
    j = F.shape[0] // 2
    sites = np.arange(F.shape[1])
    ax_row.axhline(0, color="k", lw=0.8)
    ax_row.plot(sites, F[j], "o-", ms=4, label=f"trained, receptive-field gauge (feature {j})")
    ax_row.stem([P["b"] * j], [1.0], linefmt="C3-", markerfmt="C3s", basefmt=" ", label=f"decimation (site {P['b'] * j})")
    ax_row.set(xlabel="input site $i$", ylabel=f"weight $F_{{{j}i}}$", title=f"first-layer feature, $r_0={P['rs'][-1]}$")
    ax_row.legend(fontsize="x-small")


def iib_size(ax_exact, ax_samples, ax_overlap) -> None:
    r"""Reading B of Paper II: :math:`N\times` kurtosis ratio of linear units (exact), sampled :math:`|\kappa_4^{std}|`,
    and the block-sum overlap of the layer's span."""
    from . import experiments

    t = experiments.iib_table()
    styles = {"trained": ("o-", "C0"), "random": ("^--", "C1"), "selection": ("s:", "C2"), "block_sum": ("D-.", "C3")}
    names = {"trained": "trained", "random": "random (frozen)", "selection": "selection = decimation", "block_sum": "block sum = RG"}
    lin = t[np.isfinite(t["N x kappa4 ratio (exact)"])]
    for mode, (fmt, color) in styles.items():
        g = lin[lin["mode"] == mode].groupby("N")["N x kappa4 ratio (exact)"]
        ax_exact.errorbar(g.mean().index, g.mean(), yerr=g.std().fillna(0), fmt=fmt, color=color, capsize=3, label=names[mode])
    ax_exact.set(xscale="log", yscale="log", xlabel="input size $N$",
                 ylabel=r"$N\,\sum_i w_i^4/(\sum_i w_i^2)^2$", title="linear units, i.i.d. data (exact)")
    ax_exact.legend(fontsize="x-small")
    for task, marker in (("bernoulli_chain", "o"), ("even_poly", "s")):
        for mode, (fmt, color) in styles.items():
            g = t[(t["task"] == task) & (t["mode"] == mode)].groupby("N")
            if not len(g):
                continue
            m = g["mean |kappa4/kappa2^2| (samples)"].mean()
            se = g["s.e."].mean()
            ax_samples.errorbar(m.index, m, yerr=2 * se, fmt=marker + fmt[1:], color=color, capsize=2,
                                mfc="none" if task == "even_poly" else color, label=f"{task}, {names[mode]}")
    Ns = np.array(experiments.READING_IIB["Ns"], dtype=float)
    ax_samples.plot(Ns, 0.6 * 4 / Ns, "k:", label="$\\propto N^{-1}$")
    ax_samples.set(xscale="log", yscale="log", xlabel="input size $N$", ylabel=r"mean $|\kappa_4/\kappa_2^2|$ of the units",
                   title="chain and hidden-layer tasks (samples)")
    ax_samples.legend(fontsize="xx-small", ncol=2)
    lin_all = t[np.isfinite(t["block-sum overlap of the layer"])]
    for mode, (fmt, color) in styles.items():
        g = lin_all[lin_all["mode"] == mode].groupby("N")["block-sum overlap of the layer"]
        ax_overlap.errorbar(g.mean().index, g.mean(), yerr=g.std().fillna(0), fmt=fmt, color=color, capsize=3, label=names[mode])
    ax_overlap.set(xscale="log", xlabel="input size $N$", ylabel=r"$\|\Pi_W \mathbf{1}\|^2/N$",
                   title="block sum in the layer's span", ylim=(-0.03, 1.05))
    ax_overlap.legend(fontsize="x-small")
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    for ax in (ax_exact, ax_samples, ax_overlap):
        ax.set_xticks(Ns)
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
