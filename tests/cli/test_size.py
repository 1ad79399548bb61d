"""`computedebt size` and `computedebt break-even`: structuring searches on the command line."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_size_prints_the_documented_fields():
    result = run("size", BLENDED, "--tranche", "Senior A", "--target-rating", "A2", "--paths", 4096)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    for key in ("tranche", "target_rating", "notional", "expected_loss", "wal_years"):
        assert key in document, key
    assert document["tranche"] == "Senior A" and document["target_rating"] == "A2"
    assert document["expected_loss"] <= document["target_expected_loss"]
    assert document["trials"][0]["notional"] > 0


def test_break_even_reports_a_multiplier():
    result = run("break-even", BLENDED, "--tranche", "Senior A", "--target-rating", "A2", "--sector", "ai_startup",
                 "--paths", 2048)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["multiplier"] > 0 and document["sectors"] == ["ai_startup"]


def test_unknown_tranche_or_rating_is_refused_with_status_2():
    result = run("size", BLENDED, "--tranche", "Senior Z", "--target-rating", "AAA", "--paths", 1024)
    assert result.returncode == 2
    assert "Senior Z" in result.stderr and "AAA" not in result.stdout
    result = run("size", BLENDED, "--tranche", "Senior A", "--target-rating", "AAA", "--paths", 1024)
    assert result.returncode == 2
    assert "Aaa" in result.stderr


def test_sculpt_writes_a_deal_that_prices_and_keeps_the_capital(tmp_path):
    deal = tmp_path / "sculpted.json"
    result = run("sculpt", BLENDED, "--tranche", "Senior A", "--dscr", 1.35, "--write-deal", deal)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["binding"] in ("maturity", "interest", "capital")
    full = [row for row in document["dates"] if row["balance"] > 0]
    assert full and all(abs(row["dscr"] - 1.35) < 1e-9 for row in full)
    written = json.loads(deal.read_text())
    original = json.loads(BLENDED.read_text())
    senior = written["deal"]["structure"]["tranches"][0]
    assert senior["notional"] == document["notional"]
    assert senior["amortization"] == document["amortization"]
    capital = lambda d: d["deal"]["structure"]["tranches"][0]["notional"] + d["deal"]["structure"]["equity"]["investment"]
    assert abs(capital(written) - capital(original)) < 1e-3
    priced = run("price", deal, "--paths", 1024, "--json")
    assert priced.returncode == 0, priced.stderr


def test_sculpt_refuses_a_target_out_of_range_with_status_2():
    result = run("sculpt", BLENDED, "--tranche", "Senior A", "--dscr", 0)
    assert result.returncode == 2
    assert result.stderr.startswith("dscr: expected a target DSCR in (0, 100]")


def test_size_with_constraints_sizes_each_tranche_and_writes_the_deal(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"tranches": [
        {"tranche": "Senior A", "dscr": 1.35, "target_rating": "A2"},
        {"tranche": "Mezzanine B", "max_ltv": 0.6}]}))
    deal = tmp_path / "sized.json"
    result = run("size", BLENDED, "--request", request, "--paths", 2048, "--write-deal", deal)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    senior, mezzanine = document["tranches"]
    assert senior["notional"] <= senior["sculpt"]["notional"]
    assert all(trial["notional"] <= senior["sculpt"]["notional"] for trial in senior["rating_search"]["trials"])
    assert mezzanine["binding"] == "max_ltv" and mezzanine["notional"] == mezzanine["ltv_notional"]
    written = json.loads(deal.read_text())["deal"]["structure"]
    assert [t["notional"] for t in written["tranches"]] == [senior["notional"], mezzanine["notional"]]
    assert written["equity"]["investment"] == document["equity_investment"]
    same = run("size", BLENDED, "--tranche", "Mezzanine B", "--max-ltv", 0.6, "--paths", 2048)
    assert same.returncode == 0, same.stderr


def test_size_request_problems_exit_2_each_at_its_path(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"tranches": [{"tranche": "Senior A"}, {"tranche": "Senior A", "dscr": 0}]}))
    result = run("size", BLENDED, "--request", request, "--paths", 1024)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("tranches[0]: expected at least one constraint") for line in lines)
    assert any(line.startswith("tranches[1].dscr: expected a number in (0, 100]") for line in lines)
    assert any(line.startswith("tranches[1].tranche: tranche \"Senior A\" is already in the request") for line in lines)
    result = run("size", BLENDED, "--paths", 1024)
    assert result.returncode == 2 and result.stderr.startswith("tranche: size needs --tranche and --target-rating")


def test_size_options_are_named_as_given_and_write_deal_needs_a_constraint(tmp_path):
    result = run("size", BLENDED, "--tranche", "Senior A", "--dscr", 0, "--paths", 1024)
    assert result.returncode == 2 and result.stderr.startswith("dscr: expected a number in (0, 100]")
    result = run("size", BLENDED, "--tranche", "Senior A", "--target-rating", "A2", "--paths", 1024,
                 "--write-deal", tmp_path / "sized.json")
    assert result.returncode == 2 and result.stderr.startswith("write_deal: --write-deal writes the deal of a sizing")
    assert not (tmp_path / "sized.json").exists()
    result = run("size", BLENDED, "--tranche", "Senior A", "--max-ltv", 0.5, "--paths", 1024)
    assert json.loads(result.stdout)["options"]["max_ltv"] == 0.5


def test_size_within_the_borrowing_base_writes_a_deal_with_no_headroom_left(tmp_path):
    deal = ROOT / "tests" / "data" / "valid" / "blended_borrowing_base.json"
    result = run("size", deal, "--tranche", "Senior A", "--borrowing-base", "--paths", 1024,
                 "--write-deal", tmp_path / "sized.json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["options"]["borrowing_base"] is True
    sized = document["tranches"][0]
    assert sized["binding"] == "borrowing_base"
    assert sized["notional"] == sized["borrowing_base_notional"]
    priced = json.loads(run("price", tmp_path / "sized.json", "--paths", 1024, "--json").stdout)
    assert abs(priced["borrowing_base"]["initial"]["headroom"]) < 1e-3
    refused = run("size", deal, "--tranche", "Mezzanine B", "--borrowing-base", "--paths", 1024)
    assert refused.returncode == 2
    assert "is not a tranche of the deal's borrowing base" in refused.stderr


def test_the_ddtl_example_sizes_its_facility_to_the_dscr_sculpt_and_its_mezzanine_to_ba2(tmp_path):
    deal = tmp_path / "sized.json"
    result = run("size", ROOT / "examples" / "deals" / "ddtl_2026.json",
                 "--request", ROOT / "examples" / "requests" / "ddtl_2026_sizing.json", "--paths", 4096,
                 "--write-deal", deal)
    assert result.returncode == 0, result.stderr
    facility, mezzanine = json.loads(result.stdout)["tranches"]
    # The sculpt binds well within the borrowing base; the facility's draws keep their own amortisation.
    assert facility["binding"] == "dscr"
    assert facility["notional"] < 0.7 * facility["borrowing_base_notional"]
    assert all(row["dscr"] is None or row["dscr"] >= 1.3 - 1e-9 for row in facility["sculpt"]["dates"][:13])
    # The mezzanine is as large as Ba2 allows: its rating search passes at its notional, and fails above it.
    assert mezzanine["binding"] == "target_rating"
    trials = mezzanine["rating_search"]["trials"]
    assert any(t["passes"] for t in trials) and any(not t["passes"] for t in trials)
    assert all(t["notional"] <= mezzanine["notional"] for t in trials if t["passes"])
    written = json.loads(deal.read_text())["deal"]["structure"]["tranches"]
    assert written[0]["delayed_draw"]["draw_amortization"] == {"type": "level", "term_months": 60}
