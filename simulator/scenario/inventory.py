"""Every parameter as a row people can read: what it is, its unit, allowed range and default, and,
for a scenario, the value it takes and which file set it (`ijsim params`).

Without a scenario the rows are the registry's, with `<name>` standing for any stage or stream;
with one they are the scenario's concrete parameters, each stage's and stream's included.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.scenario.parameters import SPECS, ParamSpec, spec_for
from simulator.scenario.reference import _default, _source, describe_value

if TYPE_CHECKING:
    from simulator.scenario.model import Scenario


@dataclass(frozen=True)
class ParameterRow:
    path: str  # 'investment.realisation_rate', 'exchange.streams.<name>.uptake'
    title: str
    unit: str
    range: str  # '[0, 1]', or the choices
    default: str
    source: str  # of the default: a seed figure, a citation, or 'assumption'
    description: str = ""
    value: str | None = None  # with a scenario: the value it runs with
    set_by: str | None = None  # with a scenario: the file that set it, '<overrides>', or 'default'

    def matches(self, word: str) -> bool:
        """Case-insensitive search over the path, title, description and source."""
        word = word.lower()
        return any(word in text.lower() for text in (self.path, self.title, self.description, self.source))


def _range(spec: ParamSpec) -> str:
    if spec.kind == "choice":
        return " | ".join(spec.choices)
    if spec.kind in ("number", "integer", "person_time", "rate_table"):
        return spec.range_text()
    return ""


def _row(spec: ParamSpec, path: str) -> ParameterRow:
    return ParameterRow(path=path, title=spec.title, unit=spec.unit, range=_range(spec),
                        default=_default(spec).replace("`", ""), source=_source(spec).replace("`", ""),
                        description=spec.description)


def registry_rows() -> list[ParameterRow]:
    """Every key a scenario file may hold."""
    return [_row(spec, path.replace("*", "<name>")) for path, spec in SPECS.items()]


def _settings(scenario: "Scenario") -> dict[str, object]:
    return {"scenario.name": scenario.name, "scenario.title": scenario.title,
            "scenario.description": scenario.description.strip(), "scenario.horizon_start": scenario.horizon_start,
            "scenario.horizon_years": scenario.horizon_years, "scenario.draws": scenario.draws,
            "scenario.seed": scenario.seed, "sampling.method": scenario.sampler,
            "sampling.block_size": scenario.block_size}


def scenario_rows(scenario: "Scenario") -> list[ParameterRow]:
    """The scenario's settings and every parameter it runs with, in registry order."""
    values = {**_settings(scenario), **scenario.params}
    order = {spec.path: i for i, spec in enumerate(SPECS.values())}
    first_of_group = {spec.group: order[spec.path] for spec in reversed(SPECS.values())}
    entities = {f"exchange.{kind}.{name}": i for kind in ("stages", "streams")
                for i, name in enumerate(scenario.names(f"exchange.{kind}"))}

    def position(path: str) -> tuple:
        """Registry order; a stage's or stream's keys together, stages and streams in file order."""
        spec = spec_for(path)
        if spec is None:
            return (len(order), 0, 0, path)
        if "*" in spec.group:
            entity = ".".join(path.split(".")[:3])
            return (first_of_group[spec.group], entities.get(entity, 0), order[spec.path], path)
        return (order[spec.path], 0, 0, path)

    rows = []
    for path in sorted(values, key=position):
        spec = spec_for(path)
        if spec is None:
            continue
        value = values[path]
        origin = scenario.origin(path)
        if origin is None:
            origin = f"default (seed figure '{spec.seed}')" if spec.seed else "default"
        row = _row(spec, path)
        if isinstance(value, bool):
            value = str(value).lower()  # as written in TOML
        elif isinstance(value, tuple):
            value = ", ".join(map(str, value)) or "none"
        text = " ".join(describe_value(value).split())  # a description's line breaks would break the table
        rows.append(ParameterRow(**{**row.__dict__, "value": text, "set_by": origin}))
    return rows


def list_parameters(scenario: "Scenario | None" = None, search: str | None = None) -> list[ParameterRow]:
    """Rows for every parameter (of the registry, or of `scenario`), those matching `search` only.

    What ``ijsim params`` shows. Without a scenario the rows are the registry's, with ``<name>``
    standing for any stage or stream; with one they are the scenario's settings and concrete
    parameters (each stage's and stream's included), with the value each takes and the file that
    set it.

    Parameters
    ----------
    scenario : Scenario, optional
        Whose parameters to list; by default every key a scenario file may hold.
    search : str, optional
        Keep the rows whose path, title, description or source contain it (case-insensitive).

    Returns
    -------
    list of ParameterRow
        Each with path, title, unit, allowed range, default and its source, description and, with
        a scenario, `value` and `set_by` (a file, ``'<overrides>'`` or the default).

    Examples
    --------
    >>> import simulator
    >>> row = simulator.list_parameters(search="realisation_rate")[0]
    >>> row.path, row.range
    ('investment.realisation_rate', '[0, 1]')
    >>> scenario = simulator.load_scenario("baseline").with_params({"investment.realisation_rate": 0.5})
    >>> mine = simulator.list_parameters(scenario, "realisation_rate")[0]
    >>> mine.value, mine.set_by
    ('0.5', '<overrides>')
    """
    rows = registry_rows() if scenario is None else scenario_rows(scenario)
    return [r for r in rows if search is None or r.matches(search)]
