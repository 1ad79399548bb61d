"""Plots of a run's results with matplotlib; each function draws on ``ax`` (or a new one) and returns it."""

from __future__ import annotations

from typing import Optional

import numpy as np

from ._results import Results


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def loss_distribution(results: Results, ax=None, bins: int = 100, levels=(0.99, 0.999)):
    """The portfolio loss distribution over kept paths, with VaR and expected shortfall marked at ``levels``
    (from the run's fixed-bin histograms). Needs ``price(..., keep_paths=True)``."""
    if results.paths is None:
        raise ValueError("loss_distribution needs the per-path losses: price with keep_paths=True")
    if not set(levels) <= {0.99, 0.999}:
        raise ValueError(f"levels: the results report VaR and ES at 0.99 and 0.999 only, got {list(levels)}")
    ax = _axes(ax)
    losses = results.paths.portfolio_loss
    weights = results.paths.weight
    ax.hist(losses, bins=bins, weights=weights, density=True, color="0.75", label="portfolio loss")
    portfolio = results.portfolio
    for level, style in zip(levels, ("--", ":")):
        suffix = {0.99: "99", 0.999: "999"}[level]
        var, es = portfolio[f"loss_var_{suffix}"], portfolio[f"loss_es_{suffix}"]
        ax.axvline(var, color="C3", linestyle=style, label=f"VaR {level:.1%} = {var:.2%}")
        ax.axvline(es, color="C0", linestyle=style, label=f"ES {level:.1%} = {es:.2%}")
    ax.set_xlabel("portfolio loss (fraction of exposure)")
    ax.set_ylabel("density")
    ax.set_title(f"{results['deal']}: portfolio loss distribution")
    ax.legend()
    return ax


def tranche_losses(results: Results, ax=None):
    """Each tranche's expected loss with two standard errors: against attachment for loss tranches, by
    seniority for a waterfall. On the logarithmic axis an error bar stops at zero rather than crossing it."""
    ax = _axes(ax)
    tranches = results.tranches
    el = tranches["expected_loss"].to_numpy()
    error = 2 * np.nan_to_num(tranches["expected_loss_stderr"].to_numpy())
    bars = np.vstack([np.minimum(error, el), error])  # below: never under zero
    if "attachment" in tranches:
        ax.errorbar(tranches["attachment"], el, yerr=bars, marker="o", capsize=3, label="EL with 2 s.e.")
        ax.set_xlabel("attachment (fraction of the pool)")
    else:
        ax.bar(tranches.index, el, yerr=bars, capsize=3, color="C0", label="EL with 2 s.e.")
        ax.set_xlabel("tranche")
    ax.set_yscale("symlog", linthresh=1e-5)
    ax.set_ylim(bottom=0.0)
    ax.set_ylabel("expected loss (fraction of the tranche)")
    ax.set_title(f"{results['deal']}: tranche expected losses")
    ax.legend()
    return ax


def default_counts(results: Results, ax=None):
    """The distribution of the number of counterparties defaulting by the horizon."""
    ax = _axes(ax)
    distribution = results.default_count_distribution
    ax.bar(distribution.index, distribution.values, color="C1", label="P(defaults = n)")
    ax.set_xlabel("counterparty defaults by the horizon (count)")
    ax.set_ylabel("probability")
    ax.set_title(f"{results['deal']}: number of defaults")
    ax.legend()
    return ax


def gpu_value_paths(results: Results, ax=None, paths: int = 50, quantiles=(0.05, 0.5, 0.95)):
    """The GPU market multiplier ``M_g(t)`` of each type: a few sample paths and quantile bands. Needs
    ``price(..., keep_paths=True)``."""
    if results.paths is None:
        raise ValueError("gpu_value_paths needs the per-path values: price with keep_paths=True")
    ax = _axes(ax)
    months = results.paths.gpu_months / 12.0
    multipliers = results.paths.gpu_multiplier
    for g in range(multipliers.shape[1]):
        colour = f"C{g}"
        name = results.gpu_types[g] if g < len(results.gpu_types) else f"type {g}"
        ax.plot(months, multipliers[:paths, g, :].T, color=colour, alpha=0.08, linewidth=0.7)
        bands = np.quantile(multipliers[:, g, :], quantiles, axis=0)
        for q, band in zip(quantiles, bands):
            ax.plot(months, band, color=colour, linewidth=1.8 if q == 0.5 else 1.0,
                    label=f"{name} p{q * 100:g}")
    ax.set_xlabel("years from valuation")
    ax.set_ylabel("market multiplier of GPU value and rent (1 = curve)")
    ax.set_title(f"{results['deal']}: GPU market paths and quantiles")
    ax.legend(fontsize="small")
    return ax


#: The top of each fan chart's histogram range: a quantile there sits in the overflow bin (docs/methodology.md
#: section 6.4) and says only "above this".
_FAN_CHART_TOP = {"dscr": 10.0, "ltv": 5.0, "borrowing_base_headroom": 4.0, "power_cost": np.inf}


def fan_chart(results: Results, metric: str = "dscr", ax=None, threshold: Optional[float] = None,
              threshold_label: Optional[str] = None):
    """DSCR, LTV, borrowing-base headroom or power cost quantiles by payment date (5-95% and 25-75% bands, median), with a
    covenant level named in the legend (``threshold_label``, e.g. "DSCR cash trap 1.35x"; the headroom's is 0, a
    deficiency below it). Quantiles in the overflow bin (DSCR above 10, LTV above 5, headroom above 4 times the
    facility's balance at t0) are kept out of the y-range, which ends just above the highest quantile below it."""
    if not results.is_waterfall:
        raise ValueError("fan charts exist for waterfall deals only")
    if metric not in _FAN_CHART_TOP:
        raise ValueError(f"metric: expected 'dscr', 'ltv', 'borrowing_base_headroom' or 'power_cost', got {metric!r}")
    headroom = metric == "borrowing_base_headroom"
    if headroom and results.borrowing_base is None:
        raise ValueError("metric: the deal has no borrowing base")
    if metric not in results.fan_charts:
        raise ValueError("metric: the deal has no power market, PPAs or sites")
    ax = _axes(ax)
    frame = results.fan_charts[metric]
    money = headroom or metric == "power_cost"
    if money:
        frame = frame / 1e6
    if headroom:
        threshold = 0.0 if threshold is None else threshold / 1e6
        threshold_label = threshold_label or "deficiency below 0"
    levels = list(frame.columns)
    dates = frame.index
    ax.fill_between(dates, frame[levels[0]], frame[levels[-1]], color="C0", alpha=0.2,
                    label=f"{levels[0]:.0%}-{levels[-1]:.0%}")
    ax.fill_between(dates, frame[levels[1]], frame[levels[-2]], color="C0", alpha=0.4,
                    label=f"{levels[1]:.0%}-{levels[-2]:.0%}")
    ax.plot(dates, frame[0.5], color="C0", label="median")
    if threshold is not None:
        ax.axhline(threshold, color="C3", linestyle="--",
                   label=threshold_label or f"{metric.upper()} covenant {threshold:g}x")
    values = frame.to_numpy(dtype=float)
    top_of_bins = _FAN_CHART_TOP[metric] * (results.borrowing_base["initial_balance"] / 1e6 if headroom else 1.0)
    below = values[np.isfinite(values) & (values < top_of_bins)]
    if below.size:
        top = max(below.max(), threshold or 0.0)
        bottom = min(0.0, below.min())
        ax.set_ylim(bottom=1.1 * bottom if headroom else bottom, top=1.1 * top)
    ax.set_xlabel("payment date")
    name = {"borrowing_base_headroom": "borrowing-base headroom", "power_cost": "power cost"}.get(metric, metric.upper())
    ax.set_ylabel(f"{name} ({'m' if money else 'x'})")
    ax.set_title(f"{results['deal']}: {name} fan chart")
    ax.legend()
    return ax


def equity_irr(results: Results, ax=None, bins: int = 60):
    """The equity IRR's distribution: a histogram over the kept paths (``keep_paths=True``), or else the run's
    quantiles (5, 25, 50, 75, 95%) and mean, with P(IRR < 0) in the legend."""
    equity = results.equity
    if equity is None:
        raise ValueError("equity_irr needs a waterfall deal")
    ax = _axes(ax)
    if results.paths is not None:
        ax.hist(100 * results.paths.equity_irr, bins=bins, weights=results.paths.weight, density=True, color="0.75",
                label="paths")
        ax.set_ylabel("density")
    else:
        p05, p25, p50, p75, p95 = (100 * equity[f"irr_p{p}"] for p in ("05", "25", "50", "75", "95"))
        ax.hlines(0.0, p05, p95, color="C0", linewidth=1.5, label="5-95%")
        ax.hlines(0.0, p25, p75, color="C0", linewidth=8, label="25-75%")
        ax.plot([p50], [0.0], "w|", markersize=14, markeredgewidth=2, label="median")
        ax.set_yticks([])
        ax.set_ylabel("quantiles")
    ax.axvline(100 * equity["irr_mean"], color="C0", label=f"mean {equity['irr_mean']:.1%}")
    ax.axvline(0.0, color="C3", linestyle=":", label=f"P(IRR < 0) = {equity['probability_negative_irr']:.1%}")
    ax.set_xlabel("equity IRR (% a year)")
    ax.set_title(f"{results['deal']}: equity IRR")
    ax.legend()
    return ax


def expected_flows(results: Results, ax=None):
    """Expected principal and interest of each tranche by payment date, stacked, and the equity's expected
    distribution, in millions of the deal currency."""
    flows = results.expected_flows
    if flows is None:
        raise ValueError("expected_flows needs a waterfall deal")
    ax = _axes(ax)
    dates = flows.index
    width = 0.8 * np.min(np.diff(dates.values).astype("timedelta64[D]").astype(float)) if len(dates) > 1 else 20
    bottom = np.zeros(len(dates))
    for i, (name, kind) in enumerate(c for c in flows.columns if c[0] != "Equity"):
        values = flows[(name, kind)].to_numpy() / 1e6
        ax.bar(dates, values, width=width, bottom=bottom, color=f"C{i}", label=f"{name} {kind}")
        bottom += values
    ax.plot(dates, flows[("Equity", "distribution")] / 1e6, color="k", marker=".", label="equity distribution")
    ax.set_xlabel("payment date")
    ax.set_ylabel("expected flow (millions)")
    ax.set_title(f"{results['deal']}: expected flows by date")
    ax.legend(fontsize="small")
    return ax


def convergence(results: Results, tranche=None, ax=None):
    """The running estimate of a tranche's (or the portfolio's) expected loss and its 95% band as leaves of 1,024
    paths accumulate (``PathValues.convergence``). Needs ``price(..., keep_paths=True)``."""
    if results.paths is None:
        raise ValueError("convergence needs the per-path values: price with keep_paths=True")
    frame = results.paths.convergence(tranche)
    ax = _axes(ax)
    ax.fill_between(frame.index, 100 * frame["lower"], 100 * frame["upper"], color="C0", alpha=0.25,
                    label="95% band")
    ax.plot(frame.index, 100 * frame["estimate"], color="C0", label="running estimate")
    ax.set_xscale("log")
    ax.set_xlabel("paths")
    what = "portfolio" if tranche is None else str(tranche)
    ax.set_ylabel(f"expected loss of {what} (%)")
    ax.set_title(f"{results['deal']}: convergence of the {what} expected loss")
    ax.legend()
    return ax


def contributions(results: Results, ax=None, measure: str = "expected_loss", kind: str = "counterparty",
                  top: int = 10):
    """Horizontal bars of the ``top`` largest risk contributions of ``kind`` (``counterparty`` or ``sector``) to
    ``measure`` (``expected_loss``, ``var_99``, ``es_99`` or ``"<tranche> expected_loss"``), with 95% error
    bars. Needs ``price(..., contributions=True)``."""
    frame = results.contributions
    if frame is None:
        raise ValueError("contributions needs a run with contributions: price with contributions=True")
    if kind not in ("counterparty", "sector"):
        raise ValueError(f"kind: expected 'counterparty' or 'sector', got {kind!r}")
    if measure not in frame.columns or measure.endswith("_stderr"):
        choices = [c for c in frame.columns if not c.endswith("_stderr")]
        raise ValueError(f"measure: expected one of {choices}, got {measure!r}")
    rows = frame.loc[kind].sort_values(measure, ascending=False).head(top)[::-1]
    ax = _axes(ax)
    values = 100 * rows[measure].to_numpy()
    errors = 1.96 * 100 * np.nan_to_num(rows[f"{measure}_stderr"].to_numpy())
    ax.barh(rows.index, values, xerr=errors, color="C0", ecolor="0.3", capsize=3, label="contribution (95% band)")
    tranche = measure.endswith(" expected_loss")
    unit = "% of the tranche" if tranche else "% of exposure"
    label = {"expected_loss": "expected loss", "var_99": "99% VaR", "es_99": "99% expected shortfall"}.get(
        measure, measure.replace(" expected_loss", " expected loss"))
    ax.set_xlabel(f"contribution to {label} ({unit})")
    ax.set_ylabel(kind)
    ax.set_title(f"{results['deal']}: top {len(rows)} {kind} contributions to {label}")
    ax.legend(loc="lower right")
    return ax


#: Units of a scenario grid's variables, for labels.
_GRID_UNITS = {"expected_loss": "fraction of the tranche", "default_probability": "probability",
               "equity_irr_mean": "per year", "event_of_default_probability": "probability"}
#: Units of common grid inputs, by the last key of their path.
_INPUT_UNITS = {"pd_multiplier": "x", "recovery_rate": "fraction", "volatility": "per sqrt(year)",
                "jump_intensity": "per year", "jump_size": "fraction", "annual_decline": "per year",
                "initial_per_gpu_hour": "per GPU-hour", "power_price_per_mwh": "per MWh", "rate": "per year",
                "degrees_of_freedom": "", "initial_multiplier": "x", "utilisation": "fraction",
                "haircut": "fraction", "lag_months": "months", "recovery_lag_months": "months", "pue": ""}


def _input_label(path: str) -> str:
    unit = _INPUT_UNITS.get(path.rsplit(".", 1)[-1], "")
    return f"{path} ({unit})" if unit else path


def scenario_heatmap(dataset, variable: str, x: str, y: str, tranche: Optional[str] = None, ax=None):
    """A heatmap of ``variable`` of a :func:`computedebt.scenario_grid` dataset over the axes ``x`` and ``y`` (for a
    per-tranche variable, of ``tranche``), each cell labelled with its value and standard error; any other axis must
    have a single value. Title, axis labels with units and a colour bar with the variable's unit."""
    if variable not in dataset.data_vars or variable.endswith("_stderr"):
        choices = [v for v in dataset.data_vars if not v.endswith("_stderr")]
        raise ValueError(f"variable: expected one of {choices}, got {variable!r}")
    axes = [d for d in dataset[variable].dims if d != "tranche"]
    for name, label in ((x, "x"), (y, "y")):
        if name not in axes:
            raise ValueError(f"{label}: expected one of the grid's axes {axes}, got {name!r}")
    if x == y:
        raise ValueError(f"x and y: expected two different axes, got {x!r} twice")
    data, error = dataset[variable], dataset[f"{variable}_stderr"]
    title = variable.replace("_", " ")
    if "tranche" in data.dims:
        names = list(dataset["tranche"].values)
        if tranche not in names:
            raise ValueError(f"tranche: expected one of {names}, got {tranche!r}")
        data, error = data.sel(tranche=tranche), error.sel(tranche=tranche)
        title = f"{tranche} {title}"
    others = [d for d in axes if d not in (x, y)]
    wide = [d for d in others if dataset.sizes[d] > 1]
    if wide:
        raise ValueError(f"the axes {wide} have several values: select one with dataset.isel(...) first")
    data = data.squeeze(others, drop=True).transpose(y, x)
    error = error.squeeze(others, drop=True).transpose(y, x)
    ax = _axes(ax)
    image = ax.imshow(data.values, origin="lower", aspect="auto", cmap="viridis")
    xs, ys = dataset[x].values, dataset[y].values
    ax.set_xticks(range(len(xs)), [f"{v:g}" for v in xs])
    ax.set_yticks(range(len(ys)), [f"{v:g}" for v in ys])
    for i in range(len(ys)):
        for j in range(len(xs)):
            ax.text(j, i, f"{data.values[i, j]:.3g}\n±{error.values[i, j]:.1g}", ha="center", va="center",
                    fontsize="small", color="white")
    ax.set_xlabel(_input_label(x))
    ax.set_ylabel(_input_label(y))
    unit = _GRID_UNITS.get(variable, "")
    ax.figure.colorbar(image, ax=ax, label=f"{variable.replace('_', ' ')} ({unit})")
    ax.set_title(f"{dataset.attrs.get('deal', '')}: {title}, {dataset.attrs.get('paths', '?'):,} paths")
    return ax
