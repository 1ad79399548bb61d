"""`computedebt explain`: one path replayed alone, its table and its document (docs/deal_format.md section 10.6)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_the_document_replays_the_path_of_the_run():
    result = run("explain", BLENDED, "--paths", 2000, "--seed", 4, "--path", 1234, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["path"] == 1234 and document["options"]["path"] == 1234
    waterfall = document["waterfall"]
    assert len(waterfall["payment_dates"]) == 22
    assert {"Senior A", "Mezzanine B"} == set(waterfall["tranches"])
    steps = {step["step"].split(":")[0] for step in waterfall["steps"]}
    assert {"senior_expenses", "interest", "principal", "equity"} <= steps
    again = json.loads(run("explain", BLENDED, "--paths", 2000, "--seed", 4, "--path", 1234, "--json").stdout)
    assert again == document


def test_the_table_shows_defaults_dates_and_steps():
    result = run("explain", BLENDED, "--paths", 2000, "--seed", 4, "--path", 7)
    assert result.returncode == 0, result.stderr
    for heading in ("Defaults (", "Tranche losses", "GPU market multipliers", "By payment date", "Steps that moved cash"):
        assert heading in result.stdout


def test_a_loss_tranche_path_and_bad_paths():
    document = json.loads(run("explain", POOL, "--paths", 100, "--path", 99, "--json").stdout)
    assert "waterfall" not in document and len(document["tranches"]) == 6
    refused = run("explain", POOL, "--paths", 100, "--path", 100)
    assert refused.returncode == 2 and refused.stderr.startswith("path: path 100 is not one of the run's 100 paths")
    assert run("explain", POOL).returncode == 1  # --path is required


def test_a_two_site_path_shows_its_power_gas_and_capacity_prices_and_what_the_plant_changed(schemas):
    deal = ROOT / "examples" / "deals" / "campus_two_sites.json"
    document = json.loads(run("explain", deal, "--paths", 1000, "--seed", 2, "--path", 17, "--json").stdout)
    schemas.check("explain.schema.json", document)
    markets = document["markets"]
    dates = document["waterfall"]["payment_dates"]
    assert markets["dates"] == dates
    assert set(markets["power_price_per_mwh"]) == {"hub", "louisiana"}
    for prices in (*markets["power_price_per_mwh"].values(), markets["gas_price_per_mmbtu"],
                   markets["capacity_multiplier"]):
        assert len(prices) == len(dates) and all(p > 0 for p in prices)
    collateral = document["waterfall"]["collateral"]
    # The plant only ever lowers the bill on economic dispatch, and the power is part of the costs.
    assert all(g <= 0 for g in collateral["generation"]) and sum(collateral["generation"]) < 0
    assert all(0 < e <= c for e, c in zip(collateral["energy"], collateral["costs"]))
    table = run("explain", deal, "--paths", 1000, "--seed", 2, "--path", 17).stdout
    for heading in ("Power price per MWh", "Gas price per MMBtu", "Capacity market multiplier"):
        assert heading in table
    # A deal without any of these markets has no markets section.
    assert "markets" not in json.loads(run("explain", POOL, "--paths", 100, "--path", 5, "--json").stdout)
