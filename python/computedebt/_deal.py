"""Deals: the terms and the assumptions, validated once at the boundary."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, List, Optional, Tuple, Union

from . import _core

PathLike = Union[str, "os.PathLike[str]"]


class Deal:
    """A validated deal file (the C++ ``DealFile``): the deal's terms and the modeller's assumptions.

    Build one with :func:`load_deal`, :meth:`from_dict` or :meth:`from_json`. Every constructor validates the
    whole document and raises ``ValueError`` listing every problem. Deals compare equal when their documents
    do, and pickle (as their JSON document) across processes. A deal from :func:`load_deal` remembers the
    assumptions and scenario files it was loaded with: output documents name them in ``options``.
    """

    __slots__ = ("_file", "_assumptions", "_scenarios")

    def __init__(self, file: _core.DealFile, assumptions: Optional[str] = None, scenarios: Iterable[str] = ()) -> None:
        self._file = file
        self._assumptions = assumptions
        self._scenarios = list(scenarios)

    def _sources(self) -> dict:
        """The files the deal was loaded with, as the engine's bindings take them."""
        return {"assumptions": self._assumptions, "scenarios": self._scenarios}

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

    def warnings(self) -> List[Tuple[str, str]]:
        """Plausible mistakes that do not stop the deal from pricing, as ``(path, message)`` pairs: capital that
        differs from the fleet's cost plus the initial reserve by more than 1%, an initial LTV above the LTV
        trigger, a first DSCR below the DSCR trigger (docs/deal_format.md, "Warnings"). Calibrates the deal."""
        return [tuple(w) for w in self._file.warnings()]

    def with_assumptions(self, patch: dict) -> "Deal":
        """A copy with a JSON Merge Patch (RFC 7396) applied to the assumptions: a scenario, checked as
        ``computedebt price --scenario`` checks one (an entry naming no counterparty, sector in use, GPU type or
        site of the deal raises ``ValueError``). The copy names no files in output documents: its assumptions are no
        longer those of the files."""
        return Deal(self._file.with_scenario(json.dumps(patch)))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Deal) and self._file == other._file

    def __reduce__(self):
        return (_restore, (self.to_json(), self._assumptions, self._scenarios))

    def __repr__(self) -> str:
        return f"Deal({self.name!r}, {self.structure_type})"


def _restore(text: str, assumptions: Optional[str], scenarios: List[str]) -> Deal:
    return Deal(_core.DealFile.from_json(text), assumptions, scenarios)


def load_deal(path: PathLike, assumptions: Optional[PathLike] = None, scenarios: Iterable[PathLike] = ()) -> Deal:
    """Loads and validates a deal file.

    ``assumptions`` replaces the file's assumptions with a bare assumptions file; each of ``scenarios`` (JSON
    Merge Patch files) is then applied to the assumptions, in order, as ``computedebt price --scenario`` does.
    ``scenarios`` must be a list of paths: a single path (a ``str``) raises ``TypeError``.
    """
    if isinstance(scenarios, (str, bytes, os.PathLike)):
        raise TypeError(f"scenarios: expected a list of paths, got the single path {scenarios!r}: "
                        f"write scenarios=[{scenarios!r}]")
    assumptions_path = None if assumptions is None else os.fspath(assumptions)
    scenario_paths = [os.fspath(s) for s in scenarios]
    return Deal(_core.DealFile.load(os.fspath(path), assumptions_path, scenario_paths), assumptions_path,
                scenario_paths)


def validate(deal: Deal) -> List[Tuple[str, str]]:
    """Calibrates the deal as ``computedebt validate`` does (credit curves, CDS bootstraps, the grid) and
    returns its warnings (:meth:`Deal.warnings`).

    Loading already checked every rule of the deal format; this also builds the curves, and raises
    ``ValueError`` if one cannot be built.
    """
    deal._file.validate()
    return deal.warnings()
