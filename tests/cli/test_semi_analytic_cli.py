"""`computedebt price --method semi-analytic` (docs/methodology.md section 6.6): the Monte Carlo's document without
standard errors, agreeing with the Monte Carlo within its standard errors, and refusing a waterfall deal."""

import json
import math
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"
WATERFALL = ROOT / "examples" / "deals" / "blended_2026.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)


def document(*args):
    result = run("price", POOL, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_semi_analytic_agrees_with_the_monte_carlo_within_its_standard_errors():
    exact = document("--method", "semi-analytic")
    simulated = document("--paths", 200000, "--seed", 5)
    assert exact["paths"] is None and exact["seed"] is None
    assert exact["options"]["method"] == "semi-analytic" and exact["options"]["tolerance"] == 1e-12
    run_info = exact["semi_analytic"]
    assert run_info["achieved_error"] <= run_info["tolerance"] and run_info["nodes"] > 0
    assert run_info["bucketing_error"] < 1e-12
    assert exact.keys() - {"semi_analytic"} == simulated.keys()
    for mine, theirs in zip(exact["tranches"], simulated["tranches"]):
        assert mine["name"] == theirs["name"]
        assert mine["expected_loss_stderr"] is None and mine["default_probability_stderr"] is None
        for key in ("expected_loss", "default_probability"):
            assert abs(mine[key] - theirs[key]) <= 4 * theirs[key + "_stderr"] + 1e-12, (mine["name"], key)
    portfolio, mc = exact["portfolio"], simulated["portfolio"]
    assert portfolio["expected_loss_stderr"] is None
    assert abs(portfolio["expected_loss"] - mc["expected_loss"]) <= 4 * mc["expected_loss_stderr"]
    assert abs(portfolio["expected_defaults"] - mc["expected_defaults"]) <= 4 * mc["expected_defaults_stderr"]
    assert math.isclose(sum(portfolio["default_count_distribution"]), 1.0, abs_tol=1e-12)


def test_table_shows_no_standard_errors():
    result = run("price", POOL, "--method", "semi-analytic", "--tolerance", "1e-9")
    assert result.returncode == 0, result.stderr
    assert "semi-analytic, tolerance 1.0e-09" in result.stdout
    assert "Super senior 30-100%" in result.stdout
    assert "(s.e. -)" in result.stdout and "nan" not in result.stdout


def test_a_waterfall_deal_and_a_bad_tolerance_are_refused():
    result = run("price", WATERFALL, "--method", "semi-analytic")
    assert result.returncode == 2
    assert result.stderr.startswith("method: the semi-analytic method prices loss-tranche deals only")
    result = run("price", POOL, "--method", "semi-analytic", "--tolerance", "0.5")
    assert result.returncode == 2 and result.stderr.startswith("tolerance:")
    assert run("price", POOL, "--method", "exact").returncode == 1  # not a method
