"""Issue 15 from the command line: one path has no standard error, tiny amounts, invalid UTF-8, files without
end and contracts ending in 9999 (docs/deal_format.md sections 1, 7 and 14)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, timeout=120)


def test_one_path_reports_null_standard_errors_and_warns():
    result = run("price", POOL, "--json", "--paths", 1)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["portfolio"]["expected_loss_stderr"] is None
    assert all(t["expected_loss_stderr"] is None for t in document["tranches"])
    assert [w["path"] for w in document["warnings"]] == ["paths"]
    assert "undefined" in document["warnings"][0]["message"]
    assert b"warning: paths:" in result.stderr
    two = json.loads(run("price", POOL, "--json", "--paths", 2).stdout)
    assert two["warnings"] == [] and two["portfolio"]["expected_loss_stderr"] is not None


def test_a_tiny_positive_amount_is_refused_at_its_path(tmp_path):
    document = json.loads(BLENDED.read_text())
    document["deal"]["structure"]["equity"]["investment"] = 5e-324
    deal = tmp_path / "tiny.json"
    deal.write_text(json.dumps(document))
    result = run("validate", deal)
    assert result.returncode == 2
    assert b"deal.structure.equity.investment: expected a positive amount in [0.01, 1e15]" in result.stderr


def test_invalid_utf8_is_a_problem_at_its_path_in_valid_utf8(tmp_path):
    deal = tmp_path / "latin1.json"
    deal.write_bytes(POOL.read_bytes().replace(b'"Homogeneous pool', b'"Homog\xe8ne pool', 1))
    result = run("validate", deal, "--json")
    assert result.returncode == 2
    document = json.loads(result.stdout.decode("utf-8"))  # strict: the output is UTF-8
    assert [p["path"] for p in document["problems"]] == ["deal.name"]
    assert "not valid UTF-8" in document["problems"][0]["message"]
    assert "\\xE8" in document["problems"][0]["message"]


def test_a_stream_without_end_is_refused_without_reading_it_whole():
    result = run("validate", "/dev/zero")
    assert result.returncode == 2
    assert b"/dev/zero is larger than 268435456 bytes (256 MiB)" in result.stderr


def test_a_contract_ending_implausibly_late_is_warned_about_or_refused(tmp_path):
    document = json.loads(POOL.read_text())
    document["deal"]["contracts"][0]["end_date"] = "9999-12-31"  # "open-ended": past the 100-year bound
    deal = tmp_path / "open_ended.json"
    deal.write_text(json.dumps(document))
    refused = run("validate", deal, "--json")
    assert refused.returncode == 2
    assert [p["path"] for p in json.loads(refused.stdout)["problems"]] == ["deal.contracts[0].end_date"]
    document["deal"]["contracts"][0]["end_date"] = "2099-12-31"
    deal.write_text(json.dumps(document))
    result = run("validate", deal, "--json")
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert [w["path"] for w in warnings] == ["deal.contracts[0].end_date"]
    assert "more than 20 years" in warnings[0]["message"]
