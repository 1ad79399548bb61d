"""``computedebt.price(..., method="semi-analytic")``: the same Results type as the Monte Carlo."""

from pathlib import Path

import pytest

import computedebt as cd

DEALS = Path(__file__).resolve().parents[2] / "examples" / "deals"


@pytest.fixture(scope="module")
def pool_deal():
    return cd.load_deal(DEALS / "homogeneous_pool.json")


@pytest.fixture(scope="module")
def blended_deal():
    return cd.load_deal(DEALS / "blended_2026.json")


def test_semi_analytic_returns_results_without_standard_errors(pool_deal):
    results = cd.price(pool_deal, method="semi-analytic")
    assert isinstance(results, cd.Results)
    assert results["paths"] is None and results["semi_analytic"]["achieved_error"] <= 1e-12
    tranches = results.tranches
    assert len(tranches) == 6 and tranches["expected_loss_stderr"].isna().all()
    assert tranches["expected_loss"].iloc[0] > tranches["expected_loss"].iloc[-1] > 0
    assert abs(results.default_count_distribution.sum() - 1) < 1e-12
    assert "semi-analytic" in results._repr_html_()


def test_semi_analytic_refuses_a_waterfall_and_an_unknown_method(blended_deal, pool_deal):
    with pytest.raises(ValueError, match="loss-tranche deals only"):
        cd.price(blended_deal, method="semi-analytic")
    with pytest.raises(ValueError, match="method"):
        cd.price(pool_deal, method="exact")
