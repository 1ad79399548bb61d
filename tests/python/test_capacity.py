"""Capacity leases from Python (docs/methodology.md section 4.10): a deal mixing capacity and GPU-hour leases prices
the same from Python and the command line, included power shows in the operating costs and cost-plus billing in the
equity's cash, the deal saves and loads back, and bad terms are refused with ValueError at their paths."""

import json
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
POWERED = ROOT / "tests" / "data" / "valid" / "blended_power.json"
CLI = ROOT / "build" / "bin" / "computedebt"


def with_capacity(power, **terms):
    """The powered blended deal with two 40 MW hyperscaler capacity leases at 125/kW-month for ten years."""
    document = json.loads(POWERED.read_text())
    for tenant in ("hyperscaler_a", "hyperscaler_c"):
        document["deal"]["contracts"].append(
            {"id": f"CAP-{tenant}", "counterparty": tenant, "megawatts": 40, "price_per_kw_month": 125,
             "annual_escalator": 0.03, "power": power, "start_date": "2026-01-01", "end_date": "2036-01-01",
             **terms})
    return document


def price(document, paths=2048):
    return cd.price(cd.Deal.from_dict(document), paths=paths, seed=3, progress=False)


def test_included_power_is_an_operating_cost_and_cost_plus_billing_pays_the_equity():
    passed = price(with_capacity("pass_through"))
    included = price(with_capacity("included", load_factor=0.8))
    cost_plus = price(with_capacity("cost_plus", power_margin=0.1, load_factor=0.8))
    # 2 x 40 MW x 0.8 x PUE x 8,760 h a year at about 75/MWh over the five-year model: hundreds of millions.
    added = included.operating_costs["energy"] - passed.operating_costs["energy"]
    assert added > 1e8
    assert cost_plus.operating_costs["energy"] == pytest.approx(included.operating_costs["energy"], rel=1e-12)
    assert included.operating_costs["energy_share"] > passed.operating_costs["energy_share"]
    # The SPV pays the power it includes and earns a margin on the power it bills at cost plus.
    def distributions(result):
        return sum(result.to_dict()["equity"]["expected_distributions"])

    assert distributions(included) < distributions(passed) < distributions(cost_plus)


def test_python_and_the_command_line_agree_and_the_deal_saves_and_loads_back(tmp_path):
    document = with_capacity("cost_plus", power_margin=0.05, load_factor=0.9)
    deal = cd.Deal.from_dict(document)
    path = tmp_path / "capacity.json"
    path.write_text(deal.to_json(indent=2))
    assert cd.load_deal(path) == deal
    assert deal.to_dict()["deal"]["contracts"][-1]["power"] == "cost_plus"
    if not CLI.exists():
        pytest.skip("the command line is not built")
    run = subprocess.run([str(CLI), "price", str(path), "--json", "--paths", "1024", "--seed", "3", "--threads", "1"],
                         capture_output=True, text=True, check=True)
    from_cli = json.loads(run.stdout)
    from_python = cd.price(deal, paths=1024, seed=3, threads=1, progress=False)
    for cli_tranche, tranche in zip(from_cli["tranches"], from_python.tranches.itertuples()):
        assert cli_tranche["expected_loss"] == tranche.expected_loss
    assert from_cli["operating_costs"]["energy_share"] == from_python.operating_costs["energy_share"]


def test_bad_capacity_terms_are_refused_at_their_paths():
    document = with_capacity("cost_plus")
    document["deal"]["contracts"][-1]["gpu_count"] = 10
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    message = str(refused.value)
    count = len(document["deal"]["contracts"])
    for path in (f"deal.contracts[{count - 2}].power_margin", f"deal.contracts[{count - 1}].gpu_count"):
        assert path in message


def with_campus(volatility=0.0, loading=0.0):
    """The capacity deal with its two leases in a 120 MW campus valued on a 7% cap rate, and a capacity market."""
    document = with_capacity("included", load_factor=0.8)
    document["deal"]["facilities"] = [
        {"id": "campus", "megawatts": 120, "commissioned": "2025-06-01", "build_cost_per_mw": 9e6,
         "opex_per_mw_month": 8000, "value": {"type": "cap_rate", "cap_rate": 0.07}}]
    for contract in document["deal"]["contracts"]:
        if "megawatts" in contract:
            contract["facility"] = "campus"
    document["assumptions"]["capacity_market"] = {"price_per_kw_month": 115, "volatility": volatility,
                                                  "factor_loadings": {"global": loading}}
    return document


def test_a_campus_is_collateral_and_its_market_volatility_is_priced():
    without = price(with_capacity("included", load_factor=0.8), paths=4096)
    calm = price(with_campus(), paths=4096)
    assert calm.to_dict()["collateral_value_at_maturity"] > without.to_dict()["collateral_value_at_maturity"]
    assert calm.tranches["expected_loss"].iloc[-1] <= without.tranches["expected_loss"].iloc[-1]
    wild = price(with_campus(volatility=0.6, loading=0.6), paths=4096)
    assert wild.tranches["expected_loss"].iloc[-1] > calm.tranches["expected_loss"].iloc[-1]


def test_a_campus_prices_the_same_on_dask():
    distributed = pytest.importorskip("dask.distributed")
    import computedebt.distributed
    deal = cd.Deal.from_dict(with_campus(volatility=0.3, loading=0.4))
    local = cd.price(deal, paths=2 * 1024 + 7, seed=6, progress=False).to_dict()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = computedebt.distributed.price(deal, 2 * 1024 + 7, client, seed=6, chunks=3).to_dict()
    for document in (local, spread):
        for key in ("elapsed_seconds", "threads", "provenance"):
            document.pop(key, None)
    assert spread == local


def test_bad_facility_terms_are_refused_at_their_paths():
    document = with_campus()
    document["deal"]["facilities"][0]["megawatts"] = 50
    document["deal"]["contracts"][-1]["facility"] = "elsewhere"
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    count = len(document["deal"]["contracts"])
    assert f"deal.contracts[{count - 1}].facility" in str(refused.value)
