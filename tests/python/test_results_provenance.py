"""Versions, provenance, warnings and the input rules from Python: one version everywhere, documents equal to the
command line's (provenance included), warnings as (path, message) pairs, TypeError for a string where a list is
expected and ValueError for every other input problem."""

import json
import os
import pickle
import re
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
VALID = ROOT / "tests" / "data" / "valid"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
PROJECT_VERSION = re.search(r"project\(computedebt VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text())[1]


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


def cli_document(*args):
    result = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def every_field():
    return cd.load_deal(VALID / "every_field.json")


def test_version_is_the_projects():
    assert cd.__version__ == PROJECT_VERSION


def test_price_document_with_files_and_variance_reduction_equals_the_command_lines():
    scenario = str(VALID / "stress_scenario.json")
    deal = cd.load_deal(str(VALID / "every_field.json"), scenarios=[scenario])
    factors = len(deal.to_dict()["assumptions"]["factors"]["names"])
    results = cd.price(deal, paths=2048, seed=9, progress=False, antithetic=True, importance_shift=[-0.3] * factors)
    cli = cli_document("price", VALID / "every_field.json", "--scenario", scenario, "--paths", 2048, "--seed", 9,
                       "--antithetic", "--importance-shift", -0.3, "--json")
    assert comparable(results.to_dict()) == comparable(cli)
    assert results.to_dict()["options"]["scenarios"] == [scenario]
    assert results.to_dict()["computedebt_version"] == PROJECT_VERSION


def test_size_and_break_even_documents_equal_the_command_lines():
    deal = cd.load_deal(DEALS / "blended_2026.json")
    sized = cd.size(deal, "Senior A", "A2", paths=2048, seed=2)
    assert comparable(sized) == comparable(cli_document("size", DEALS / "blended_2026.json", "--tranche", "Senior A",
                                                        "--target-rating", "A2", "--paths", 2048, "--seed", 2))
    even = cd.break_even(deal, "Senior A", "A2", ["ai_startup"], paths=1024, seed=2)
    assert comparable(even) == comparable(cli_document("break-even", DEALS / "blended_2026.json", "--tranche",
                                                       "Senior A", "--target-rating", "A2", "--sector", "ai_startup",
                                                       "--paths", 1024, "--seed", 2))
    assert all("expected_loss_stderr" in trial for trial in even["trials"])


def test_a_deal_remembers_its_files_through_pickle_but_not_through_a_patch():
    scenario = str(VALID / "stress_scenario.json")
    deal = cd.load_deal(str(VALID / "every_field.json"), scenarios=[scenario])
    again = pickle.loads(pickle.dumps(deal))
    assert cd.price(again, paths=1024, progress=False).to_dict()["options"]["scenarios"] == [scenario]
    patched = deal.with_assumptions({"copula": None})
    assert "scenarios" not in cd.price(patched, paths=1024, progress=False).to_dict()["options"]


def test_a_dict_patch_is_checked_as_a_scenario_file_is(every_field):
    with pytest.raises(ValueError) as caught:
        every_field.with_assumptions({"sectors": {"energy": {"pd_multiplier": 3.0}}, "credit": {"nobody": {}}})
    assert [path for path, _ in caught.value.problems] == ["assumptions.credit.nobody", "assumptions.sectors.energy"]
    assert "with_assumptions(patch)" in caught.value.problems[0][1]


def test_warnings_come_as_path_message_pairs(every_field):
    assert every_field.warnings() == [] and cd.validate(every_field) == []
    document = every_field.to_dict()
    document["deal"]["structure"]["equity"]["investment"] += 10e6
    document["deal"]["structure"]["triggers"]["ltv_cash_sweep"] = 0.01
    warned = cd.Deal.from_dict(document)
    warnings = warned.warnings()
    assert [path for path, _ in warnings] == ["deal.structure", "deal.structure.triggers.ltv_cash_sweep"]
    assert cd.validate(warned) == warnings
    results = cd.price(warned, paths=1024, progress=False)
    assert results.to_dict()["warnings"] == [{"path": p, "message": m} for p, m in warnings]


def test_a_string_where_a_list_is_expected_is_a_type_error(every_field):
    with pytest.raises(TypeError, match="scenarios"):
        cd.load_deal(VALID / "every_field.json", scenarios=str(VALID / "stress_scenario.json"))
    with pytest.raises(TypeError, match="importance_shift"):
        cd.price(every_field, paths=1024, progress=False, importance_shift="-0.5")
    with pytest.raises(TypeError, match="gpu_months"):
        cd.price(every_field, paths=1024, progress=False, keep_paths=True, gpu_months="12")
    with pytest.raises(TypeError, match="sectors"):
        cd.break_even(every_field, "Senior A", "A2", "ai startup", paths=1024)


def test_every_other_input_problem_is_a_value_error(every_field):
    factors = len(every_field.to_dict()["assumptions"]["factors"]["names"])
    with pytest.raises(ValueError, match="importance_shift: expected one shift per factor"):
        cd.price(every_field, paths=1024, progress=False, importance_shift=[-0.5] * (factors + 1))
    with pytest.raises(ValueError, match="gpu_months"):
        cd.price(every_field, paths=1024, progress=False, keep_paths=True, gpu_months=[0, 10_000])
    with pytest.raises(ValueError, match="gpu_months"):
        cd.price(every_field, paths=1024, progress=False, keep_paths=True, gpu_months=[-1])
    with pytest.raises(ValueError, match="antithetic"):
        cd.price(every_field, paths=1025, progress=False, antithetic=True)
    with pytest.raises(ValueError, match="quasi-random"):
        cd.size(every_field, "Senior A", "A2", paths=1000, quasi_random=True)
