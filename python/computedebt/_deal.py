"""Deals: the terms and the assumptions, validated once at the boundary."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Optional, Union

from . import _core

PathLike = Union[str, "os.PathLike[str]"]


class Deal:
    """A validated deal file (the C++ ``DealFile``): the deal's terms and the modeller's assumptions.

    Build one with :func:`load_deal`, :meth:`from_dict` or :meth:`from_json`. Every constructor validates the
    whole document and raises ``ValueError`` listing every problem. Deals compare equal when their documents
    do, and pickle (as their JSON document) across processes.
    """

    __slots__ = ("_file",)

    def __init__(self, file: _core.DealFile) -> None:
        self._file = file

    @classmethod
    def from_dict(cls, document: dict) -> "Deal":
        """Validates a deal document (``{"format_version", "deal", "assumptions"}``) given as a dict."""
        return cls(_core.DealFile.from_json(json.dumps(document)))

    @classmethod
    def from_json(cls, text: str) -> "Deal":
        """Validates a deal document given as JSON text."""
        return cls(_core.DealFile.from_json(text))

    def to_dict(self) -> dict:
        """The deal document with every default filled in; ``Deal.from_dict(d.to_dict()) == d``."""
        return json.loads(self._file.to_json())

    def to_json(self, indent: Optional[int] = None) -> str:
        """The deal document as JSON text."""
        return self._file.to_json(-1 if indent is None else indent)

    @property
    def name(self) -> str:
        return self._file.name

    @property
    def structure_type(self) -> str:
        """``"waterfall"`` or ``"loss_tranches"``."""
        return self.to_dict()["deal"]["structure"]["type"]

    def with_assumptions(self, patch: dict) -> "Deal":
        """A copy with a JSON Merge Patch (RFC 7396) applied to the assumptions: a scenario."""
        document = self.to_dict()
        document["assumptions"] = _merge_patch(document["assumptions"], patch)
        return Deal.from_dict(document)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Deal) and self._file == other._file

    def __reduce__(self):
        return (Deal.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        return f"Deal({self.name!r}, {self.structure_type})"


def _merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def load_deal(path: PathLike, assumptions: Optional[PathLike] = None, scenarios: Iterable[PathLike] = ()) -> Deal:
    """Loads and validates a deal file.

    ``assumptions`` replaces the file's assumptions with a bare assumptions file; each of ``scenarios`` (JSON
    Merge Patch files) is then applied to the assumptions, in order, as ``computedebt price --scenario`` does.
    """
    return Deal(
        _core.DealFile.load(os.fspath(path), None if assumptions is None else os.fspath(assumptions),
                            [os.fspath(s) for s in scenarios]))


def validate(deal: Deal) -> None:
    """Calibrates the deal as ``computedebt validate`` does (credit curves, CDS bootstraps, the grid).

    Loading already checked every rule of the deal format; this also builds the curves, and raises
    ``ValueError`` if one cannot be built.
    """
    deal._file.validate()
