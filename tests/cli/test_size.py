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
