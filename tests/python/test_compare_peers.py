"""benchmarks/compare_peers runs end to end with small settings, and its peers agree with computedebt."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_compare_peers_agrees_with_computedebt_and_the_exact_value():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare_peers"), "--paths", "50000", "--numpy-paths", "20000",
         "--quantlib-paths", "500", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["tranches"]) == 6
    for tranche in summary["tranches"]:
        assert tranche["numpy"]["status"] == "OK", tranche
        assert tranche["quantlib"]["status"] == "OK", tranche
        ours = tranche["computedebt"]
        assert abs(ours["el"] - tranche["exact_el"]) <= 4 * ours["se"] + 1e-12, tranche
    assert set(summary["targets"]) == {"numpy", "quantlib", "floor"}
