"""`computedebt price --importance-shift auto`: the shift chosen for a tranche, how, and what it gained
(docs/methodology.md section 7.4, docs/deal_format.md section 10)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=120)


def price_json(deal, *args):
    result = run("price", deal, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


def test_loss_tranches_default_to_the_most_senior_by_glasserman_li():
    document = price_json(POOL, "--paths", 20000, "--importance-shift", "auto")
    sampling = document["importance_sampling"]
    assert sampling["method"] == "glasserman-li" and sampling["target"] == "Super senior 30-100%"
    assert sampling["pilot_paths"] == 0
    assert len(document["importance_shift"]) == 1 and -4 < document["importance_shift"][0] < -2
    reduction = sampling["expected_loss_variance_reduction"]
    assert list(reduction) == [t["name"] for t in document["tranches"]]
    assert reduction["Super senior 30-100%"] > 50 and reduction["Equity 0-3%"] < 1
    # The tranches it estimates worse than plain Monte Carlo are named, instead of the ESS rule's collapse.
    warnings = [w for w in document["warnings"] if w["path"] == "importance_shift"]
    assert len(warnings) == 1 and "Equity 0-3%" in warnings[0]["message"]
    assert "collapsed" not in warnings[0]["message"]


def test_a_named_target_and_the_table():
    document = price_json(POOL, "--paths", 20000, "--importance-shift", "auto", "--importance-target", "Senior 10-15%")
    assert document["importance_sampling"]["target"] == "Senior 10-15%"
    assert -2.5 < document["importance_shift"][0] < -1
    table = run("price", POOL, "--paths", 20000, "--importance-shift", "auto", "--importance-target", "Senior 10-15%")
    assert table.returncode == 0, table.stderr
    assert "Importance shift     -1." in table.stdout and "(Glasserman-Li mode for Senior 10-15%)" in table.stdout
    lines = table.stdout.splitlines()
    start = lines.index("Variance reduction of each tranche's expected loss against plain Monte Carlo at equal paths")
    assert lines[start + 4].split()[:2] == ["Senior", "10-15%"] and lines[start + 4].endswith("x")


def test_a_waterfall_takes_a_pilot_whatever_the_thread_count():
    one = price_json(BLENDED, "--paths", 4096, "--importance-shift", "auto", "--threads", 1)
    two = price_json(BLENDED, "--paths", 4096, "--importance-shift", "auto", "--threads", 2)
    assert comparable(one) == comparable(two)
    sampling = one["importance_sampling"]
    assert sampling["method"] == "cross-entropy" and sampling["target"] == "Senior A"
    assert sampling["pilot_paths"] % 8192 == 0 and sampling["pilot_paths"] > 0
    assert all(mu < 0 for mu in one["importance_shift"])
    assert "importance_sampling" not in price_json(BLENDED, "--paths", 4096)


def test_explain_replays_the_path_of_the_auto_run():
    shifted = price_json(BLENDED, "--paths", 2048, "--importance-shift", "auto", "--importance-target", "Mezzanine B")
    auto = run("explain", BLENDED, "--paths", 2048, "--path", 77, "--importance-shift", "auto",
               "--importance-target", "Mezzanine B", "--json")
    assert auto.returncode == 0, auto.stderr
    trace = json.loads(auto.stdout)
    assert trace["options"]["importance_shift"] == shifted["importance_shift"]
    assert trace["weight"] != 1.0


def test_bad_targets_and_combinations_exit_2_naming_the_option():
    cases = [
        (["price", POOL, "--importance-shift", "auto", "--importance-target", "Senior"],
         "importance_target: the deal has no tranche named 'Senior'; its tranches are Equity 0-3%"),
        (["price", POOL, "--importance-target", "Senior 10-15%"], "importance_target: names the tranche of"),
        (["price", POOL, "--importance-shift", "auto", "--method", "semi-analytic"], "importance_shift: auto chooses"),
        (["size", BLENDED, "--tranche", "Senior A", "--target-rating", "A2", "--importance-shift", "auto"],
         "importance_shift: auto is chosen by price and explain only"),
        (["sensitivities", POOL, "--importance-shift", "-1", "--importance-target", "Senior 10-15%"],
         "importance_target: names the tranche of --importance-shift auto, which this command does not take"),
    ]
    for args, message in cases:
        result = run(*args, "--paths", 1024)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith(message), result.stderr
    assert run("price", POOL, "--importance-shift", "automatic").returncode == 1  # a parse error, as for any value
