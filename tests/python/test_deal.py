"""Deals from Python: load, round-trip, pickle, scenarios, and refusals as ValueError with every problem."""

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
VALID = ROOT / "tests" / "data" / "valid"
INVALID = ROOT / "tests" / "data" / "invalid"


def test_load_deal_fills_in_defaults():
    document = cd.load_deal(DEALS / "blended_2026.json").to_dict()
    assert document["format_version"] == 1
    assert document["deal"]["structure"]["type"] == "waterfall"
    # The operations block is complete even where the file left keys out.
    assert set(document["assumptions"]["operations"]["re_lease"]) == {"enabled", "lag_months", "utilisation",
                                                                       "discount_to_index"}


@pytest.mark.parametrize("path", [VALID / "every_field.json", VALID / "blended_margin_grid.json",
                                  VALID / "blended_borrowing_base.json", VALID / "blended_delayed_draw.json",
                                  DEALS / "blended_2026.json", DEALS / "homogeneous_pool.json"])
def test_dict_and_json_round_trips(path):
    deal = cd.load_deal(path)
    assert cd.Deal.from_dict(deal.to_dict()) == deal
    assert cd.Deal.from_json(deal.to_json(indent=2)) == deal
    assert json.loads(deal.to_json()) == deal.to_dict()


def test_pickling_works_across_processes():
    deal = cd.load_deal(DEALS / "blended_2026.json")
    assert pickle.loads(pickle.dumps(deal)) == deal
    code = "import pickle, sys; deal = pickle.load(sys.stdin.buffer); print(deal.name)"
    result = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(deal), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == deal.name


def test_scenarios_and_assumptions_are_applied():
    stressed = cd.load_deal(VALID / "every_field.json", scenarios=[VALID / "stress_scenario.json"]).to_dict()
    assert stressed["assumptions"]["sectors"]["ai startup"]["pd_multiplier"] == 3.0
    replaced = cd.load_deal(VALID / "every_field.json", assumptions=VALID / "flat_assumptions.json").to_dict()
    assert replaced["assumptions"]["discount_curve"] == {"type": "flat", "rate": 0.03}
    patched = cd.load_deal(VALID / "every_field.json").with_assumptions(
        json.loads((VALID / "stress_scenario.json").read_text()))
    assert patched == cd.load_deal(VALID / "every_field.json", scenarios=[VALID / "stress_scenario.json"])


def test_a_refused_deal_raises_value_error_listing_every_problem():
    expected = json.loads((INVALID / "expected.json").read_text())["several_problems_in_deal.json"]["paths"]
    with pytest.raises(ValueError) as caught:
        cd.load_deal(INVALID / "several_problems_in_deal.json")
    paths = [path for path, _ in caught.value.problems]
    assert sorted(paths) == sorted(expected)
    assert all(message for _, message in caught.value.problems)
    assert str(caught.value).count("\n") == len(expected) - 1
    for path in expected:
        assert path in str(caught.value)


def test_bad_json_text_raises_value_error():
    with pytest.raises(ValueError) as caught:
        cd.Deal.from_json("{not json")
    assert "not valid JSON" in str(caught.value)


def test_validate_reports_a_cds_curve_that_cannot_be_bootstrapped():
    document = json.loads((VALID / "every_field.json").read_text())
    document["assumptions"]["credit"]["cds_name"]["cds_spreads_bp"] = {"1Y": 5000, "5Y": 1}
    deal = cd.Deal.from_dict(document)
    with pytest.raises(ValueError) as caught:
        cd.validate(deal)
    assert caught.value.problems[0][0] == "assumptions.credit.cds_name.cds_spreads_bp"
    # A deal that calibrates returns its warnings: none for every_field.json.
    assert cd.validate(cd.load_deal(VALID / "every_field.json")) == []


def test_sculpt_returns_the_document_and_a_deal_that_prices():
    deal = cd.load_deal(DEALS / "blended_2026.json")
    document, sculpted = cd.sculpt(deal, "Senior A", 1.35)
    assert document["tranche"] == "Senior A" and document["options"]["dscr"] == 1.35
    senior = sculpted.to_dict()["deal"]["structure"]["tranches"][0]
    assert senior["notional"] == document["notional"] and senior["amortization"] == document["amortization"]
    assert all(abs(row["dscr"] - 1.35) < 1e-9 for row in document["dates"] if row["balance"] > 0)
    assert cd.price(sculpted, paths=1024, progress=False).tranches.loc["Senior A", "notional"] == document["notional"]
    with pytest.raises(ValueError, match="no tranche named"):
        cd.sculpt(deal, "Senior Z", 1.35)
    with pytest.raises(TypeError):
        cd.sculpt(deal, "Senior A", "1.35")


def test_size_deal_sizes_each_tranche_in_order_and_returns_the_sized_deal():
    deal = cd.load_deal(DEALS / "blended_2026.json")
    request = {"tranches": [{"tranche": "Senior A", "max_ltv": 0.5}, {"tranche": "Mezzanine B", "max_ltv": 0.6}]}
    document, sized = cd.size_deal(deal, request, paths=1024)
    senior, mezzanine = document["tranches"]
    assert senior["binding"] == "max_ltv" and mezzanine["binding"] == "max_ltv"
    assert mezzanine["notional"] == pytest.approx(senior["notional"] / 0.5 * 0.1, rel=1e-12)
    tranches = sized.to_dict()["deal"]["structure"]["tranches"]
    assert [t["notional"] for t in tranches] == [senior["notional"], mezzanine["notional"]]
    with pytest.raises(ValueError, match=r"tranches\[0\]\.dscr"):
        cd.size_deal(deal, {"tranches": [{"tranche": "Senior A", "dscr": -1}]}, paths=1024)
    with pytest.raises(TypeError):
        cd.size_deal(deal, [request], paths=1024)
