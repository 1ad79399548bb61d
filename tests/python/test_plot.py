"""Plots draw what they say and return their matplotlib Axes."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import computedebt as cd  # noqa: E402

DEALS = Path(__file__).resolve().parents[2] / "examples" / "deals"


@pytest.fixture(scope="module")
def blended():
    return cd.price(cd.load_deal(DEALS / "blended_2026.json"), paths=2048, keep_paths=True, progress=False)


@pytest.fixture(scope="module")
def pool():
    return cd.price(cd.load_deal(DEALS / "homogeneous_pool.json"), paths=4096, keep_paths=True, progress=False)


def test_every_plot_returns_its_axes(blended, pool):
    from matplotlib.axes import Axes

    for axes in (cd.plot.loss_distribution(pool), cd.plot.tranche_losses(pool), cd.plot.tranche_losses(blended),
                 cd.plot.default_counts(blended), cd.plot.gpu_value_paths(blended),
                 cd.plot.fan_chart(blended, "dscr", threshold=1.25), cd.plot.fan_chart(blended, "ltv")):
        assert isinstance(axes, Axes)


def test_the_loss_distribution_marks_var_and_es(pool):
    axes = cd.plot.loss_distribution(pool)
    labels = [line.get_label() for line in axes.get_lines()]
    assert any(label.startswith("VaR 99.0%") for label in labels)
    assert any(label.startswith("ES 99.9%") for label in labels)
    positions = {line.get_label().split(" =")[0]: line.get_xdata()[0] for line in axes.get_lines()}
    assert positions["VaR 99.0%"] == pytest.approx(pool.portfolio["loss_var_99"])


def test_plots_that_need_kept_paths_say_so():
    results = cd.price(cd.load_deal(DEALS / "homogeneous_pool.json"), paths=1024, progress=False)
    with pytest.raises(ValueError, match="keep_paths"):
        cd.plot.loss_distribution(results)
    with pytest.raises(ValueError, match="waterfall"):
        cd.plot.fan_chart(results)
