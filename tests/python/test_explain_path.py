"""`cd.explain`: the worst paths of a keep_paths run, replayed alone, with the same values and a readable trace."""

from pathlib import Path

import numpy as np
import pytest

import computedebt as cd

DEALS = Path(__file__).resolve().parents[2] / "examples" / "deals"


@pytest.fixture(scope="module")
def deal():
    return cd.load_deal(DEALS / "blended_2026.json")


def test_the_worst_mezzanine_path_replays_bit_for_bit(deal):
    results = cd.price(deal, paths=3000, seed=6, keep_paths=True, progress=False)
    worst = results.paths.worst("Mezzanine B", n=3)
    losses = results.paths.tranche_loss[:, 1]
    assert losses[worst[0]] == losses.max() and list(losses[worst]) == sorted(losses[worst], reverse=True)
    trace = cd.explain(deal, int(worst[0]), seed=6, paths=3000)
    assert trace.tranche_loss["Mezzanine B"] == losses[worst[0]]
    assert trace["portfolio_loss"] == results.paths.portfolio_loss[worst[0]]
    assert trace["waterfall"]["equity_irr"] == results.paths.equity_irr[worst[0]]
    assert len(trace.defaults) == results.paths.default_count[worst[0]]


def test_the_trace_frames(deal):
    trace = cd.explain(deal, 11, seed=2, paths=1000)
    dates = trace.dates
    assert len(dates) == 22 and ("Senior A", "balance") in dates.columns and ("ratio", "dscr") in dates.columns
    principal = dates[("Senior A", "principal")].to_numpy()
    balance = dates[("Senior A", "balance")].to_numpy()
    assert np.allclose(1300e6 - np.cumsum(principal), balance, atol=1e-3)  # the senior capitalises nothing here
    steps = trace.steps
    equity = steps[steps["step"] == "equity"].groupby("date")["amount"].sum().reindex(dates.index, fill_value=0.0)
    assert np.allclose(equity.to_numpy(), dates[("equity", "distributions")].to_numpy())
    assert list(trace.gpu_multiplier.columns) == ["H100", "B200"]
    assert "path 11" in repr(trace)


def test_bad_arguments(deal):
    with pytest.raises(ValueError, match="path"):
        cd.explain(deal, 1000, paths=1000)
    with pytest.raises(TypeError, match="path"):
        cd.explain(deal, 1.5, paths=1000)
    results = cd.price(deal, paths=200, keep_paths=True, progress=False)
    with pytest.raises(ValueError, match="tranche"):
        results.paths.worst("Junior")
