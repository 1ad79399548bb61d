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


def test_every_plot_has_a_title_labels_and_a_legend(blended, pool):
    plots = [cd.plot.loss_distribution(pool), cd.plot.tranche_losses(pool), cd.plot.tranche_losses(blended),
             cd.plot.default_counts(blended), cd.plot.gpu_value_paths(blended),
             cd.plot.fan_chart(blended, "dscr", threshold=1.35, threshold_label="DSCR cash trap 1.35x"),
             cd.plot.fan_chart(blended, "ltv"), cd.plot.equity_irr(blended),
             cd.plot.equity_irr(cd.price(cd.load_deal(DEALS / "blended_2026.json"), paths=1024, progress=False)),
             cd.plot.expected_flows(blended), cd.plot.convergence(blended, "Senior A"), cd.plot.convergence(pool)]
    for axes in plots:
        assert axes.get_title() and axes.get_xlabel() and axes.get_ylabel(), axes.get_title()
        assert axes.get_legend() is not None, axes.get_title()
    legend = [text.get_text() for text in plots[5].get_legend().get_texts()]
    assert "DSCR cash trap 1.35x" in legend and "5%-95%" in legend


def test_fan_charts_keep_the_overflow_bin_out_of_range(blended):
    axes = cd.plot.fan_chart(blended, "dscr", threshold=1.35)
    frame = blended.fan_charts["dscr"]
    below = frame.to_numpy()[frame.to_numpy() < 10.0]
    assert (frame.to_numpy() >= 10.0).any(), "late dates owe little: their upper quantiles overflow"
    assert axes.get_ylim()[1] == pytest.approx(1.1 * below.max())


def test_error_bars_stay_positive_on_the_log_axis(pool):
    axes = cd.plot.tranche_losses(pool)
    assert axes.get_ylim()[0] == 0.0
    for collection in axes.collections:
        for segment in collection.get_segments():
            assert min(y for _, y in segment) >= 0.0


def test_per_path_values_as_labelled_arrays_and_convergence(blended):
    dataset = blended.paths.to_xarray()
    assert dict(dataset.sizes) == {"path": 2048, "tranche": 2, "gpu_type": 2, "month": 67}
    assert list(dataset["tranche"].values) == ["Senior A", "Mezzanine B"]
    assert float(dataset["tranche_loss"].sel(tranche="Mezzanine B").mean()) == pytest.approx(
        blended.paths.tranche_loss[:, 1].mean())
    running = blended.paths.convergence("Mezzanine B")
    assert list(running.index) == [1024, 2048]
    assert running["estimate"].iloc[-1] == pytest.approx(blended.paths.tranche_loss[:, 1].mean())
    assert (running["upper"] >= running["lower"]).iloc[1:].all()
    with pytest.raises(ValueError, match="two leaves"):
        cd.price(cd.load_deal(DEALS / "homogeneous_pool.json"), paths=1500, keep_paths=True,
                 progress=False).paths.convergence()


def test_per_path_flows_when_asked_for():
    deal = cd.load_deal(DEALS / "blended_2026.json")
    results = cd.price(deal, paths=1024, seed=2, keep_paths=True, keep_flows=True, progress=False)
    dataset = results.paths.to_xarray()
    assert dict(dataset["balance"].sizes) == {"path": 1024, "tranche": 2, "date": 22}
    assert str(dataset["date"].values[0])[:10] == results.payment_dates[0].strftime("%Y-%m-%d")
    # The mean flows are the results' expected flows; the last balance is the unpaid balance behind each loss.
    assert float(dataset["principal"].sel(tranche="Senior A").mean("path")[0]) == pytest.approx(
        results.expected_flows[("Senior A", "principal")].iloc[0])
    path = int(results.paths.worst("Mezzanine B", n=1)[0])
    trace = cd.explain(deal, path, seed=2, paths=1024)
    assert list(dataset["balance"].sel(path=path, tranche="Mezzanine B").values) == \
        trace.dates[("Mezzanine B", "balance")].tolist()
    with pytest.raises(ValueError, match="keep_paths"):
        cd.price(deal, paths=100, keep_flows=True, progress=False)
    assert cd.price(deal, paths=100, keep_paths=True, progress=False).paths.balance is None
