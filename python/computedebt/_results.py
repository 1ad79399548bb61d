"""Results of a run: the command line's ``--json`` document, as pandas objects and NumPy arrays."""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np
import pandas as pd

from . import _core


@dataclass(frozen=True)
class PathValues:
    """Per-path values of a run priced with ``keep_paths=True``, as NumPy arrays indexed by path.

    The arrays own memory handed over by the engine: nothing was copied.
    """

    portfolio_loss: np.ndarray  #: Portfolio loss fraction at the horizon, per path.
    default_count: np.ndarray  #: Counterparties defaulting on the grid, per path.
    tranche_loss: np.ndarray  #: ``paths x tranches``: each tranche's loss fraction (waterfall: discounted at its coupons on the path).
    gpu_months: np.ndarray  #: The grid months of ``gpu_multiplier``.
    gpu_multiplier: np.ndarray  #: ``paths x GPU types x months``: the market multiplier ``M_g(t_k)``.
    weight: Optional[np.ndarray] = None  #: Likelihood ratios, with importance sampling only.
    equity_irr: Optional[np.ndarray] = None  #: Waterfall deals: the equity's IRR per path.
    money_multiple: Optional[np.ndarray] = None  #: Waterfall deals: distributions over investment.
    event_of_default: Optional[np.ndarray] = None  #: Waterfall deals: payment date of the event, 0 if none.
    collateral_value: Optional[np.ndarray] = None  #: Waterfall deals: fleet market value at ``t_K``.
    interest: Optional[np.ndarray] = None  #: With ``keep_flows``: ``paths x tranches x dates``, interest paid.
    principal: Optional[np.ndarray] = None  #: With ``keep_flows``: principal paid per date.
    balance: Optional[np.ndarray] = None  #: With ``keep_flows``: the balance after each date.
    tranche_names: tuple = ()  #: The columns of ``tranche_loss``.
    gpu_types: tuple = ()  #: The GPU type ids of ``gpu_multiplier``.
    payment_dates: tuple = ()  #: The dates of the flows.

    def frame(self) -> pd.DataFrame:
        """The scalar per-path values as one DataFrame, a row per path."""
        columns = {"portfolio_loss": self.portfolio_loss, "default_count": self.default_count}
        names = self.tranche_names or [f"tranche_{i}" for i in range(self.tranche_loss.shape[1])]
        for i, name in enumerate(names):
            columns[f"loss[{name}]"] = self.tranche_loss[:, i]
        for key in ("weight", "equity_irr", "money_multiple", "event_of_default", "collateral_value"):
            if getattr(self, key) is not None:
                columns[key] = getattr(self, key)
        return pd.DataFrame(columns)

    def to_xarray(self):
        """The per-path values as an xarray ``Dataset``: dims ``path``, ``tranche``, ``gpu_type`` and ``month`` (the
        grid months of ``gpu_multiplier``), and ``date`` (payment dates) with ``keep_flows``; ``tranche_loss`` is
        ``path x tranche``, ``gpu_multiplier`` ``path x gpu_type x month``, ``interest``, ``principal`` and
        ``balance`` ``path x tranche x date``, the scalars are per path."""
        import xarray as xr

        tranches = list(self.tranche_names) or [f"tranche_{i}" for i in range(self.tranche_loss.shape[1])]
        variables = {"portfolio_loss": ("path", self.portfolio_loss), "default_count": ("path", self.default_count),
                     "tranche_loss": (("path", "tranche"), self.tranche_loss),
                     "gpu_multiplier": (("path", "gpu_type", "month"), self.gpu_multiplier)}
        for key in ("weight", "equity_irr", "money_multiple", "event_of_default", "collateral_value"):
            if getattr(self, key) is not None:
                variables[key] = ("path", getattr(self, key))
        gpu_types = list(self.gpu_types) or [f"type_{g}" for g in range(self.gpu_multiplier.shape[1])]
        coords = {"path": np.arange(len(self.portfolio_loss)), "tranche": tranches, "gpu_type": gpu_types,
                  "month": self.gpu_months}
        if self.interest is not None:
            for key in ("interest", "principal", "balance"):
                variables[key] = (("path", "tranche", "date"), getattr(self, key))
            coords["date"] = pd.to_datetime(list(self.payment_dates))
        return xr.Dataset(variables, coords=coords)

    def tranche_losses(self, tranche) -> np.ndarray:
        """One tranche's loss per path; ``tranche`` is its name or its column index."""
        if isinstance(tranche, str):
            names = list(self.tranche_names)
            if tranche not in names:
                raise ValueError(f"tranche: expected one of {names}, got {tranche!r}")
            tranche = names.index(tranche)
        return self.tranche_loss[:, tranche]

    def convergence(self, tranche=None, leaf_paths: int = _core.leaf_paths) -> pd.DataFrame:
        """The running estimate of a tranche's expected loss (``tranche``: a name or index) or, without one, of the
        portfolio's, with its 95% band, as leaves of ``leaf_paths`` paths accumulate: one row per leaf, indexed by
        the paths so far. The band comes from the leaves' means, so it is honest for every variance reduction."""
        values = self.portfolio_loss if tranche is None else self.tranche_losses(tranche)
        if self.weight is not None:
            values = values * self.weight
        leaves = len(values) // leaf_paths
        if leaves < 2:
            raise ValueError(f"convergence needs at least two leaves of {leaf_paths} paths, got {len(values)} paths")
        means = values[: leaves * leaf_paths].reshape(leaves, leaf_paths).mean(axis=1)
        count = np.arange(1, leaves + 1)
        estimate = np.cumsum(means) / count
        squares = np.cumsum(means ** 2) / count
        variance = np.where(count > 1, (squares - estimate ** 2) * count / np.maximum(count - 1, 1), np.nan)
        stderr = np.sqrt(np.maximum(variance, 0.0) / count)
        return pd.DataFrame({"estimate": estimate, "stderr": stderr, "lower": estimate - 1.96 * stderr,
                             "upper": estimate + 1.96 * stderr}, index=pd.Index(count * leaf_paths, name="paths"))

    def worst(self, tranche, n: int = 10) -> np.ndarray:
        """The indices of the ``n`` paths on which ``tranche`` (a name or a column index) lost most, worst first
        (ties in path order): what to replay with :func:`computedebt.explain`."""
        return np.argsort(-self.tranche_losses(tranche), kind="stable")[:n]


class Trace:
    """One path replayed alone from its counter (:func:`computedebt.explain`; docs/methodology.md section 7.6).

    ``dates`` is the date-by-date DataFrame of a waterfall deal (collateral cash by source, each tranche's
    interest, principal and balance, accounts, DSCR, LTV, covenants breached, equity), ``steps`` what each step of
    the priority of payments took from the cash on hand on each date, ``defaults`` who defaulted when, and
    ``gpu_multiplier`` each GPU type's market multiplier by date.
    """

    def __init__(self, document: dict) -> None:
        self._document = document

    def to_dict(self) -> dict:
        return self._document

    @property
    def defaults(self) -> pd.DataFrame:
        return pd.DataFrame(self._document["defaults"], columns=["counterparty", "month", "date"])

    @property
    def tranche_loss(self) -> pd.Series:
        return pd.Series({t["name"]: t["loss"] for t in self._document["tranches"]}, name="loss", dtype=float)

    @property
    def gpu_multiplier(self) -> pd.DataFrame:
        gpu = self._document["gpu_multiplier"]
        return pd.DataFrame(gpu["by_type"], index=pd.DatetimeIndex(pd.to_datetime(gpu["dates"]), name="date"))

    @property
    def dates(self) -> Optional[pd.DataFrame]:
        """Per payment date; columns grouped by source: ``("collateral", ...)``, ``(tranche, "interest" |
        "principal" | "balance" | "coupon")``, ``("account", name)``, ``("covenant_breached", name)``,
        ``("hedge", name)`` (its payment to the SPV), ``("equity", ...)``,
        ``("ratio", "dscr" | "ltv")``, with delayed draws ``("drawn", tranche)`` and ``("equity", "draw_proceeds")``, and with a borrowing base
        ``("borrowing_base", "headroom" | "mandatory_prepayment")``. None for loss tranches."""
        w = self._document.get("waterfall")
        if w is None:
            return None
        columns = {("collateral", k): v for k, v in w["collateral"].items()}
        for name, flows in w["tranches"].items():
            for key, values in flows.items():
                columns[(name, key)] = values
        columns.update({("account", k): v for k, v in w["accounts"].items()})
        columns.update({("covenant_breached", k): v for k, v in w["covenants_breached"].items()})
        columns.update({("hedge", k): v["payments"] for k, v in w.get("hedges", {}).items()})
        columns.update({("equity", k): v for k, v in w["equity"].items()})
        columns[("ratio", "dscr")] = [np.nan if x is None else x for x in w["dscr"]]
        columns[("ratio", "ltv")] = [np.nan if x is None else x for x in w["ltv"]]
        columns.update({("drawn", k): v for k, v in w.get("drawn", {}).items()})
        for key, values in w.get("borrowing_base", {}).items():
            columns[("borrowing_base", key)] = [np.nan if x is None else x for x in values]
        index = pd.DatetimeIndex(pd.to_datetime(w["payment_dates"]), name="payment_date")
        return pd.DataFrame(columns, index=index)

    @property
    def steps(self) -> Optional[pd.DataFrame]:
        """One row per step run on each date: ``date``, ``step``, ``after_enforcement``, ``amount``."""
        w = self._document.get("waterfall")
        if w is None:
            return None
        frame = pd.DataFrame(w["steps"], columns=["date", "step", "after_enforcement", "amount"])
        frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def __getitem__(self, key: str):
        return self._document[key]

    def __repr__(self) -> str:
        d = self._document
        return (f"<Trace {d['deal']!r} path {d['path']} seed {d['seed']}: loss {d['portfolio_loss']:.3%}, "
                f"{len(d['defaults'])} defaults>")


#: Paths of the warnings about a run's estimates (docs/methodology.md sections 6.6 and 7.4), not about the deal.
SAMPLING_WARNING_PATHS = ("importance_shift", "paths", "tolerance")


class Results:
    """What a run reports (docs/methodology.md section 6): the document of ``computedebt price --json`` and views of it.

    ``to_dict()`` and ``to_json()`` give that document; ``tranches``, ``portfolio``, ``equity``, ``events``,
    ``covenants``, ``covenant_first_breach``, ``accounts``, ``fan_charts`` and ``expected_flows`` give pandas
    views; ``paths`` the per-path arrays when kept.
    """

    def __init__(self, document: dict, arrays: Optional[Dict[str, np.ndarray]] = None, gpu_types=()) -> None:
        self._document = document
        self.gpu_types = list(gpu_types)
        names = tuple(t["name"] for t in document["tranches"])
        self.paths: Optional[PathValues] = None
        if arrays is not None:
            self.paths = PathValues(**arrays, tranche_names=names, gpu_types=tuple(gpu_types),
                                    payment_dates=tuple(document.get("payment_dates", ())))

    # The document.
    def to_dict(self) -> dict:
        """The results document (a deep copy)."""
        return copy.deepcopy(self._document)

    def to_json(self, indent: Optional[int] = None) -> str:
        """The results document as JSON text, as ``computedebt price --json`` prints it."""
        return json.dumps(self._document, indent=indent)

    @property
    def is_waterfall(self) -> bool:
        return "equity" in self._document

    @property
    def payment_dates(self) -> pd.DatetimeIndex:
        """The waterfall's payment dates."""
        return pd.DatetimeIndex(pd.to_datetime(self._document.get("payment_dates", [])), name="date")

    # Views.
    @property
    def tranches(self) -> pd.DataFrame:
        """One row per tranche: expected loss, default probability, LGD (each with its standard error) and,
        for waterfall tranches, notional, coupon, expected coupon, WAL, fair spread and implied rating. With control variates,
        also the plain estimate ``expected_loss_uncontrolled`` (and its standard error) and the
        ``variance_reduction`` the controls gave. With delayed draws, also ``commitment``, ``expected_drawn``,
        ``refusal_probability`` and ``expected_commitment_fees`` (NaN for other tranches), each with its standard
        error."""
        rows = []
        for t in self._document["tranches"]:
            row = {k: v for k, v in t.items() if not isinstance(v, (list, dict))}
            row.update({k: v for k, v in t.get("control_variate", {}).items() if not isinstance(v, list)})
            row.update({k: v for k, v in t.get("delayed_draw", {}).items() if not isinstance(v, list)})
            rows.append(row)
        return pd.DataFrame(rows).set_index("name")

    @property
    def portfolio(self) -> pd.Series:
        """Portfolio loss (mean, VaR and ES at 99% and 99.9%) and expected defaults."""
        values = {k: v for k, v in self._document["portfolio"].items() if not isinstance(v, list)}
        return pd.Series(values, name="portfolio")

    @property
    def effective_sample_size(self) -> float:
        """``(sum w)^2 / sum w^2`` over the paths' likelihood-ratio weights: the path count without importance
        sampling, far below it when the weights have collapsed (docs/methodology.md section 7.4)."""
        return self._document["effective_sample_size"]

    @property
    def mean_weight(self) -> float:
        """Mean likelihood-ratio weight over paths; it should be within a few standard errors of 1."""
        return self._document["mean_weight"]

    @property
    def mean_weight_stderr(self) -> float:
        """Standard error of ``mean_weight`` over independent groups."""
        return self._document["mean_weight_stderr"]

    @property
    def importance_sampling(self) -> Optional[dict]:
        """How the importance-sampling shift was chosen (``method``: given, glasserman-li or cross-entropy;
        ``target``; ``pilot_paths``) and each tranche's ``expected_loss_variance_reduction``; None without
        importance sampling (docs/methodology.md section 7.4)."""
        return copy.deepcopy(self._document.get("importance_sampling"))

    @property
    def importance_variance_reduction(self) -> Optional[pd.Series]:
        """Per tranche: plain Monte Carlo's variance of its expected loss at equal paths over this run's, measured
        on the run's own weighted paths; NaN where the tranche never lost. None without importance sampling."""
        sampling = self._document.get("importance_sampling")
        if sampling is None:
            return None
        factors = sampling["expected_loss_variance_reduction"]
        return pd.Series({name: np.nan if value is None else value for name, value in factors.items()},
                         name="expected_loss_variance_reduction", dtype=float).rename_axis("name")

    @property
    def sampling_warnings(self) -> list:
        """The document's warnings about the estimates themselves (collapsed weights, too few groups, a quadrature
        short of its tolerance)."""
        return [dict(w) for w in self._document.get("warnings", []) if w["path"] in SAMPLING_WARNING_PATHS]

    def _warn(self) -> None:
        """Emits each sampling warning as a ``UserWarning``."""
        for warning in self.sampling_warnings:
            warnings.warn(f"{warning['path']}: {warning['message']}", UserWarning, stacklevel=3)

    @property
    def default_count_distribution(self) -> pd.Series:
        """The probability of exactly ``n`` counterparty defaults by the horizon."""
        probabilities = self._document["portfolio"]["default_count_distribution"]
        return pd.Series(probabilities, index=pd.RangeIndex(len(probabilities), name="defaults"), name="probability")

    @property
    def equity(self) -> Optional[pd.Series]:
        """The equity's IRR (mean, quantiles), probability of a negative IRR and money multiple."""
        if not self.is_waterfall:
            return None
        values = {k: v for k, v in self._document["equity"].items() if not isinstance(v, list)}
        return pd.Series(values, name="equity")

    @property
    def events(self) -> Optional[pd.DataFrame]:
        """Each trigger and the event of default: the probability it happens, with its standard error."""
        if not self.is_waterfall:
            return None
        rows = {name: trigger for name, trigger in self._document["triggers"].items()}
        rows["event_of_default"] = self._document["events_of_default"]
        return pd.DataFrame(
            {name: {"probability": e["probability"], "probability_stderr": e["probability_stderr"]}
             for name, e in rows.items()}).T

    @property
    def first_occurrence(self) -> Optional[pd.DataFrame]:
        """Per payment date, the probability that each trigger first breaches, or the event of default occurs."""
        if not self.is_waterfall:
            return None
        columns = {name: t["first_breach"] for name, t in self._document["triggers"].items()}
        columns["event_of_default"] = self._document["events_of_default"]["timing"]
        return pd.DataFrame(columns, index=self.payment_dates)

    @property
    def covenants(self) -> Optional[pd.DataFrame]:
        """One row per covenant (the triggers first): metric, consequence, breach probability, expected months in
        breach and expected equity cures used, each with its standard error (docs/methodology.md section 5.4).
        Empty for a waterfall deal without covenants; None for loss tranches."""
        if not self.is_waterfall:
            return None
        rows = [{k: v for k, v in c.items() if not isinstance(v, list)} for c in self._document.get("covenants", [])]
        columns = ["name", "metric", "consequence", "breach_probability", "breach_probability_stderr",
                   "expected_months_in_breach", "expected_months_in_breach_stderr", "expected_cures_used",
                   "expected_cures_used_stderr"]
        return pd.DataFrame(rows, columns=columns).set_index("name")

    @property
    def hedges(self) -> Optional[pd.DataFrame]:
        """One row per hedge (swap or cap): its expected net periodic payments to the SPV, the probabilities that
        its counterparty's default or the SPV's event of default ends it early, and its expected close-out value,
        each with its standard error (docs/methodology.md section 5.6). Empty without hedges; None for loss
        tranches."""
        if not self.is_waterfall:
            return None
        rows = [{k: v for k, v in h.items() if not isinstance(v, list)} for h in self._document.get("hedges", [])]
        columns = ["name", "type", "expected_net_payments", "expected_net_payments_stderr",
                   "counterparty_default_probability", "counterparty_default_probability_stderr",
                   "event_of_default_termination_probability", "event_of_default_termination_probability_stderr",
                   "expected_close_out", "expected_close_out_stderr"]
        return pd.DataFrame(rows, columns=columns).set_index("name")

    @property
    def hedge_payments(self) -> Optional[pd.DataFrame]:
        """Per payment date (rows), each hedge's (columns) mean periodic payment to the SPV, negative when it
        pays."""
        if not self.is_waterfall:
            return None
        columns = {h["name"]: h["expected_payments"] for h in self._document.get("hedges", [])}
        return pd.DataFrame(columns, index=self.payment_dates)

    @property
    def covenant_first_breach(self) -> Optional[pd.DataFrame]:
        """Per payment date (rows), the probability that each covenant (columns) is first breached then."""
        if not self.is_waterfall:
            return None
        columns = {c["name"]: c["first_breach"] for c in self._document.get("covenants", [])}
        return pd.DataFrame(columns, index=self.payment_dates)

    @property
    def accounts(self) -> Optional[Dict[str, pd.DataFrame]]:
        """Per account (reserve or trap), its balance after each payment date: the mean (column ``mean``) and, for
        a trap account, its quantiles at the fan-chart levels (NaN for a reserve), by payment date. Empty without
        accounts; None for loss tranches."""
        if not self.is_waterfall:
            return None
        levels = self._document["fan_charts"]["levels"]
        frames = {}
        for account in self._document.get("accounts", []):
            quantiles = account.get("fan_chart", [[np.nan] * len(levels)] * len(self.payment_dates))
            frame = pd.DataFrame(np.array(quantiles, dtype=float), index=self.payment_dates,
                                 columns=pd.Index(levels, name="level"))
            frame.insert(0, "mean", account["expected_balance"])
            frames[account["name"]] = frame
        return frames

    @property
    def fan_charts(self) -> Optional[Dict[str, pd.DataFrame]]:
        """DSCR and LTV quantiles by payment date (rows) and level (columns), over paths without an event of
        default by then; NaN where no path remains or the quantile is infinite. Quantiles come from bins of
        1e-3 over [0, 10) for DSCR and [0, 5) for LTV: one that falls in an overflow bin reports the smallest
        value in it (DSCR is +inf on dates when nothing is due, so late dates often read just above 10). With a
        borrowing base, also ``borrowing_base_headroom``: the base less the facility's balance at each test (every
        payment date but the last), before any prepayment, in the deal currency, from bins of 1e-3 of the facility's balance at t0 over
        [-1, 4) times it. With a power market, PPAs or sites, also ``power_cost``: each date's period power cost, PPAs
        included, in the deal currency, from bins of 1e-3 of the whole fleet's power at full draw and the forward
        price over [-2, 6) times it."""
        if not self.is_waterfall:
            return None
        fan = self._document["fan_charts"]
        levels = pd.Index(fan["levels"], name="level")
        keys = [key for key in ("dscr", "ltv", "borrowing_base_headroom", "power_cost") if key in fan]
        return {key: pd.DataFrame(np.array(fan[key], dtype=float).reshape(-1, len(levels)),
                                  index=self.payment_dates[:len(fan[key])], columns=levels)
                for key in keys}

    @property
    def borrowing_base(self) -> Optional[pd.Series]:
        """The borrowing base (docs/methodology.md section 5.7): at t0 its value, the facility's balance, the
        headroom, the eligible collateral by class after the concentration limits and what they exclude
        (``initial_*``); over paths the probability of a deficiency, the expected months deficient after the
        prepayments, the probability that an uncured deficiency is the event of default and the expected mandatory
        prepayments, each with its standard error. None without a borrowing base."""
        base = self._document.get("borrowing_base")
        if base is None:
            return None
        initial = base["initial"]
        values = {"initial_borrowing_base": initial["borrowing_base"], "initial_balance": initial["balance"],
                  "initial_headroom": initial["headroom"],
                  **{f"initial_eligible_{k}": v for k, v in initial["eligible"].items()},
                  "initial_excluded": initial["excluded"]}
        values.update({k: v for k, v in base.items() if not isinstance(v, (list, dict))})
        return pd.Series(values, name="borrowing_base")

    @property
    def operating_costs(self) -> Optional[pd.Series]:
        """The SPV's operating costs over the deal, undiscounted (docs/methodology.md section 4.9): ``energy`` (the
        contracts' and the spot GPUs' power, net of the PPAs' settlement), ``other`` (fixed opex) and
        ``energy_share``, power's expected share of a path's costs, each with its standard error; with generation
        behind the meter also ``generation``, what it changed in ``energy`` (negative: it saved; section 4.12). None
        for loss tranches."""
        if not self.is_waterfall:
            return None
        return pd.Series(self._document["operating_costs"], name="operating_costs")

    @property
    def deliveries(self) -> Optional[pd.DataFrame]:
        """One row per delivery (a fleet cohort acquired after the valuation date, docs/methodology.md section 5.8):
        its planned funding date, the probability that it is cancelled, its expected delay in months and the
        probability that it is late (both 0 without delivery delays), each with its standard error. Empty without
        deliveries; None for loss tranches."""
        if not self.is_waterfall:
            return None
        columns = ["cohort", "funding_date", "cancel_probability", "cancel_probability_stderr", "expected_delay_months",
                   "expected_delay_months_stderr", "late_probability", "late_probability_stderr"]
        return pd.DataFrame(self._document.get("deliveries", []), columns=columns).set_index("cohort")

    @property
    def draws(self) -> Optional[pd.DataFrame]:
        """Per payment date (rows), each delayed-draw tranche's (columns) mean amount drawn. Empty without delayed
        draws; None for loss tranches."""
        if not self.is_waterfall:
            return None
        columns = {t["name"]: t["delayed_draw"]["expected_draws"] for t in self._document["tranches"]
                   if "delayed_draw" in t}
        return pd.DataFrame(columns, index=self.payment_dates)

    @property
    def borrowing_base_by_date(self) -> Optional[pd.DataFrame]:
        """Per payment date: the probability that the first borrowing-base deficiency is then
        (``first_deficiency``) and the mean mandatory prepayment (``expected_prepayment``). None without a
        borrowing base."""
        base = self._document.get("borrowing_base")
        if base is None:
            return None
        return pd.DataFrame({"first_deficiency": base["first_deficiency"],
                             "expected_prepayment": base["expected_prepayment"]}, index=self.payment_dates)

    @property
    def expected_flows(self) -> Optional[pd.DataFrame]:
        """Mean principal and interest of each tranche and the equity's mean distribution, by payment date."""
        if not self.is_waterfall:
            return None
        columns = {}
        for tranche in self._document["tranches"]:
            columns[(tranche["name"], "principal")] = tranche["expected_principal"]
            columns[(tranche["name"], "interest")] = tranche["expected_interest"]
        columns[("Equity", "distribution")] = self._document["equity"]["expected_distributions"]
        return pd.DataFrame(columns, index=self.payment_dates)

    @property
    def control_variates(self) -> Optional[dict]:
        """The exact means a control-variate run used (``price(..., control_variates=True)``; docs/methodology.md
        section 7.7): ``portfolio_loss_mean``, ``tranche_loss_means`` (loss tranches, when exact) and the
        quadrature's ``achieved_error``, with each tranche's ``controls``. None without control variates."""
        c = self._document.get("control_variates")
        if c is None:
            return None
        controls = {t["name"]: t["control_variate"]["controls"] for t in self._document["tranches"]}
        return {**copy.deepcopy(c), "controls": controls}

    @property
    def contributions(self) -> Optional[pd.DataFrame]:
        """Risk contributions (``price(..., contributions=True)``; docs/methodology.md section 6.7), one row per
        counterparty, sector and the GPU market, indexed by ``(kind, id)``. Columns: the Euler contributions to the
        portfolio's expected loss, 99% VaR and 99% ES (fractions of the total exposure; NaN for the GPU market),
        and each tranche's expected loss allocated to the holder (``"<tranche> expected_loss"``, a fraction of the
        tranche's size), each with its standard error. Counterparties, and sectors, add up to the totals in
        ``results["contributions"]["totals"]`` and to each tranche's expected loss with the GPU market, to
        rounding. None without contributions."""
        c = self._document.get("contributions")
        if c is None:
            return None
        rows, index = [], []
        for kind, holders in (("counterparty", c["counterparties"]), ("sector", c["sectors"]),
                              ("gpu_market", [{"id": "gpu_market", "tranches": c["gpu_market"]["tranches"]}])):
            for holder in holders:
                row = {k: v for k, v in holder.items() if k not in ("id", "tranches")}
                for t in holder["tranches"]:
                    row[f"{t['name']} expected_loss"] = t["expected_loss"]
                    row[f"{t['name']} expected_loss_stderr"] = t["expected_loss_stderr"]
                rows.append(row)
                index.append((kind, holder["id"]))
        columns = ["expected_loss", "expected_loss_stderr", "var_99", "var_99_stderr", "es_99", "es_99_stderr"]
        columns += [f"{t['name']} {s}" for t in c["gpu_market"]["tranches"] for s in ("expected_loss",
                                                                                      "expected_loss_stderr")]
        frame = pd.DataFrame(rows, columns=columns, dtype=float)
        frame.index = pd.MultiIndex.from_tuples(index, names=["kind", "id"])
        return frame

    def __getitem__(self, key: str):
        return self._document[key]

    def __repr__(self) -> str:
        d = self._document
        return f"Results({d['deal']!r}, paths={d['paths']}, seed={d['seed']})"

    def _repr_html_(self) -> str:
        d = self._document
        run = ("semi-analytic" if d["paths"] is None else f"{d['paths']:,} paths, seed {d['seed']}")
        parts = [f"<b>{d['deal']}</b>: {run}", self.tranches.to_html()]
        if self.is_waterfall:
            parts += [self.equity.to_frame().T.to_html(), self.events.to_html()]
            if len(self.covenants):
                parts.append(self.covenants.to_html())
        return "<br>".join(parts)
