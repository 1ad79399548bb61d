"""Floating-rate tranches from Python: the same document as the command line, the expected coupon in the tranche
table, and bad rate input refused with ValueError."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
FLOATING = ROOT / "tests" / "data" / "valid" / "blended_floating.json"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))


def hull_white_document():
    document = json.loads(FLOATING.read_text())
    document["assumptions"]["rate_indices"]["SOFR"]["hull_white"] = {
        "mean_reversion": 0.03, "volatility": 0.01, "factor_loadings": {"global": 0.3}}
    return document


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


def test_a_hull_white_deal_prices_as_on_the_command_line(tmp_path):
    path = tmp_path / "hull_white.json"
    path.write_text(json.dumps(hull_white_document()))
    results = cd.price(cd.load_deal(path), paths=4096, seed=5, progress=False)
    cli = subprocess.run([str(BINARY), "price", str(path), "--paths", "4096", "--seed", "5", "--json"],
                         check=True, capture_output=True, text=True)
    assert comparable(results.to_dict()) == comparable(json.loads(cli.stdout))
    table = results.tranches
    assert {"expected_coupon", "expected_coupon_stderr"} <= set(table.columns)
    # SOFR near 3.6% plus 225 bp and 650 bp, floored at 0.
    assert 0.05 < table.loc["Senior A", "expected_coupon"] < 0.07
    assert 0.09 < table.loc["Mezzanine B", "expected_coupon"] < 0.11
    assert table.loc["Senior A", "expected_coupon_stderr"] > 0


def test_hedges_are_tables_of_the_document():
    results = cd.price(cd.load_deal(ROOT / "examples" / "deals" / "blended_2026_swapped.json"), paths=4096, seed=2,
                       progress=False)
    hedges = results.hedges
    assert list(hedges.index) == ["Senior swap", "Mezzanine cap"]
    assert list(hedges["type"]) == ["swap", "cap"]
    assert (hedges["counterparty_default_probability"] >= 0).all()
    payments = results.hedge_payments
    assert payments.shape == (len(results.payment_dates), 2)
    assert (payments["Mezzanine cap"] >= 0).all()      # a cap only ever pays the SPV
    assert payments["Senior swap"].sum() == pytest.approx(hedges.loc["Senior swap", "expected_net_payments"])
    unhedged = cd.price(cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json"), paths=1024, progress=False)
    assert unhedged.hedges.empty


def test_bad_rate_input_is_a_value_error_naming_every_path(tmp_path):
    document = hull_white_document()
    document["deal"]["structure"]["tranches"][0]["floating"]["margin_bp"] = 20000
    document["assumptions"]["rate_indices"]["SOFR"]["hull_white"]["volatility"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError) as error:
        cd.load_deal(path)
    message = str(error.value)
    assert "deal.structure.tranches[0].floating.margin_bp" in message
    assert "assumptions.rate_indices.SOFR.hull_white.volatility" in message


MARGIN_GRID = ROOT / "tests" / "data" / "valid" / "blended_margin_grid.json"


def test_a_margin_grid_prices_as_on_the_command_line_and_moves_the_expected_coupon():
    results = cd.price(cd.load_deal(MARGIN_GRID), paths=4096, seed=5, progress=False)
    cli = subprocess.run([str(BINARY), "price", str(MARGIN_GRID), "--paths", "4096", "--seed", "5", "--json"],
                         check=True, capture_output=True, text=True)
    assert comparable(results.to_dict()) == comparable(json.loads(cli.stdout))
    plain = cd.price(cd.load_deal(FLOATING), paths=4096, seed=5, progress=False).tranches
    grid = results.tranches
    # Both start at the same margins (the grids read +225 bp and +650 bp at t0); the senior's investment-grade share
    # falls as the hyperscalers' leases run off, so its grid charges more on later dates.
    assert grid.loc["Senior A", "coupon"] == pytest.approx(plain.loc["Senior A", "coupon"], abs=1e-15)
    difference = grid.loc["Senior A", "expected_coupon"] - plain.loc["Senior A", "expected_coupon"]
    assert difference > 10 * grid.loc["Senior A", "expected_coupon_stderr"]


def test_a_margin_grid_out_of_order_raises_value_error_naming_the_level():
    document = json.loads(MARGIN_GRID.read_text())
    document["deal"]["structure"]["tranches"][0]["floating"]["margin_grid"]["levels"][1]["at_least"] = 0.9
    with pytest.raises(ValueError, match=r"margin_grid\.levels\[1\]: expected levels best first"):
        cd.Deal.from_dict(document)
