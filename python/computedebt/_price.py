"""Pricing and structuring runs, with a progress bar and Ctrl-C."""

from __future__ import annotations

import json
import numbers
import sys
from typing import Optional, Sequence, Tuple

from . import _core
from ._deal import Deal
from ._results import Results, Trace


def _sequence(name: str, value):
    """``value`` as a list; a string is refused with ``TypeError`` rather than taken letter by letter."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a list, got the string {value!r}: write {name}=[{value!r}]")
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name}: expected a list, got {type(value).__name__}") from None


def _integer(name: str, value, low: int, high: int, expected: str) -> int:
    """``value`` as an ``int`` in ``[low, high]``, refused as ``computedebt price`` refuses its options: a value
    that is not an integer (a float, even ``2.0``, a string, a bool) raises ``TypeError``, one out of range
    ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected {expected}, got {type(value).__name__} {value!r}")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name}: expected {expected}, got {value}")
    return value


def _config(deal: Deal, paths: int, seed: int, threads: Optional[int], keep_paths: bool = False,
            importance_shift=None, antithetic: bool = False, quasi_random: bool = False,
            gpu_months=None, contributions: bool = False, keep_flows: bool = False,
            control_variates: bool = False, importance_target: Optional[str] = None,
            allow_auto: bool = False) -> _core.SimulationConfig:
    """The engine's settings, every input problem raised before anything runs: ``TypeError`` for a count that
    is not an integer, ``ValueError`` for any other problem. Paths, seed and threads take exactly what
    ``computedebt price --paths/--seed/--threads`` take; ``threads=None`` is all cores (no ``--threads``).
    ``importance_shift="auto"``, where ``allow_auto``, chooses the shift for ``importance_target``
    (docs/methodology.md section 7.4); a cross-entropy pilot then runs here, once."""
    automatic = isinstance(importance_shift, str) and importance_shift == "auto"
    if automatic and not allow_auto:
        raise ValueError("importance_shift: 'auto' is chosen by price, explain and distributed.price only; this "
                         "re-runs the same paths on changed deals: give one shift per factor")
    if importance_target is not None:
        if not automatic:
            raise ValueError("importance_target: names the tranche of importance_shift='auto'; add it or drop "
                             "importance_target")
        if not isinstance(importance_target, str):
            raise TypeError(f"importance_target: expected a tranche name, got {type(importance_target).__name__}")
    paths = _integer("paths", paths, 1, _core.max_paths, f"an integer number of paths in [1, 2^40 = {_core.max_paths}]")
    seed = _integer("seed", seed, 0, 2**32 - 1, "an unsigned 32-bit integer, in [0, 4294967295]")
    if threads is not None:
        threads = _integer("threads", threads, 1, _core.max_threads,
                           f"an integer number of threads in [1, {_core.max_threads}], or None for all cores")
    if antithetic and paths % 2:
        raise ValueError(f"paths: antithetic pairs need an even number of paths, got {paths}")
    if quasi_random and (paths % _core.leaf_paths or paths < 2 * _core.leaf_paths):
        raise ValueError(f"paths: quasi-random factors need a whole number of leaves of {_core.leaf_paths} paths, "
                         f"at least two, got {paths}")
    config = _core.SimulationConfig()
    config.paths = int(paths)
    config.seed = int(seed)
    config.threads = 0 if threads is None else threads
    config.keep_paths = bool(keep_paths)
    if keep_flows and not keep_paths:
        raise ValueError("keep_flows: the per-path flows come with the per-path values: price with keep_paths=True")
    config.keep_flows = bool(keep_flows)
    if gpu_months is not None:
        months = [int(m) for m in _sequence("gpu_months", gpu_months)]
        last = _core.months(deal._file)
        outside = [m for m in months if not 0 <= m <= last]
        if outside:
            raise ValueError(f"gpu_months: expected months of the grid [0, {last}], got {outside}")
        config.gpu_multiplier_months = months
    if importance_shift is not None and not automatic:
        shift = [float(x) for x in _sequence("importance_shift", importance_shift)]
        factors = deal.to_dict()["assumptions"]["factors"]["names"]
        if len(shift) != len(factors):
            raise ValueError(f"importance_shift: expected one shift per factor ({len(factors)}: {factors}), "
                             f"got {len(shift)}")
        config.importance_shift = shift
    config.antithetic = bool(antithetic)
    config.quasi_random = bool(quasi_random)
    config.contributions = bool(contributions)
    config.control_variates = bool(control_variates)
    if automatic:
        config = _core.auto_importance_shift(deal._file, config, importance_target or "")
    return config


def _watched() -> bool:
    """Whether a person watches the output, as ``computedebt price`` asks before it draws its bar: a terminal on
    stderr, or a notebook (a Jupyter kernel's shell); not a pipe, a file or a batch job."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    shell = sys.modules.get("IPython")
    ipython = getattr(shell, "get_ipython", lambda: None)() if shell else None
    return type(ipython).__name__ == "ZMQInteractiveShell"


class _ProgressBar:
    """A tqdm bar over paths (notebook or terminal), closed when the run ends or stops."""

    def __init__(self, total: int, description: str) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(total=total, desc=description, unit="path", unit_scale=True, leave=False)

    def __call__(self, done: int, total: int) -> bool:
        self._bar.update(done - self._bar.n)
        return True

    def close(self) -> None:
        self._bar.close()


def price(deal: Deal, paths: int = 100_000, seed: int = 1, threads: Optional[int] = None, keep_paths: bool = False,
          progress: bool = True, importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
          quasi_random: bool = False, gpu_months: Optional[Sequence[int]] = None,
          contributions: bool = False, method: str = "monte-carlo", tolerance: float = 1e-12,
          keep_flows: bool = False, control_variates: bool = False,
          importance_target: Optional[str] = None) -> Results:
    """Prices the deal by Monte Carlo, as ``computedebt price`` does.

    ``method="semi-analytic"`` prices a loss-tranche deal exactly instead, as ``computedebt price --method
    semi-analytic --tolerance T`` does (docs/methodology.md section 6.6): the same :class:`Results`, with ``None``
    for every standard error, ``paths`` and ``seed``, and ``results["semi_analytic"]`` holding the tolerance, the
    achieved error and the nodes. The path and variance-reduction arguments are then unused; a waterfall deal or
    a tolerance outside (0, 1e-3] raises ``ValueError``.

    Results depend only on ``seed``, ``paths`` and the variance reduction (``importance_shift`` per factor,
    ``antithetic``, ``quasi_random``), never on ``threads`` (None: all cores). ``importance_shift="auto"``
    chooses the shift for the tranche ``importance_target`` (default: the most senior), as
    ``--importance-shift auto`` does (docs/methodology.md section 7.4): the Glasserman-Li mode for a loss-tranche
    pool, a cross-entropy pilot of its own paths otherwise; ``results.importance_sampling`` says how, and
    ``results.importance_variance_reduction`` what each tranche's expected loss gained against plain Monte Carlo. With ``keep_paths`` the per-path
    values come back as NumPy arrays in ``Results.paths``, with each GPU type's market multiplier at
    ``gpu_months`` (default: every month of the grid), and with ``keep_flows`` too each waterfall tranche's
    interest, principal and balance after every payment date (``PathValues.to_xarray``). With ``contributions`` the run adds each counterparty's
    and sector's Euler contributions to expected loss, 99% VaR and ES and to each tranche's expected loss
    (``Results.contributions``); the paths run twice and every other result is unchanged. With
    ``control_variates`` every tranche's expected loss (and LGD) is the control-variate estimate on the horizon
    portfolio loss and, for loss tranches, the other tranches' losses, whose exact means come from the
    semi-analytic engine (docs/methodology.md section 7.7); ``Results.tranches`` then also has each tranche's plain
    estimate and variance-reduction factor, and ``Results.control_variates`` the exact means. The GIL is released
    while the engine runs; Ctrl-C stops it within a fraction of a second and raises ``KeyboardInterrupt``.

    ``paths``, ``seed`` and ``threads`` take what ``computedebt price`` takes: paths in [1, 2^40], a seed in
    [0, 2^32 - 1], threads in [1, 1024] or None. Every input problem raises ``ValueError`` before anything
    runs (a count out of range, a shift list not of one value per factor, a month outside the grid, an odd
    path count with ``antithetic``); a count that is not an integer (``paths=1.5``) or a string where a list
    is expected (``importance_shift``, ``gpu_months``) raises ``TypeError``.
    """
    if method == "semi-analytic":
        if contributions:
            raise ValueError("contributions: risk contributions come from the Monte Carlo, not method='semi-analytic'")
        if control_variates:
            raise ValueError("control_variates: control variates reduce the Monte Carlo's variance; "
                             "method='semi-analytic' has none")
        if isinstance(importance_shift, str) and importance_shift == "auto":
            raise ValueError("importance_shift: 'auto' chooses a shift for the Monte Carlo's paths, and "
                             "method='semi-analytic' has none: drop one of them")
        text = _core.price_semi_analytic(deal._file, float(tolerance), **deal._sources())
        results = Results(json.loads(text))
        results._warn()
        return results
    if method != "monte-carlo":
        raise ValueError(f"method: expected 'monte-carlo' or 'semi-analytic', got {method!r}")
    if keep_paths and gpu_months is None:
        gpu_months = range(_core.months(deal._file) + 1)
    config = _config(deal, paths, seed, threads, keep_paths, importance_shift, antithetic, quasi_random, gpu_months,
                     contributions, keep_flows, control_variates, importance_target, allow_auto=True)
    bar = _ProgressBar(config.paths * (2 if contributions else 1), deal.name) if progress and _watched() else None
    try:
        text, arrays = _core.simulate(deal._file, config, bar, **deal._sources())
    finally:
        if bar is not None:
            bar.close()
    gpu_types = [g["id"] for g in deal.to_dict()["deal"].get("gpu_types", [])]
    results = Results(json.loads(text), arrays, gpu_types)
    results._warn()
    return results


def explain(deal: Deal, path: int, seed: int = 1, paths: int = 100_000,
            importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
            quasi_random: bool = False, importance_target: Optional[str] = None) -> Trace:
    """Replays path ``path`` of the run ``price(deal, paths, seed, ...)`` alone, from its counter, as
    ``computedebt explain`` does: its values are bit for bit those of that path in the full run (compare with
    ``price(..., keep_paths=True).paths``; ``PathValues.worst`` finds the paths to replay). An automatic shift
    (``importance_shift="auto"``) is chosen again, the same as the run's."""
    config = _config(deal, paths, seed, None, False, importance_shift, antithetic, quasi_random,
                     importance_target=importance_target, allow_auto=True)
    path = _integer("path", path, 0, config.paths - 1, f"a path of the run, in [0, {config.paths - 1}]")
    return Trace(json.loads(_core.explain(deal._file, config, path, **deal._sources())))


def size(deal: Deal, tranche: str, target_rating: str, paths: int = 100_000, seed: int = 1,
         threads: Optional[int] = None,
         importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
         quasi_random: bool = False) -> dict:
    """The largest notional of ``tranche`` whose expected loss meets ``target_rating`` (Moody's idealised
    expected loss at the tranche's WAL), re-running the same paths in every trial; the equity absorbs the
    change. The variance reduction applies to every trial; ``paths``, ``seed`` and ``threads`` are checked as
    :func:`price` checks them. Returns the document of ``computedebt size``
    (with every trial)."""
    config = _config(deal, paths, seed, threads, False, importance_shift, antithetic, quasi_random)
    return json.loads(_core.size_tranche(deal._file, tranche, target_rating, config, **deal._sources()))


def size_deal(deal: Deal, request: dict, paths: int = 100_000, seed: int = 1, threads: Optional[int] = None,
              importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
              quasi_random: bool = False) -> Tuple[dict, Optional[Deal]]:
    """Sizes each tranche of ``request`` (``{"tranches": [{"tranche": name, "target_rating": "A2", "dscr": 1.35,
    "max_ltv": 0.7, "borrowing_base": True}, ...]}``, ``schema/sizing_request.schema.json``), senior first, to the
    least notional its constraints allow on the deal the tranches before it left: a DSCR sculpt, an LTV limit or
    the borrowing base at t0, a target rating (searched on the same paths in every trial). Returns the document of ``computedebt size --request`` and the
    sized :class:`Deal` (``None`` when a tranche meets its rating at no notional: the document's ``complete`` is
    then false). A bad request raises ``ValueError`` naming every problem's path."""
    if not isinstance(request, dict):
        raise TypeError(f"request: expected a dict, got {type(request).__name__}")
    config = _config(deal, paths, seed, threads, False, importance_shift, antithetic, quasi_random)
    text, file = _core.size_deal(deal._file, json.dumps(request), config, **deal._sources())
    return json.loads(text), None if file is None else Deal(file, deal._assumptions, deal._scenarios)


def sculpt(deal: Deal, tranche: str, dscr: float) -> Tuple[dict, Deal]:
    """Sculpts ``tranche``'s amortisation to a DSCR of ``dscr`` on the base case (the contracts' promised cash, no
    defaults, rates at their projections) and sizes it to what that debt service repays, the equity taking the
    difference. Returns the document of ``computedebt sculpt`` (per date: income, the other tranches' debt
    service, the tranche's interest, principal and balance, the DSCR) and the sculpted :class:`Deal`, ready to
    price. Nothing is simulated."""
    if isinstance(dscr, bool) or not isinstance(dscr, (int, float)):
        raise TypeError(f"dscr: expected a number, got {type(dscr).__name__}")
    text, file = _core.sculpt_tranche(deal._file, tranche, float(dscr), **deal._sources())
    return json.loads(text), Deal(file, deal._assumptions, deal._scenarios)


def break_even(deal: Deal, tranche: str, target_rating: str, sectors: Sequence[str], paths: int = 100_000,
               seed: int = 1, threads: Optional[int] = None, max_multiplier: float = 100.0,
               importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
               quasi_random: bool = False) -> dict:
    """The largest multiplier on the default probabilities of the counterparties in ``sectors`` at which
    ``tranche`` still meets ``target_rating``, with common random numbers across trials."""
    sectors = _sequence("sectors", sectors)
    config = _config(deal, paths, seed, threads, False, importance_shift, antithetic, quasi_random)
    return json.loads(_core.break_even_multiplier(deal._file, tranche, target_rating, sectors, config,
                                                  max_multiplier, **deal._sources()))
