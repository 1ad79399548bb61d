"""Issue 15 from Python: invalid UTF-8 is a ValueError with problems, one path warns that its standard errors
are undefined (docs/deal_format.md sections 7 and 14)."""

from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"


def test_invalid_utf8_raises_value_error_with_problems(tmp_path):
    deal = tmp_path / "latin1.json"
    deal.write_bytes(POOL.read_bytes().replace(b'"Homogeneous pool', b'"Homog\xe8ne pool', 1))
    with pytest.raises(ValueError) as raised:
        cd.load_deal(deal)
    assert [path for path, _ in raised.value.problems] == ["deal.name"]
    assert "not valid UTF-8" in raised.value.problems[0][1]


def test_one_path_has_undefined_standard_errors_and_a_warning():
    with pytest.warns(UserWarning, match="paths: 1 path makes fewer than 2 independent paths"):
        results = cd.price(cd.load_deal(POOL), paths=1, progress=False)
    document = results.to_dict()
    assert document["portfolio"]["expected_loss_stderr"] is None
    assert [w["path"] for w in document["warnings"]] == ["paths"]
    assert results.tranches["expected_loss_stderr"].isna().all()
