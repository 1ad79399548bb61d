"""The `computedebt validate` command line: exit status, summary and errors (docs/deal_format.md section 9)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
INVALID = ROOT / "tests" / "data" / "invalid"
VALID = ROOT / "tests" / "data" / "valid"
DEALS = ROOT / "examples" / "deals"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=60)


def test_validate_prints_a_summary_of_the_blended_deal():
    result = run("validate", DEALS / "blended_2026.json")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for section in ("valid", "Counterparties", "Contracted revenue by year", "GPUs", "Waterfall", "Senior A", "Equity"):
        assert section in out
    assert "hyperscaler" in out and "ai_startup" in out
    assert "H100" in out and "B200" in out
    assert result.stderr == ""
    assert len(out.splitlines()) <= 40  # one screen


def test_validate_lists_the_sites_their_prices_plants_and_what_draws_power_there():
    result = run("validate", VALID / "two_sites_gas.json")
    assert result.returncode == 0, result.stderr
    sites = result.stdout.split("\nSites\n")[1].split("\n\n")[0].splitlines()
    assert sites[1].split()[:2] == ["abilene", "hub"] and "150.0 MW, 8.50 MMBtu/MWh, economic" in sites[1]
    assert "abilene_halls, B200 GPUs, PPA PPA-WIND" in sites[1]
    assert sites[2].split()[:3] == ["river_bend", "52.00", "none"] and "river_bend_halls" in sites[2]


def test_validate_summarises_a_loss_tranche_deal():
    result = run("validate", DEALS / "homogeneous_pool.json")
    assert result.returncode == 0, result.stderr
    assert "Loss tranches at 5 years" in result.stdout
    assert "125" in result.stdout


EXPECTED = json.loads((INVALID / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refused_deals_exit_2_with_one_error_per_line(name):
    entry = EXPECTED[name]
    args = ["validate", INVALID / name]
    if "assumptions" in entry:
        args += ["--assumptions", INVALID / entry["assumptions"]]
    for scenario in entry.get("scenarios", []):
        args += ["--scenario", INVALID / scenario]
    result = run(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(entry["paths"]), result.stderr
    for path in entry["paths"]:
        prefix = f"{path}: " if path else ""
        assert any(line.startswith(prefix) for line in lines), (path, result.stderr)


def test_scenarios_apply_in_order_and_can_be_repeated():
    result = run("validate", VALID / "every_field.json", "--scenario", VALID / "stress_scenario.json",
                 "--scenario", VALID / "second_scenario.json")
    assert result.returncode == 0, result.stderr


def test_replacement_assumptions_are_used():
    result = run("validate", VALID / "every_field.json", "--assumptions", VALID / "flat_assumptions.json")
    assert result.returncode == 0, result.stderr


def test_a_missing_file_is_refused_with_status_2():
    result = run("validate", ROOT / "no_such_deal.json")
    assert result.returncode == 2
    assert "no_such_deal.json" in result.stderr


def test_a_cds_curve_that_cannot_be_bootstrapped_is_refused(tmp_path):
    document = json.loads((VALID / "every_field.json").read_text())
    document["assumptions"]["credit"]["cds_name"]["cds_spreads_bp"] = {"1Y": 5000, "5Y": 1}
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(document))
    result = run("validate", deal)
    assert result.returncode == 2
    assert result.stderr.startswith("assumptions.credit.cds_name.cds_spreads_bp: the CDS curve cannot be bootstrapped")


def test_usage_errors_exit_1_and_help_exits_0():
    assert run().returncode == 1
    assert run("validate").returncode == 1
    assert run("frobnicate", DEALS / "blended_2026.json").returncode == 1
    help_result = run("validate", "--help")
    assert help_result.returncode == 0
    assert "--scenario" in help_result.stdout
