"""computedebt: structure and price compute-backed debt from Python.

A correlated default-and-depreciation Monte Carlo feeding a debt waterfall, over the C++ engine::

    import computedebt as cd
    deal = cd.load_deal("examples/deals/blended_2026.json")
    results = cd.price(deal, paths=100_000, seed=1)
    results.tranches           # pandas DataFrame, one row per tranche
    cd.plot.fan_chart(results, "dscr")

Bad deals raise ``ValueError``; its message lists every problem with its JSON path, and its ``problems``
attribute holds them as ``(path, message)`` pairs.
"""

from . import _core, plot
from ._deal import Deal, load_deal, validate
from ._price import break_even, explain, price, sculpt, size, size_deal
from ._results import PathValues, Results, Trace
from ._scenarios import scenario_grid, sensitivities, sensitivity_table

__all__ = ["Deal", "PathValues", "Results", "Trace", "break_even", "explain", "load_deal", "plot", "price",
           "scenario_grid", "sculpt", "sensitivities", "sensitivity_table", "size", "size_deal",
           "validate"]
__version__: str = _core.__version__  #: From the CMake project version, as `computedebt --version` prints it.
