"""Sensitivities and scenario grids on common random numbers (docs/methodology.md sections 10.3 and 10.4)."""

from __future__ import annotations

import json
from typing import Dict, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._deal import Deal
from ._price import _config

#: The per-tranche variables of a scenario grid, and the deal-level ones of a waterfall.
GRID_TRANCHE_VARIABLES = ("expected_loss", "default_probability")
GRID_DEAL_VARIABLES = ("equity_irr_mean", "event_of_default_probability")


def sensitivities(deal: Deal, paths: int = 100_000, seed: int = 1, threads: Optional[int] = None,
                  importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
                  quasi_random: bool = False) -> dict:
    """Central differences of each tranche's expected loss and, for waterfalls, the equity's mean IRR and the
    event-of-default probability, under the standard bumps of the assumptions and of the PPAs' volumes
    (docs/methodology.md section 10.3),
    every bumped run on the same paths. Returns the document of ``computedebt sensitivities``: ``outputs`` (the base
    run's estimates) and ``bumps`` (each input, its step and merge patches, and per output the two bumped values,
    the derivative and its standard error from paired per-group differences, and the larger standard error two
    independent runs would give). :func:`sensitivity_table` turns it into a DataFrame. Options are checked as
    :func:`computedebt.price` checks them."""
    config = _config(deal, paths, seed, threads, False, importance_shift, antithetic, quasi_random)
    return json.loads(_core.sensitivities(deal._file, config, **deal._sources()))


def sensitivity_table(document: dict) -> pd.DataFrame:
    """A tidy DataFrame of a sensitivities document: one row per bump and output, with the columns ``input``,
    ``patches`` (``assumptions``, or ``deal`` for the PPAs' volumes), ``kind``, ``base_value``, ``step``, ``output``, ``tranche`` (None for deal-level outputs), ``base``, ``up``,
    ``down``, ``derivative``, ``derivative_stderr`` and ``independent_stderr``."""
    base = {(o["output"], o["tranche"]): o["value"] for o in document["outputs"]}
    rows = []
    for bump in document["bumps"]:
        for d in bump["differences"]:
            rows.append({"input": bump["input"], "patches": bump["patches"], "kind": bump["kind"],
                         "base_value": bump["base_value"],
                         "step": bump["step"], "output": d["output"], "tranche": d["tranche"],
                         "base": base[(d["output"], d["tranche"])], "up": d["up"], "down": d["down"],
                         "derivative": d["derivative"], "derivative_stderr": d["derivative_stderr"],
                         "independent_stderr": d["independent_stderr"]})
    columns = ["input", "patches", "kind", "base_value", "step", "output", "tranche", "base", "up", "down",
               "derivative", "derivative_stderr", "independent_stderr"]
    frame = pd.DataFrame(rows, columns=columns)
    numeric = columns[3:5] + columns[7:]
    frame[numeric] = frame[numeric].astype(float)
    return frame


def _grid_point(deal_json: str, patch: str, paths: int, seed: int, shift, antithetic: bool,
                quasi_random: bool) -> str:
    """One grid point on a Dask worker: the same run as a local one, so the same bits."""
    deal = Deal.from_json(deal_json)
    config = _config(deal, paths, seed, None, False, shift, antithetic, quasi_random)
    return _core.grid_point(deal._file, patch, config)


def scenario_grid(deal: Deal, axes: Dict[str, Sequence[float]], paths: int = 100_000, seed: int = 1,
                  threads: Optional[int] = None, client=None, importance_shift: Optional[Sequence[float]] = None,
                  antithetic: bool = False, quasi_random: bool = False):
    """Prices the Cartesian grid of ``axes`` (dotted paths into the assumptions, each with its values) on common
    random numbers, as ``computedebt grid`` does: each point is the run of :func:`computedebt.price` with the merge
    patch setting every path to its value, bit for bit.

    Returns an ``xarray.Dataset`` with one dimension per axis (named by its path, its values as coordinates) and
    ``tranche``; variables ``expected_loss`` and ``default_probability`` per tranche and, for waterfalls,
    ``equity_irr_mean`` and ``event_of_default_probability``, each with a ``<name>_stderr`` variable. With ``client``
    (a ``dask.distributed.Client``) the points run as tasks on its workers, with the same results. Every problem of
    the grid raises one ``ValueError`` naming each path (an unknown field, sector, counterparty or GPU type, an empty
    axis, a value that is not a number or out of range); ``axes`` that is not a dict raises ``TypeError``."""
    import xarray as xr

    if not isinstance(axes, dict):
        raise TypeError(f"axes: expected a dict of dotted path -> list of values, got {type(axes).__name__}")
    config = _config(deal, paths, seed, threads, False, importance_shift, antithetic, quasi_random)
    try:
        grid = json.dumps({"axes": {k: list(v) if isinstance(v, (list, tuple, np.ndarray, range)) else v
                                    for k, v in axes.items()}}, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"axes: expected numbers, {error}") from None
    named, patches = _core.grid_patches(deal._file, grid)
    if client is None:
        points = [_core.grid_point(deal._file, patch, config) for patch in patches]
    else:
        text = deal.to_json()
        futures = [client.submit(_grid_point, text, patch, config.paths, config.seed, importance_shift, antithetic,
                                 quasi_random, pure=False) for patch in patches]
        points = client.gather(futures)
    points = [json.loads(p) for p in points]
    shape = tuple(len(values) for _, values in named)
    dims = tuple(path for path, _ in named)
    tranches = [t["name"] for t in points[0]["tranches"]]
    variables = {}
    for name in GRID_TRANCHE_VARIABLES:
        for key in (name, f"{name}_stderr"):
            values = np.array([[t[key] if t[key] is not None else np.nan for t in p["tranches"]] for p in points],
                              dtype=float)
            variables[key] = (dims + ("tranche",), values.reshape(shape + (len(tranches),)))
    if "equity_irr_mean" in points[0]:
        for name in GRID_DEAL_VARIABLES:
            for key in (name, f"{name}_stderr"):
                values = np.array([p[key] if p[key] is not None else np.nan for p in points], dtype=float)
                variables[key] = (dims, values.reshape(shape))
    coords = {path: list(values) for path, values in named}
    coords["tranche"] = tranches
    return xr.Dataset(variables, coords=coords,
                      attrs={"deal": deal.name, "paths": config.paths, "seed": config.seed,
                             "computedebt_version": _core.__version__})
