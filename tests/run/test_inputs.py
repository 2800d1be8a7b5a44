"""Every sampled input's value per draw is kept with the results (`Result.inputs`, `input.*` in
ensemble.nc), and it is the value the model used in that draw."""
import numpy as np
import pytest
import xarray as xr

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.inputs import flatten_inputs
from simulator.montecarlo.draws import sampling_dimensions

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def result():
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    return engine.run(scenario, draws=600, seed=4, block_size=256)


def test_one_column_per_sampled_input_one_row_per_draw(result):
    inputs = result.inputs
    assert list(inputs.columns) == sampling_dimensions(result.scenario)
    assert list(inputs.index) == list(range(600))
    assert np.isfinite(inputs.to_numpy()).all()
    assert "trade.shock_japan_to_india.2030" in inputs and "investment.realisation_rate" in inputs


def test_inputs_are_the_values_the_model_used(result):
    """The realisation rate r of each draw: disbursed_2025 = r * JPY 10 tn / 10 years / fx_2025."""
    r = result.inputs["investment.realisation_rate"].to_numpy()
    disbursed = result["investment.disbursed"].sel(year=2025).values
    fx = result["investment.fx_jpy_per_usd"].sel(year=2025).values
    np.testing.assert_allclose(disbursed * fx / 1000.0, r, rtol=1e-12)
    # Dirichlet draws: shares of the pledge by sector, summing to one in every draw.
    shares = result.inputs.filter(like="investment.sector_shares.")
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
    by_sector = result["investment.disbursed_by_sector"].sel(year=2025).values
    np.testing.assert_allclose(by_sector / disbursed[:, None], shares.to_numpy(), rtol=1e-10)


def test_inputs_follow_their_distributions(result):
    r = result.inputs["investment.realisation_rate"]
    assert r.between(0.1, 1.0).all()  # PERT(0.1, 0.8, 1.0)
    shock = result.inputs["trade.shock_india_to_japan.2028"]
    assert abs(shock.mean()) < 0.15 and abs(shock.std() - 1) < 0.1  # standard normal


def test_inputs_are_not_output_variables(result):
    assert not any(v.startswith("input.") for v in result.variables)
    assert not result.summary()["variable"].str.startswith("input.").any()


def test_threads_and_blocks_give_identical_inputs(result):
    again = engine.run(result.scenario, threads=2)
    np.testing.assert_array_equal(again.inputs.to_numpy(), result.inputs.to_numpy())


def test_ensemble_file_holds_the_inputs_on_draw(cli, tmp_path):
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "300", "--no-plots", "--quiet", "--out", "r")
    assert code == 0, err
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    dimensions = sampling_dimensions(scenario)
    with xr.open_dataset(tmp_path / "r" / "ensemble.nc") as ds:
        names = [k for k in ds.data_vars if k.startswith("input.")]
        # Issue 32: a yearly shock series is one (draw, shock_year) array, not one variable per year.
        series = {k for k in names if "shock_year" in ds[k].dims}
        assert series == {"input.investment.fx_shock", "input.trade.shock_india_to_japan",
                          "input.trade.shock_japan_to_india"}
        assert all(ds[k].dims == ("draw", "shock_year") for k in series)
        assert all(ds[k].dims == ("draw",) for k in set(names) - series)
        assert not any(k.rsplit(".", 1)[-1].isdigit() for k in names)
        assert ds["input.investment.realisation_rate"].attrs["long_name"] == "Share of the pledge that arrives"
        assert ds["input.investment.realisation_rate"].values.min() >= 0.1
        assert ds["input.trade.shock_japan_to_india"].attrs["long_name"] == "Shock to Japan's exports to India"
        # The yen has no shock in the base year: NaN there, and only there.
        fx = ds["input.investment.fx_shock"]
        assert list(ds["shock_year"].values) == list(scenario.years)
        assert np.isnan(fx.sel(shock_year=scenario.years[0])).all()
        assert np.isfinite(fx.sel(shock_year=scenario.years[1:])).all()
        # Flattened back, exactly the sampler's dimensions with the values the run kept in memory.
        flat = flatten_inputs(ds)
        assert sorted(flat) == sorted(f"input.{d}" for d in dimensions)
        # Every trade year carries its fiscal-year label.
        assert ds["trade.balance"]["fiscal_year"].values.tolist()[:2] == ["FY2025-26", "FY2026-27"]
    again = engine.run(scenario, draws=300)
    for name, values in flat.items():
        np.testing.assert_array_equal(values, again.inputs[name[len("input."):]].to_numpy(), err_msg=name)


def test_scenario_without_uncertainty_has_no_inputs(write):
    path = write("fixed.toml", """
        [scenario]
        name = "fixed"
        draws = 5
    """)
    result = engine.run(simulator.load_scenario(path))
    assert result.inputs.shape == (5, 0)


def test_shocks_from_before_the_first_projected_year_keep_their_years(write):
    """A scenario that starts from its base year draws trade shocks from the year after the base
    (FY2024-25 here), before the projection's first year: they keep their own years."""
    path = write("from-base.toml", f"""
        [scenario]
        name = "from-base"
        extends = "{SCENARIOS / 'baseline.toml'}"
        draws = 40
        [trade]
        start = "base"
        """)
    scenario = simulator.load_scenario(path)
    result = engine.run(scenario)
    shocks = result["input.trade.shock_japan_to_india"]
    assert int(shocks["shock_year"][0]) < scenario.years[0]
    assert sorted(result.inputs.columns) == sorted(sampling_dimensions(scenario))
