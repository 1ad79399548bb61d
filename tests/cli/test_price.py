"""`computedebt price`: the results document of docs/deal_format.md section 10, the table, and reproducibility."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=120)


def price_json(*args):
    result = run("price", POOL, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


def test_json_document_follows_the_results_contract():
    document = price_json("--paths", 20000, "--seed", 3)
    assert document["deal"] == "Homogeneous pool 125 names"
    assert document["paths"] == 20000 and document["seed"] == 3
    assert isinstance(document["threads"], int) and document["elapsed_seconds"] >= 0
    portfolio = document["portfolio"]
    for key in ("expected_loss", "loss_var_99", "loss_es_99", "loss_var_999", "loss_es_999", "expected_defaults"):
        assert isinstance(portfolio[key], float), key
    assert "equity" not in document  # loss tranches have no equity
    names = [t["name"] for t in document["tranches"]]
    assert names[0].startswith("Equity") and len(names) == 6
    for tranche in document["tranches"]:
        for key in ("expected_loss", "expected_loss_stderr", "default_probability", "loss_given_default"):
            assert isinstance(tranche[key], float), key
        assert 0.0 <= tranche["expected_loss"] <= 1.0
    # The pool loses about p (1 - R) = 3% on average.
    assert abs(portfolio["expected_loss"] - 0.03) < 4 * portfolio["expected_loss_stderr"]


def test_same_seed_and_paths_give_the_same_document_whatever_the_threads():
    one = price_json("--paths", 12345, "--seed", 8, "--threads", 1)
    two = price_json("--paths", 12345, "--seed", 8, "--threads", 2)
    three = price_json("--paths", 12345, "--seed", 8, "--threads", 3)
    assert comparable(one) == comparable(two) == comparable(three)
    other_seed = price_json("--paths", 12345, "--seed", 9)
    assert comparable(other_seed) != comparable(one)


def test_output_file_holds_the_document_and_the_table_goes_to_stdout(tmp_path):
    output = tmp_path / "results.json"
    result = run("price", POOL, "--paths", 5000, "--output", output)
    assert result.returncode == 0, result.stderr
    assert "tranche" in result.stdout and "Equity 0-3%" in result.stdout and "s.e." in result.stdout
    assert json.loads(output.read_text())["paths"] == 5000
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_refused_deals_and_bad_options():
    bad = ROOT / "tests" / "data" / "invalid" / "recovery_rate_1_5.json"
    assert run("price", bad).returncode == 2
    assert run("price", POOL, "--paths", 0).returncode == 1
    assert run("price", POOL, "--threads", "many").returncode == 1


BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def test_waterfall_table_shows_tranches_equity_and_triggers():
    result = run("price", BLENDED, "--paths", 4096)
    assert result.returncode == 0, result.stderr
    table = result.stdout
    for expected in ("Senior A", "Mezzanine B", "WAL", "rating", "Equity", "IRR", "money multiple",
                     "DSCR cash trap", "dscr: cash_trap", "DSCR default", "LTV cash sweep", "event_of_default",
                     "Collateral value at maturity"):
        assert expected in table, expected
    # The shorthand triggers are covenants too, under their own names.
    shorthand = run("price", ROOT / "tests" / "data" / "valid" / "blended_2026_shorthand.json", "--paths", 1024)
    for expected in ("dscr_cash_sweep", "dscr: cash_sweep", "ltv_cash_sweep", "ltv: cash_sweep"):
        assert expected in shorthand.stdout, expected


def test_waterfall_document_follows_the_results_contract():
    result = run("price", BLENDED, "--paths", 4096, "--seed", 2, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    dates = document["payment_dates"]
    assert dates[0] < dates[-1] and len(dates) == len(set(dates))
    for tranche in document["tranches"]:
        for key in ("expected_loss", "expected_loss_stderr", "default_probability", "loss_given_default",
                    "wal_years", "fair_spread_bp", "implied_rating"):
            assert key in tranche, key
        assert 0 <= tranche["expected_loss"] <= 1
        assert len(tranche["expected_principal"]) == len(dates)
    equity = document["equity"]
    for key in ("irr_mean", "irr_p05", "irr_p50", "probability_negative_irr", "money_multiple"):
        assert key in equity, key
    assert equity["irr_p05"] <= equity["irr_p50"] <= equity["irr_p95"]
    assert list(document["triggers"]) == ["DSCR cash trap", "DSCR default", "LTV cash sweep"]
    for trigger in document["triggers"].values():
        assert abs(sum(trigger["first_breach"]) - trigger["probability"]) < 1e-9
    covenants = document["covenants"]
    assert [c["name"] for c in covenants] == list(document["triggers"])
    for covenant in covenants:
        assert covenant["breach_probability"] == document["triggers"][covenant["name"]]["probability"]
        # Months in breach come in whole quarters, on paths that breach.
        assert 0 <= covenant["expected_months_in_breach"] <= 3 * len(dates) * covenant["breach_probability"]
    assert [a["name"] for a in document["accounts"]] == ["Debt service reserve", "Cash trap"]
    for account in document["accounts"]:
        assert len(account["expected_balance"]) == len(dates)
        assert ("fan_chart" in account) == (account["type"] == "trap")
        if account["type"] == "trap":
            assert len(account["fan_chart"]) == len(dates)
    assert abs(sum(document["events_of_default"]["timing"]) - document["events_of_default"]["probability"]) < 1e-9
    fan = document["fan_charts"]
    assert len(fan["dscr"]) == len(dates) and len(fan["dscr"][0]) == len(fan["levels"])
    assert document["collateral_value_at_maturity"] > 0


def test_waterfall_results_do_not_depend_on_threads():
    one = json.loads(run("price", BLENDED, "--paths", 3000, "--threads", 1, "--json").stdout)
    two = json.loads(run("price", BLENDED, "--paths", 3000, "--threads", 2, "--json").stdout)
    assert comparable(one) == comparable(two)


BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def test_collapsed_importance_weights_are_warned_of_and_the_run_still_succeeds():
    result = run("price", BLENDED, "--paths", 4000, "--importance-shift=-10", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["effective_sample_size"] < 0.01 * 4000
    assert [w["path"] for w in document["warnings"]].count("importance_shift") == 1
    assert "warning: importance_shift: the likelihood-ratio weights have collapsed" in result.stderr
    table = run("price", BLENDED, "--paths", 4000, "--importance-shift=-10")
    assert table.returncode == 0
    assert "warning: importance_shift:" in table.stderr
    assert "Importance weights   effective sample size" in table.stdout


def test_a_sound_shift_is_not_warned_of_and_no_shift_weighs_every_path():
    document = price_json("--paths", 4000, "--importance-shift=-1.5")
    assert 0.01 * 4000 < document["effective_sample_size"] < 4000
    assert abs(document["mean_weight"] - 1) < 5 * document["mean_weight_stderr"]
    assert document["warnings"] == []
    plain = price_json("--paths", 4000)
    assert plain["effective_sample_size"] == 4000 and plain["mean_weight"] == 1
    assert plain["warnings"] == []


def test_contributions_add_to_the_document_and_the_table():
    document = price_json("--paths", 4096, "--seed", 2, "--contributions")
    plain = price_json("--paths", 4096, "--seed", 2)
    contributions = document.pop("contributions")
    assert document["options"].pop("contributions") is True
    assert comparable(document) == comparable(plain)
    assert len(contributions["counterparties"]) == 125 and [s["id"] for s in contributions["sectors"]] == ["pool"]
    total = sum(c["expected_loss"] for c in contributions["counterparties"])
    assert abs(contributions["sectors"][0]["expected_loss"] - total) < 1e-14
    table = run("price", POOL, "--paths", 4096, "--seed", 2, "--contributions")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Risk contributions (top 10 of 125"))
    assert lines[start + 1].split()[:3] == ["counterparty", "exp.", "loss"]
    assert lines[start + 12].startswith("all counterparties")
