"""The compiled core from Python: deal files load, round-trip, and refusals raise ValueError with every problem."""

import json
from pathlib import Path

import pytest

from computedebt import _core

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
VALID = ROOT / "tests" / "data" / "valid"
INVALID = ROOT / "tests" / "data" / "invalid"


def test_load_deal_returns_the_validated_document_with_defaults():
    document = json.loads(_core.load_deal_text(DEALS / "blended_2026.json"))
    assert document["format_version"] == 1
    assert document["deal"]["structure"]["type"] == "waterfall"
    # Defaults are written out: the operations block is complete even where the file left keys out.
    assert set(document["assumptions"]["operations"]["re_lease"]) == {"enabled", "lag_months", "utilisation",
                                                                       "discount_to_index"}


def test_round_trip_through_python_json():
    text = _core.load_deal_text(VALID / "every_field.json")
    again = _core.validate_text(json.dumps(json.loads(text)))
    assert json.loads(again) == json.loads(text)


def test_scenarios_and_assumptions_are_applied():
    stressed = json.loads(_core.load_deal_text(VALID / "every_field.json",
                                               scenarios=[VALID / "stress_scenario.json"]))
    assert stressed["assumptions"]["sectors"]["ai startup"]["pd_multiplier"] == 3.0
    replaced = json.loads(_core.load_deal_text(VALID / "every_field.json",
                                               assumptions=VALID / "flat_assumptions.json"))
    assert replaced["assumptions"]["discount_curve"] == {"type": "flat", "rate": 0.03}


def test_a_refused_deal_raises_value_error_listing_every_problem():
    expected = json.loads((INVALID / "expected.json").read_text())["several_problems_in_deal.json"]["paths"]
    with pytest.raises(ValueError) as caught:
        _core.load_deal_text(INVALID / "several_problems_in_deal.json")
    paths = [path for path, _ in caught.value.problems]
    assert sorted(paths) == sorted(expected)
    assert all(message for _, message in caught.value.problems)
    assert str(caught.value).count("\n") == len(expected) - 1


def test_bad_json_text_raises_value_error():
    with pytest.raises(ValueError) as caught:
        _core.validate_text("{not json")
    assert "not valid JSON" in str(caught.value)


def test_a_cds_curve_that_cannot_be_bootstrapped_raises_value_error():
    document = json.loads((VALID / "every_field.json").read_text())
    document["assumptions"]["credit"]["cds_name"]["cds_spreads_bp"] = {"1Y": 5000, "5Y": 1}
    with pytest.raises(ValueError) as caught:
        _core.validate_text(json.dumps(document))
    assert caught.value.problems[0][0] == "assumptions.credit.cds_name.cds_spreads_bp"
