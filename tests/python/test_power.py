"""The power price and PPAs from Python (docs/methodology.md section 4.9): the operating costs split into power and
the rest, the power cost's fan chart and its plot, the schemas, and bad terms refused with ValueError."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest

import computedebt as cd
import computedebt.plot

ROOT = Path(__file__).resolve().parents[2]
POWERED = ROOT / "tests" / "data" / "valid" / "blended_power.json"


def test_operating_costs_split_power_from_the_rest_and_a_fan_chart_shows_its_spread():
    result = cd.price(cd.load_deal(POWERED), paths=4096, seed=2, progress=False)
    costs = result.operating_costs
    assert costs["energy"] > 0 and costs["other"] > 0
    assert 0 < costs["energy_share"] < 1 and costs["energy_share_stderr"] > 0
    fan = result.fan_charts["power_cost"]
    assert len(fan) == len(result.payment_dates)
    assert (fan[0.05] <= fan[0.5]).all() and (fan[0.5] <= fan[0.95]).all()
    assert (fan[0.95] > fan[0.05]).any()
    ax = computedebt.plot.fan_chart(result, "power_cost")
    assert ax.get_ylabel() == "power cost (m)"
    plain = cd.price(cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json"), paths=1024, progress=False)
    assert "power_cost" not in plain.fan_charts
    with pytest.raises(ValueError, match="no power market"):
        computedebt.plot.fan_chart(plain, "power_cost")


def test_a_ppa_below_the_forward_lowers_power_costs_and_its_generators_default_ends_it():
    document = json.loads(POWERED.read_text())
    without = json.loads(POWERED.read_text())
    without["deal"].pop("power_purchase_agreements")
    hedged = cd.price(cd.Deal.from_dict(document), paths=2048, seed=2, progress=False).operating_costs
    unhedged = cd.price(cd.Deal.from_dict(without), paths=2048, seed=2, progress=False).operating_costs
    # 8,000 MWh a month for five years at 58 against a forward of 75 escalating 2% a year (about 79 on average):
    # about 480,000 MWh x 21 = 9.9m less.
    assert 8.5e6 < unhedged["energy"] - hedged["energy"] < 11.5e6
    document["assumptions"]["credit"]["wind_genco"] = {"hazard_rate": 5.0}
    defaulting = cd.price(cd.Deal.from_dict(document), paths=2048, seed=2, progress=False).operating_costs
    assert hedged["energy"] < defaulting["energy"] < unhedged["energy"] + 1e6


def test_bad_power_terms_are_refused_at_their_paths():
    document = json.loads(POWERED.read_text())
    document["deal"]["power_purchase_agreements"][0]["counterparty"] = "nobody"
    document["assumptions"]["power_market"]["volatility"] = -1
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    for path in ("deal.power_purchase_agreements[0].counterparty", "assumptions.power_market.volatility"):
        assert path in str(refused.value)
