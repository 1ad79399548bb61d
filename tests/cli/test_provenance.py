"""Versions, provenance and warnings on the command line: `--version`, `validate --json`, the provenance fields of
every output document, the trials' standard errors, and a failed write that never passes for success."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
INVALID = ROOT / "tests" / "data" / "invalid"
VALID = ROOT / "tests" / "data" / "valid"
DEALS = ROOT / "examples" / "deals"
EXPECTED = json.loads((INVALID / "expected.json").read_text())
PROVENANCE = ["computedebt_version", "format_version", "deal", "paths", "seed", "options", "warnings"]
PROJECT_VERSION = re.search(r"project\(computedebt VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text())[1]


def run(*args, **kwargs):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300, **kwargs)


def document_of(*args):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def warned_deal(tmp_path):
    """every_field.json with 10m more equity than the fleet and reserve need, and an LTV trigger already hit."""
    document = json.loads((VALID / "every_field.json").read_text())
    document["deal"]["structure"]["equity"]["investment"] += 10e6
    document["deal"]["structure"]["triggers"]["ltv_cash_sweep"] = 0.01
    path = tmp_path / "warned.json"
    path.write_text(json.dumps(document))
    return path


def test_version_is_the_projects():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"computedebt {PROJECT_VERSION}"


def test_validate_json_of_a_valid_deal():
    document = document_of("validate", VALID / "every_field.json", "--scenario", VALID / "stress_scenario.json",
                           "--json")
    assert list(document)[: len(PROVENANCE)] == PROVENANCE
    assert document["computedebt_version"] == PROJECT_VERSION and document["format_version"] == 1
    assert document["paths"] is None and document["seed"] is None
    assert document["options"] == {"scenarios": [str(VALID / "stress_scenario.json")]}
    assert document["valid"] is True and document["problems"] == [] and document["warnings"] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_json_of_a_refused_deal_lists_the_pinned_paths_and_exits_2(name):
    entry = EXPECTED[name]
    args = ["validate", INVALID / name, "--json"]
    if "assumptions" in entry:
        args += ["--assumptions", INVALID / entry["assumptions"]]
    for scenario in entry.get("scenarios", []):
        args += ["--scenario", INVALID / scenario]
    result = run(*args)
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    assert document["valid"] is False and document["warnings"] == []
    assert sorted(p["path"] for p in document["problems"]) == sorted(entry["paths"])
    assert all(p["message"] for p in document["problems"])
    assert document["computedebt_version"] == PROJECT_VERSION


def test_validate_names_a_refused_deal_when_it_can():
    result = run("validate", INVALID / "counterparty_undefined_sector.json", "--json")
    assert json.loads(result.stdout)["deal"] == "Small waterfall base"
    result = run("validate", INVALID / "empty_file.json", "--json")
    assert result.returncode == 2 and json.loads(result.stdout)["deal"] == ""


def test_warnings_are_printed_by_validate_and_carried_in_documents(warned_deal):
    human = run("validate", warned_deal)
    assert human.returncode == 0, human.stderr
    assert "Warnings" in human.stdout
    assert "warning: deal.structure: tranches and equity raise" in human.stdout
    assert "warning: deal.structure.triggers.ltv_cash_sweep: the initial LTV" in human.stdout
    document = document_of("validate", warned_deal, "--json")
    assert document["valid"] is True
    assert [w["path"] for w in document["warnings"]] == ["deal.structure", "deal.structure.triggers.ltv_cash_sweep"]
    priced = run("price", warned_deal, "--paths", 1024, "--json")
    assert priced.returncode == 0
    assert json.loads(priced.stdout)["warnings"] == document["warnings"]
    assert "warning: deal.structure:" in priced.stderr


def test_price_carries_the_provenance_and_keeps_its_fields():
    every_field = json.loads((VALID / "every_field.json").read_text())
    document = document_of("price", VALID / "every_field.json", "--paths", 2048, "--seed", 7, "--antithetic",
                           "--importance-shift", -0.5, "--scenario", VALID / "stress_scenario.json",
                           "--scenario", VALID / "second_scenario.json", "--json")
    assert list(document)[: len(PROVENANCE)] == PROVENANCE
    assert document["deal"] == every_field["deal"]["name"]
    assert document["paths"] == 2048 and document["seed"] == 7
    factors = len(every_field["assumptions"]["factors"]["names"])
    assert document["options"] == {"importance_shift": [-0.5] * factors, "antithetic": True, "quasi_random": False,
                                   "scenarios": [str(VALID / "stress_scenario.json"),
                                                 str(VALID / "second_scenario.json")]}
    for kept in ("threads", "elapsed_seconds", "importance_shift", "antithetic", "portfolio", "tranches"):
        assert kept in document, kept
    replaced = document_of("price", VALID / "every_field.json", "--paths", 1024,
                           "--assumptions", VALID / "flat_assumptions.json", "--json")
    assert replaced["options"] == {"antithetic": False, "quasi_random": False,
                                   "assumptions": str(VALID / "flat_assumptions.json")}


def test_size_and_break_even_carry_the_provenance_and_each_trials_standard_error():
    sized = document_of("size", DEALS / "blended_2026.json", "--tranche", "Senior A", "--target-rating", "A2",
                        "--paths", 2048, "--seed", 5)
    assert list(sized)[: len(PROVENANCE)] == PROVENANCE
    assert sized["paths"] == 2048 and sized["seed"] == 5 and sized["deal"] == "Blended GPU offtake portfolio 2026"
    assert sized["options"] == {"antithetic": False, "quasi_random": False, "tranche": "Senior A",
                                "target_rating": "A2"}
    even = document_of("break-even", DEALS / "blended_2026.json", "--tranche", "Senior A", "--target-rating", "A2",
                       "--sector", "ai_startup", "--paths", 2048, "--quasi-random")
    assert even["options"] == {"antithetic": False, "quasi_random": True, "tranche": "Senior A",
                               "target_rating": "A2", "sectors": ["ai_startup"], "max_multiplier": 100.0}
    for document, value in ((sized, "notional"), (even, "multiplier")):
        assert document["trials"]
        for trial in document["trials"]:
            assert set(trial) == {value, "expected_loss", "expected_loss_stderr", "wal_years",
                                  "target_expected_loss", "passes"}
            assert trial["expected_loss_stderr"] >= 0.0
        assert any(trial["expected_loss_stderr"] > 0.0 for trial in document["trials"])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_is_an_error_not_success(tmp_path):
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(BINARY), "validate", str(VALID / "every_field.json"), "--json"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    output = run("price", VALID / "every_field.json", "--paths", 1024, "--output", "/dev/full")
    assert output.returncode == 1
    assert "cannot write /dev/full" in output.stderr


def test_a_counterparty_without_a_sector_is_summarised_as_such(tmp_path):
    document = json.loads((VALID / "every_field.json").read_text())
    del document["deal"]["counterparties"][0]["sector"]
    path = tmp_path / "no_sector.json"
    path.write_text(json.dumps(document))
    result = run("validate", path)
    assert result.returncode == 0, result.stderr
    assert "(no sector)" in result.stdout
