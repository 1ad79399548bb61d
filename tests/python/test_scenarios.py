"""Sensitivities and scenario grids from Python: common random numbers make a bump's central difference equal to
the difference of two separate `price` runs, and every grid point equal to a single run, bit for bit."""

from pathlib import Path

import numpy as np
import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"
PATHS = 2048


@pytest.fixture(scope="module")
def deal():
    return cd.load_deal(BLENDED)


@pytest.fixture(scope="module")
def document(deal):
    return cd.sensitivities(deal, paths=PATHS, seed=5)


def test_a_central_difference_equals_two_separate_price_runs(deal, document):
    bump = next(b for b in document["bumps"] if b["input"] == "assumptions.sectors.ai_startup.pd_multiplier")
    up = cd.price(deal.with_assumptions(bump["up_patch"]), paths=PATHS, seed=5, progress=False)
    down = cd.price(deal.with_assumptions(bump["down_patch"]), paths=PATHS, seed=5, progress=False)
    for d, (name, row) in zip(bump["differences"], up.tranches.iterrows()):
        assert d["up"] == row["expected_loss"] and d["down"] == down.tranches.loc[name, "expected_loss"]
        assert d["derivative"] == (up.tranches.loc[name, "expected_loss"]
                                   - down.tranches.loc[name, "expected_loss"]) / (2 * bump["step"])
    assert bump["differences"][2]["up"] == up.equity["irr_mean"]
    assert bump["differences"][3]["down"] == down.events.loc["event_of_default", "probability"]


def test_paired_errors_match_the_kept_paths_and_beat_independent_runs(deal, document):
    bump = next(b for b in document["bumps"] if b["input"] == "assumptions.gpu_market.H100.volatility")
    up = cd.price(deal.with_assumptions(bump["up_patch"]), paths=PATHS, seed=5, keep_paths=True, progress=False)
    down = cd.price(deal.with_assumptions(bump["down_patch"]), paths=PATHS, seed=5, keep_paths=True, progress=False)
    differences = (up.paths.tranche_loss[:, 1] - down.paths.tranche_loss[:, 1]) / (2 * bump["step"])
    expected = differences.std(ddof=1) / np.sqrt(PATHS)
    assert bump["differences"][1]["derivative_stderr"] == pytest.approx(expected, rel=1e-9)
    for d in bump["differences"]:
        assert d["derivative_stderr"] < d["independent_stderr"]


def test_senior_loss_rises_with_start_up_defaults_and_falls_with_rents(document):
    table = cd.sensitivity_table(document)
    senior = table[(table["output"] == "expected_loss") & (table["tranche"] == "Senior A")].set_index("input")
    assert senior.loc["assumptions.sectors.ai_startup.pd_multiplier", "derivative"] > 0
    assert senior.loc["assumptions.gpu_market.H100.rent", "derivative"] < 0
    assert senior.loc["assumptions.sectors.ai_startup.recovery_rate", "derivative"] < 0
    assert set(table["kind"]) == {"value", "shift", "scale"}
    assert table["derivative_stderr"].notna().all()


def test_antithetic_and_quasi_random_group_as_the_engine_does(deal):
    for options in ({"antithetic": True}, {"quasi_random": True}):
        result = cd.sensitivities(deal, paths=PATHS, seed=2, **options)
        senior = result["bumps"][0]["differences"][0]
        assert np.isfinite(senior["derivative_stderr"]) and senior["derivative_stderr"] > 0


def test_grid_points_equal_single_runs_bit_for_bit(deal):
    axes = {"assumptions.sectors.ai_startup.pd_multiplier": [1, 2, 3],
            "assumptions.gpu_market.H100.volatility": [0.2, 0.4]}
    grid = cd.scenario_grid(deal, axes, paths=PATHS, seed=7)
    assert grid["expected_loss"].dims == ("assumptions.sectors.ai_startup.pd_multiplier",
                                          "assumptions.gpu_market.H100.volatility", "tranche")
    assert list(grid["tranche"].values) == ["Senior A", "Mezzanine B"]
    for name in ("default_probability_stderr", "equity_irr_mean", "event_of_default_probability_stderr"):
        assert name in grid
    patch = {"sectors": {"ai_startup": {"pd_multiplier": 3}}, "gpu_market": {"H100": {"volatility": 0.2}}}
    single = cd.price(deal.with_assumptions(patch), paths=PATHS, seed=7, progress=False)
    point = grid.sel({"assumptions.sectors.ai_startup.pd_multiplier": 3, "assumptions.gpu_market.H100.volatility": 0.2})
    for name, row in single.tranches.iterrows():
        assert point["expected_loss"].sel(tranche=name).item() == row["expected_loss"]
        assert point["default_probability_stderr"].sel(tranche=name).item() == row["default_probability_stderr"]
    assert point["equity_irr_mean"].item() == single.equity["irr_mean"]
    # Senior EL rises along the start-up axis.
    senior = grid["expected_loss"].sel(tranche="Senior A", **{"assumptions.gpu_market.H100.volatility": 0.2})
    assert np.all(np.diff(senior.values) > 0)


@pytest.mark.parametrize("axes, fragment", [
    ({"assumptions.sectors.nowhere.pd_multiplier": [1]}, "assumptions.sectors.nowhere"),
    ({"assumptions.sectors.ai_startup.pd_multiplier": []}, 'axes["assumptions.sectors.ai_startup.pd_multiplier"]'),
    ({"assumptions.sectors.ai_startup.pd_multiplier": ["two"]},
     'axes["assumptions.sectors.ai_startup.pd_multiplier"][0]'),
    ({"sectors.ai_startup.pd_multiplier": [1]}, 'axes["sectors.ai_startup.pd_multiplier"]'),
    ({"assumptions.sectors.ai_startup.colour": [1]}, "assumptions.sectors.ai_startup.colour"),
])
def test_grid_problems_raise_value_error_naming_the_path(deal, axes, fragment):
    with pytest.raises(ValueError, match=None) as error:
        cd.scenario_grid(deal, axes, paths=1024)
    assert fragment in str(error.value)


def test_every_grid_problem_is_reported_at_once(deal):
    with pytest.raises(ValueError) as error:
        cd.scenario_grid(deal, {"assumptions.sectors.nowhere.pd_multiplier": [1],
                                "assumptions.sectors.ai_startup.recovery_rate": [2]}, paths=1024)
    paths = [p for p, _ in error.value.problems]
    assert paths == ["assumptions.sectors.nowhere", "assumptions.sectors.ai_startup.recovery_rate"]
    with pytest.raises(TypeError):
        cd.scenario_grid(deal, [("assumptions.sectors.ai_startup.pd_multiplier", [1])], paths=1024)


def test_scenario_heatmap_is_labelled(deal):
    import matplotlib

    matplotlib.use("Agg")
    grid = cd.scenario_grid(deal, {"assumptions.sectors.ai_startup.pd_multiplier": [1, 2],
                                   "assumptions.sectors.ai_startup.recovery_rate": [0.1, 0.3]}, paths=1024)
    ax = cd.plot.scenario_heatmap(grid, "expected_loss", x="assumptions.sectors.ai_startup.pd_multiplier",
                                  y="assumptions.sectors.ai_startup.recovery_rate", tranche="Senior A")
    assert "Senior A" in ax.get_title() and "(x)" in ax.get_xlabel() and "(fraction)" in ax.get_ylabel()
    assert "fraction of the tranche" in ax.figure.axes[-1].get_ylabel()
    with pytest.raises(ValueError, match="tranche"):
        cd.plot.scenario_heatmap(grid, "expected_loss", x="assumptions.sectors.ai_startup.pd_multiplier",
                                 y="assumptions.sectors.ai_startup.recovery_rate")
