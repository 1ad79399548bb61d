"""`computedebt sensitivities` and `computedebt grid`: central differences and scenario grids on common random
numbers from the command line; every parsed document is checked against its schema (tests/cli/conftest.py)."""

import csv
import io
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=600)


def grid_file(tmp_path, axes):
    path = tmp_path / "grid.json"
    path.write_text(json.dumps({"axes": axes}))
    return path


def test_sensitivities_report_central_differences_with_paired_errors():
    result = run("sensitivities", BLENDED, "--paths", 4096, "--seed", 3)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["paths"] == 4096 and document["seed"] == 3
    outputs = [(o["output"], o["tranche"]) for o in document["outputs"]]
    assert outputs == [("expected_loss", "Senior A"), ("expected_loss", "Mezzanine B"), ("equity_irr_mean", None),
                       ("event_of_default_probability", None)]
    bumps = {b["input"]: b for b in document["bumps"]}
    startup = bumps["assumptions.sectors.ai_startup.pd_multiplier"]
    assert startup["kind"] == "value" and startup["step"] == 0.1
    senior, mezzanine, irr, eod = startup["differences"]
    # More start-up defaults: more loss for both tranches, a lower equity IRR, more events of default.
    assert senior["derivative"] > 0 and mezzanine["derivative"] > 0 and irr["derivative"] < 0
    assert eod["derivative"] > 0
    for d in startup["differences"]:
        assert d["derivative"] == (d["up"] - d["down"]) / (2 * startup["step"])
        assert 0 < d["derivative_stderr"] < d["independent_stderr"]
    assert "assumptions.discount_curve.rates" in bumps
    assert "assumptions.gpu_market.H100.volatility" in bumps


def test_sensitivities_of_a_loss_tranche_deal_have_only_tranche_outputs():
    result = run("sensitivities", POOL, "--paths", 2048, "--antithetic")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {o["output"] for o in document["outputs"]} == {"expected_loss"}
    assert document["options"]["antithetic"] is True


def test_grid_prints_json_and_csv(tmp_path):
    axes = {"assumptions.sectors.ai_startup.pd_multiplier": [1, 2],
            "assumptions.sectors.ai_startup.recovery_rate": [0.1, 0.2, 0.3]}
    path = grid_file(tmp_path, axes)
    result = run("grid", BLENDED, path, "--paths", 2048)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["axes"]] == list(axes)
    assert [p["values"] for p in document["points"]][:4] == [[1, 0.1], [1, 0.2], [1, 0.3], [2, 0.1]]
    assert document["options"]["grid"] == str(path)
    csv_result = run("grid", BLENDED, path, "--paths", 2048, "--csv")
    assert csv_result.returncode == 0, csv_result.stderr
    rows = list(csv.DictReader(io.StringIO(csv_result.stdout)))
    assert len(rows) == 6 * 2
    first = document["points"][0]["tranches"][0]
    assert rows[0]["tranche"] == first["name"] and float(rows[0]["expected_loss"]) == first["expected_loss"]
    # The base point equals `price` with the same paths: the grid point at (1, 0.2) is the deal itself.
    price = json.loads(run("price", BLENDED, "--paths", 2048, "--json").stdout)
    assert document["points"][1]["tranches"][1]["expected_loss"] == price["tranches"][1]["expected_loss"]


def test_grid_problems_exit_2_naming_every_path(tmp_path):
    path = grid_file(tmp_path, {"assumptions.sectors.nowhere.pd_multiplier": [1], "sectors.x": [1],
                                "assumptions.copula.degrees_of_freedom": [], "assumptions.operations.pue": ["a"]})
    result = run("grid", BLENDED, path, "--paths", 1024)
    assert result.returncode == 2
    assert 'axes["sectors.x"]' in result.stderr
    assert 'axes["assumptions.copula.degrees_of_freedom"]' in result.stderr
    assert 'axes["assumptions.operations.pue"][0]: expected a number' in result.stderr
    path = grid_file(tmp_path, {"assumptions.sectors.nowhere.pd_multiplier": [1],
                                "assumptions.sectors.ai_startup.recovery_rate": [0.2, 7]})
    result = run("grid", BLENDED, path, "--paths", 1024)
    assert result.returncode == 2
    assert "assumptions.sectors.nowhere" in result.stderr
    assert "assumptions.sectors.ai_startup.recovery_rate" in result.stderr and "= 7" in result.stderr
    result = run("grid", BLENDED, tmp_path / "missing.json")
    assert result.returncode == 2
