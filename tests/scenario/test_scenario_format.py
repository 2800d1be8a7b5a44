"""Scenario loading: defaults from seeds, extends, overrides, schema, distributions."""
import json

import jsonschema
import numpy as np
import pytest
import tomllib

import simulator
from simulator.scenario import SPECS, Distribution, Fixed, Path
from simulator.scenario.schema import scenario_schema
from simulator.article_figures import seed_figure, seed_figures

from tests.conftest import SCENARIOS


def test_seed_defaults_match_seed_file():
    for spec in SPECS.values():
        if spec.seed:
            assert spec.default_value() == seed_figure(spec.seed).value


def test_every_seed_figure_is_documented():
    for fig in seed_figures().values():
        assert fig.unit and fig.period and fig.measures and fig.where


def test_every_model_parameter_states_a_source():
    for spec in SPECS.values():
        if spec.group not in ("scenario", "sampling"):
            assert spec.seed or spec.source, spec.path


def test_minimal_scenario_takes_registry_defaults(write):
    s = simulator.load_scenario(write("min.toml", '[scenario]\nname = "min"\n'))
    assert s.title == "min" and s.horizon_start == 2025 and s.horizon_years == 10
    assert s.params["investment.fdi_stock_start_usd_bn"] == Fixed(43.0)
    assert s.params["investment.pledge_years"] == 10
    assert s.params["investment.disbursement.midpoint_years"] == Fixed(5.0)


def test_extends_overrides_key_by_key(write):
    write("parent.toml", """
        [scenario]
        name = "parent"
        title = "Parent"
        draws = 77
        [investment]
        realisation_rate = { dist = "pert", min = 0.3, mode = 0.8, max = 1.0 }
        depreciation_rate = 0.02
        """)
    child = simulator.load_scenario(write("child.toml", """
        [scenario]
        name = "child"
        extends = "parent.toml"
        [investment]
        realisation_rate = { dist = "uniform", min = 0.1, max = 0.2 }
        """))
    assert child.name == "child" and child.title == "child"  # identity is never inherited
    assert child.draws == 77  # settings are
    assert child.params["investment.depreciation_rate"] == Fixed(0.02)
    r = child.params["investment.realisation_rate"]
    assert isinstance(r, Distribution) and r.family == "uniform"  # a distribution is replaced whole
    assert len(child.files) == 2 and len(child.sha256) == 2


def test_with_params_revalidates(write):
    s = simulator.load_scenario(SCENARIOS / "baseline.toml")
    t = s.with_params({"investment.realisation_rate": 0.5})
    assert t.params["investment.realisation_rate"] == Fixed(0.5)
    assert s.params["investment.realisation_rate"] != Fixed(0.5)  # the original is untouched
    with pytest.raises(simulator.ScenarioError, match="investment.realisation_rate"):
        s.with_params({"investment.realisation_rate": 2.0})


@pytest.mark.parametrize("dist,mean", [
    ({"dist": "normal", "mean": 3.0, "sd": 0.5}, 3.0),
    ({"dist": "lognormal", "median": 2.0, "sigma": 0.1}, 2.0 * np.exp(0.005)),
    ({"dist": "uniform", "min": 1.0, "max": 3.0}, 2.0),
    ({"dist": "triangular", "min": 0.0, "mode": 3.0, "max": 3.0}, 2.0),
    ({"dist": "pert", "min": 0.0, "mode": 0.5, "max": 1.0}, 0.5),
    ({"dist": "pert", "min": 0.0, "mode": 0.2, "max": 1.0}, (0 + 4 * 0.2 + 1) / 6),
    ({"dist": "beta", "alpha": 2.0, "beta": 6.0, "min": 0.0, "max": 2.0}, 0.5),
    ({"dist": "truncnormal", "mean": 0.0, "sd": 1.0, "min": 0.0, "max": 50.0}, np.sqrt(2 / np.pi)),
])
def test_distribution_means(dist, mean, write):
    # A key whose range starts at 0 (closed) and has no lower limit: the FDI stock's draws must stay
    # above US$10 million (ParamSpec.limits), which distributions starting at 0 do not.
    doc = {"scenario": {"name": "d"}, "trade": {"exports_india_to_us_base_usd_bn": dist}}
    value = simulator.scenario_from_dict(doc).params["trade.exports_india_to_us_base_usd_bn"] \
        if dist["dist"] != "normal" else None
    if value is None:  # a normal can go negative, which a stock cannot: check it on an unbounded key
        from simulator.scenario.values import parse_distribution
        value, errs = parse_distribution(dist)
        assert not errs
    assert value.mean() == pytest.approx(mean, rel=1e-9)


def test_path_interpolation():
    from simulator.scenario.values import parse_path
    step, _ = parse_path({"2025": 1.0, "2028": 4.0})
    linear, _ = parse_path({"2025": 1.0, "2028": 4.0, "interpolation": "linear"})
    years = np.arange(2023, 2031)
    np.testing.assert_allclose(step.at(years), [1, 1, 1, 1, 1, 4, 4, 4])
    np.testing.assert_allclose(linear.at(years), [1, 1, 1, 2, 3, 4, 4, 4])
    assert isinstance(step, Path)


def test_schema_accepts_every_shipped_scenario_and_rejects_unknown_keys():
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in SCENARIOS.glob("*.toml"):
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
        errors = list(validator.iter_errors(doc))
        assert not errors, (path, [e.message for e in errors])
    assert list(validator.iter_errors({"scenario": {"name": "x"}, "investment": {"realisaton_rate": 1}}))
    json.dumps(schema)  # serialisable


def test_docs_parameter_table_is_current():
    from simulator.scenario.reference import parameter_table
    from tests.conftest import ROOT
    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert parameter_table() in docs, "run: python -m simulator.scenario.reference docs/scenarios.md"


def test_model_doc_trade_table_matches_registry_and_baseline():
    from simulator.scenario.reference import describe_value
    from tests.conftest import ROOT
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): [c.strip() for c in line.split("|")[2:4]]
            for line in doc.splitlines() if line.startswith("| `trade.") or line.startswith("| `tariffs.")}
    baseline = simulator.load_scenario(SCENARIOS / "baseline.toml")
    for path, spec in SPECS.items():
        if spec.group not in ("trade", "tariffs"):
            continue
        assert path in rows, f"docs/model.md has no row for {path}"
        default, base = rows[path]
        if spec.default_value() is None:  # no default: set only by a start from the history, or by hand
            assert default == "—", path
        else:
            assert default == describe_value(Fixed(float(spec.default_value())) if spec.kind == "number"
                                             else spec.default_value()), path
        if (baseline.origin(path) or "").startswith("history"):
            # resolved from seeds/history when the scenario is built: the table says so, and gives the
            # value with the shipped history in its source column, checked here
            assert base == "from the history", path
            value = baseline.params[path]
            shown = f"{dict(value.params)['median']:.2f}" if hasattr(value, "params") else str(value.value if hasattr(value, "value") else value)
            assert shown in doc.split(f"| `{path}` |")[1].split("\n")[0], path
        else:
            assert base == describe_value(baseline.params[path]), path


def test_extends_names_a_shipped_scenario_from_any_folder(tmp_path, monkeypatch):
    """`extends = "baseline"` in a user's folder builds on the shipped baseline, as `ijsim run baseline`
    does on the command line; a file of that name beside the child comes first."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text('[scenario]\nname = "mine"\nextends = "baseline"\ndraws = 7\n', encoding="utf-8")
    mine = simulator.load_scenario(tmp_path / "mine.toml")
    baseline = simulator.load_scenario(SCENARIOS / "baseline.toml")
    assert mine.draws == 7 and mine.files[1].resolve() == (SCENARIOS / "baseline.toml").resolve()
    assert {k: str(v) for k, v in mine.params.items()} == {k: str(v) for k, v in baseline.params.items()}
    assert [e.name for e in mine.events] == [e.name for e in baseline.events]
    (tmp_path / "baseline").write_text('[scenario]\nname = "local"\ndraws = 3\n', encoding="utf-8")
    assert simulator.load_scenario(tmp_path / "mine.toml").files[1] == tmp_path / "baseline"
