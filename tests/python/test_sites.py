"""Sites and generation behind the meter from Python (docs/methodology.md section 4.12): a gas plant that runs on
economics lowers the power cost, a dearer plant run regardless raises it, a site's own market moves only its own
power, the deal saves and loads back, and bad sites are refused with ValueError at their paths."""

import json
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
TWO_SITES = ROOT / "tests" / "data" / "valid" / "two_sites_gas.json"


def costs(document, paths=2048):
    return cd.price(cd.Deal.from_dict(document), paths=paths, seed=5, progress=False).operating_costs


def energy(document, paths=2048):
    return costs(document, paths)["energy"]


def test_the_gas_plant_lowers_the_power_cost_on_economics_and_raises_it_when_dear_and_must_run():
    document = json.loads(TWO_SITES.read_text())
    plant = costs(document)
    with_plant = plant["energy"]
    without = json.loads(TWO_SITES.read_text())
    del without["deal"]["sites"][0]["behind_the_meter"]
    del without["assumptions"]["gas_market"]
    grid_only_costs = costs(without)
    grid_only = grid_only_costs["energy"]
    # 150 MW x 93% of the hours, about 30/MWh cheaper than the grid, over seven years: a few hundred million.
    assert 1e8 < grid_only - with_plant < 5e8
    # The results say what the plant changed, with its standard error; on the same paths it is the difference, but
    # for the few paths where the plant's saving changes when GPUs are sold.
    assert plant["generation"] < 0 and plant["generation_stderr"] > 0
    assert plant["generation"] == pytest.approx(with_plant - grid_only, rel=1e-2)
    assert "generation" not in grid_only_costs
    dear = json.loads(TWO_SITES.read_text())
    dear["assumptions"]["gas_market"]["price_per_mmbtu"] = 20.0
    # At 8.5 x 20 + 5 = 175/MWh the plant runs only on the paths where the grid spikes above it.
    assert 0.99 * grid_only < energy(dear) < grid_only
    dear["deal"]["sites"][0]["behind_the_meter"]["dispatch"] = "must_run"
    assert energy(dear) > grid_only


def test_a_sites_own_market_prices_its_power_and_the_deal_round_trips(tmp_path):
    document = json.loads(TWO_SITES.read_text())
    base = energy(document)
    document["assumptions"]["site_power_markets"]["river_bend"]["price_per_mwh"] = 70.0
    assert energy(document) > base
    deal = cd.Deal.from_dict(document)
    path = tmp_path / "sites.json"
    path.write_text(deal.to_json(indent=2))
    assert cd.load_deal(path) == deal
    assert deal.to_dict()["deal"]["sites"][0]["behind_the_meter"]["dispatch"] == "economic"


def test_unknown_sites_are_refused_at_their_paths():
    document = json.loads(TWO_SITES.read_text())
    document["deal"]["facilities"][0]["site"] = "atlantis"
    document["assumptions"]["site_power_markets"]["pluto"] = {"price_per_mwh": 40.0}
    with pytest.raises(ValueError) as error:
        cd.Deal.from_dict(document)
    assert "deal.facilities[0].site" in str(error.value)
    assert "assumptions.site_power_markets.pluto" in str(error.value)


def test_a_scenario_patching_a_market_of_no_site_is_refused_naming_the_patch(tmp_path):
    scenario = tmp_path / "misspelt.json"
    scenario.write_text(json.dumps({"site_power_markets": {"lousiana": {"volatility": 0.9}}}))
    with pytest.raises(ValueError) as error:
        cd.load_deal(TWO_SITES, scenarios=[scenario])
    message = str(error.value)
    assert "assumptions.site_power_markets.lousiana" in message and "misspelt.json" in message
    assert "not a site of the deal" in message
