"""Deal strings carrying terminal escapes reach neither the terminal nor a text file raw: the `validate` summary,
the price table and the error messages show control characters as escapes (JSON output escapes them itself)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
DEALS = ROOT / "examples" / "deals"


def run(*args):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)


HOSTILE = "Evil\u001b[2J\nDeal\u009b31m\u007f"


def hostile_deal(tmp_path):
    document = json.loads((DEALS / "homogeneous_pool.json").read_text())
    document["deal"]["name"] = HOSTILE
    document["deal"]["structure"]["tranches"][0]["name"] = "Equity\u001b]0;owned\u0007 ünïcode €"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    return document, path


def assert_no_controls(text):
    for character in text:
        code = ord(character)
        assert character == "\n" or not (code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F), repr(text)


def test_the_validate_summary_escapes_control_characters(tmp_path):
    _, path = hostile_deal(tmp_path)
    result = run("validate", path)
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout)
    assert "Evil\\x1b[2J\\x0aDeal\\u009b31m\\x7f: valid" in result.stdout
    assert "Equity\\x1b]0;owned\\x07 ünïcode €" in result.stdout


def test_the_price_table_escapes_control_characters(tmp_path):
    _, path = hostile_deal(tmp_path)
    result = run("price", path, "--paths", "2048", "--threads", "1")
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout)
    assert result.stdout.startswith("Evil\\x1b[2J\\x0aDeal\\u009b31m\\x7f: 2048 paths")
    # The JSON document keeps the name as it is (JSON escapes it).
    document = json.loads(run("price", path, "--paths", "2048", "--threads", "1", "--json").stdout)
    assert document["deal"] == HOSTILE


def test_error_messages_escape_control_characters(tmp_path):
    document, _ = hostile_deal(tmp_path)
    document["deal"]["counterparties"][0]["id"] = "bad\u001b[2J\nid"
    path = tmp_path / "refused.json"
    path.write_text(json.dumps(document))
    result = run("validate", path)
    assert result.returncode == 2
    assert_no_controls(result.stderr)
    assert "bad\\x1b[2J\\x0aid" in result.stderr
    # Still one problem per line.
    for line in result.stderr.splitlines():
        assert ": " in line, result.stderr
