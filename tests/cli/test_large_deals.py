"""`computedebt validate` on a generated 20,000-name deal, from benchmarks/large_deal.py: loading large deals (no
longer quadratic in the number of names) stays correct. Correctness only, no timing."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from large_deal import large_deal  # noqa: E402


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_a_generated_20000_name_deal_validates(tmp_path):
    names = 20000
    deal_path = tmp_path / "large.json"
    deal_path.write_text(json.dumps(large_deal(names)))
    result = run("validate", deal_path)
    assert result.returncode == 0, result.stderr[:2000]
    assert result.stderr == ""
    assert f"Generated pool {names} names: valid" in result.stdout
    assert f"Counterparties: {names}" in result.stdout
    assert f"{names} contracts" in result.stdout


def test_a_generated_deal_reports_its_problems_in_document_order(tmp_path):
    document = large_deal(20000)
    deal = document["deal"]
    deal["counterparties"][19000]["id"] = ""  # an empty id, far into the list
    deal["contracts"][5]["notional"] = -1
    document["assumptions"]["credit"]["nobody"] = {"default_probability": 0.01, "horizon_years": 5}
    deal_path = tmp_path / "broken.json"
    deal_path.write_text(json.dumps(document))
    result = run("validate", deal_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    paths = [line.split(": ", 1)[0] for line in lines]
    assert "deal.counterparties[19000].id" in paths, result.stderr[:2000]
    assert "deal.contracts[5].notional" in paths, result.stderr[:2000]
    assert paths.index("deal.counterparties[19000].id") < paths.index("deal.contracts[5].notional")


def test_duplicate_keys_in_a_large_object_are_refused(tmp_path):
    text = json.dumps(large_deal(2000))
    # A second entry for name_0001 in the credit map, at the end of it.
    text = text.replace('"credit": {', '"credit": {"name_0001": {"default_probability": 0.5, "horizon_years": 5}, ', 1)
    deal_path = tmp_path / "duplicate.json"
    deal_path.write_text(text)
    result = run("validate", deal_path)
    assert result.returncode == 2
    assert 'assumptions.credit.name_0001: duplicate key "name_0001" in the same object' in result.stderr
