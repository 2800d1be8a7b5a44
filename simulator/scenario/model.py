"""The validated, frozen scenario: what a run needs, and nothing that can still be wrong."""
from __future__ import annotations

import copy
import functools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    import numpy as np

    from simulator.scenario.event_definitions import Event

from simulator.errors import Problem, ScenarioError
from simulator.shipped import looks_like_a_path, shipped_scenario, shipped_scenarios
from simulator.scenario.loader import LoadedDocument, _record, display, load_document, merge
from simulator.scenario.parameters import GROUPS, SPECS, model_specs, spec_for
from simulator.scenario.checks import notes
from simulator.scenario.validate import check_document
from simulator.scenario.values import Distribution, Fixed, Path as ValuePath


@dataclass(frozen=True)
class Scenario:
    """A validated, frozen scenario: run settings and every model parameter, each a value, a
    distribution or a time path (`params`, keyed by dotted path as in the file).

    Made by :func:`load_scenario` (a file or a shipped name) or :func:`scenario_from_dict`; changed
    by :meth:`with_params` (a validated copy); saved by :meth:`to_toml`.

    Examples
    --------
    >>> from simulator import load_scenario
    >>> s = load_scenario("baseline")
    >>> s.with_params({"scenario.draws": 500}).draws
    500
    """

    name: str
    title: str
    description: str
    horizon_start: int
    horizon_years: int
    draws: int
    seed: int
    sampler: str
    block_size: int
    params: Mapping[str, Any]  # dotted path -> Fixed | Distribution | Path | str | int | dict | tuple
    document: Mapping[str, Any] = field(repr=False)  # merged TOML document (for overrides and manifests)
    path: Path | None = None
    files: tuple[Path, ...] = ()
    sha256: Mapping[str, str] = field(default_factory=dict, repr=False)
    explicit: frozenset[str] = frozenset()  # parameters set by a file (the rest are registry defaults)
    notes: tuple[Problem, ...] = ()  # allowed values that deserve a warning (checks.notes)
    origins: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)  # key -> file that set it

    def __repr__(self) -> str:
        """Short, as xarray's: the whole parameter set is `params` (or `ijsim params` on the command line)."""
        streams = len(self.names("exchange.streams"))
        last = self.horizon_start + self.horizon_years - 1
        return (f"<Scenario {self.name!r}: {self.horizon_start}-{last}, {self.draws:,} draws, "
                f"{len(self.params)} parameters, {streams} streams>")

    @functools.cached_property
    def derived(self) -> dict[str, Any]:
        """Values the core computes from the scenario alone (service and stay kernels), kept for the
        scenario's lifetime so that blocks of draws do not recompute them. Never pickled."""
        return {}

    @property
    def years(self) -> np.ndarray:
        import numpy as np  # here, not at the top: checking a file needs no numpy

        return np.arange(self.horizon_start, self.horizon_start + self.horizon_years)

    def uncertain(self) -> list[str]:
        """Parameters given as distributions of uncertainty (not person-to-person variation)."""
        return [k for k, v in self.params.items()
                if isinstance(v, Distribution) and spec_for(k).kind != "person_time"]

    def with_params(self, overrides: Mapping[str, Any]) -> "Scenario":
        """A copy with some keys changed, validated like a file: ``{"investment.realisation_rate": 0.5}``.

        Values take the same forms as in TOML (numbers, distribution or path tables, strings).
        """
        patch: dict = {}
        for dotted, value in overrides.items():
            node = patch
            *parents, last = dotted.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = value
        loaded = LoadedDocument(path=Path("<overrides>") if self.path is None else self.path,
                                doc=merge(copy.deepcopy(dict(self.document)), patch),
                                files=list(self.files), sha256=dict(self.sha256))
        loaded.origins = {**self.origins, **{k: "<overrides>" for k in overrides}}
        return _build(loaded)

    def __reduce__(self):
        # Travels to other processes (Dask workers) as its validated document, rebuilt on arrival:
        # the same document gives the same Scenario.
        return (_rebuild, (dict(self.document), self.path, self.files, dict(self.sha256), dict(self.origins)))

    @property
    def events(self) -> tuple["Event", ...]:
        """The scenario's [events.<name>] (validated when it was built), in file order."""
        from simulator.scenario.event_definitions import check_events

        return tuple(check_events(self.document, (self.horizon_start, self.horizon_start + self.horizon_years - 1))[0])

    def warnings(self) -> list[Problem]:
        """Settings that cannot change any output, and model blocks left at their neutral defaults
        (`ijsim validate` and `run` print them; `--strict` makes them errors). Empty if none."""
        from simulator.scenario.inert import scenario_warnings

        return list(self.notes) + scenario_warnings(self)

    def origin(self, path: str) -> str | None:
        """The file that set a key ('<overrides>' for `with_params`), or None for a registry default.
        One stage's pass rate (`...pass_rates.visa`) was set with its stream's table."""
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path.rpartition(".")[0]
        return None

    def to_toml(self, path: str | Path | None = None) -> str:
        """The scenario as a TOML file that stands on its own (its `extends` chain merged in), so a
        scenario changed with `with_params` can be saved, shared and run: `load_scenario(path)`
        gives the same parameters. Writes to `path` if given; returns the text either way."""
        from simulator.scenario.writer import document_to_toml

        made_from = ", ".join(self.sha256) or "Python"
        text = document_to_toml(self.document, header=f"Scenario '{self.name}' written by ijsim from {made_from}; "
                                                       "anything it extended is merged in.")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def names(self, collection: str) -> list[str]:
        """Names of the tables in a collection, in file order: ``names("exchange.streams")``."""
        return named_tables(self.document, collection)

    def resolved_parameters(self) -> dict[str, Any]:
        """Every model parameter with the value used and where that value comes from (for manifests)."""
        out = {}
        for path, value in self.params.items():
            spec = spec_for(path)
            origin = self.origin(path) or ("scenario" if path in self.explicit else
                                           f"seed figure '{spec.seed}'" if spec.seed else "default")
            out[path] = {"value": _plain(value), "unit": spec.unit, "from": origin,
                         "source": f"seeds/article_figures.toml: {spec.seed}" if spec.seed else spec.source}
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, (Fixed, Distribution, ValuePath)):
        return value.to_toml()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def named_tables(doc: Mapping[str, Any], collection: str) -> list[str]:
    node: Any = doc
    for part in collection.split("."):
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return [k for k, v in node.items() if isinstance(v, Mapping)] if isinstance(node, Mapping) else []


def _build(loaded: LoadedDocument) -> Scenario:
    values, problems = check_document(loaded)
    if problems:
        raise ScenarioError(problems)
    params: dict[str, Any] = {}
    for spec in model_specs():
        if spec.path in values:
            params[spec.path] = values[spec.path]
        else:
            default = spec.default_value()
            if default is None:
                continue
            params[spec.path] = Fixed(float(default)) if spec.kind == "number" else default
    for group, specs in GROUPS.items():
        if "*" not in group:
            continue
        container = group[:-2]
        for name in named_tables(loaded.doc, container):
            for spec in specs:
                path = f"{container}.{name}.{spec.key}"
                if path in values:
                    params[path] = values[path]
                elif spec.key == "title":
                    params[path] = name
                elif spec.default is not None:
                    numeric = spec.kind in ("number", "person_time")
                    params[path] = Fixed(float(spec.default)) if numeric else spec.default
    # Pass rates are drawn one stage at a time: flatten {stage: value} tables to one key per stage.
    for path in [p for p in params if spec_for(p) is not None and spec_for(p).kind == "rate_table"]:
        for stage, value in params.pop(path).items():
            params[f"{path}.{stage}"] = value
    if "investment.disbursement.midpoint_years" not in params:
        params["investment.disbursement.midpoint_years"] = Fixed(params["investment.pledge_years"] / 2)

    def setting(path: str) -> Any:
        return values.get(path, SPECS[path].default_value())

    if params.get("trade.start") == "history":
        from simulator.scenario.trade_start import resolve_start

        problems = resolve_start(loaded, params, setting("trade.base_year"), setting("scenario.horizon_start"),
                                 explicit=frozenset(values))
        if problems:
            raise ScenarioError(problems)
    name = values["scenario.name"]
    return Scenario(
        name=name, title=values.get("scenario.title", name), description=setting("scenario.description"),
        horizon_start=setting("scenario.horizon_start"), horizon_years=setting("scenario.horizon_years"),
        draws=setting("scenario.draws"), seed=setting("scenario.seed"), sampler=setting("sampling.method"),
        block_size=setting("sampling.block_size"), params=MappingProxyType(params),
        document=MappingProxyType(loaded.doc), path=loaded.path, files=tuple(loaded.files),
        sha256=MappingProxyType(dict(loaded.sha256)), explicit=frozenset(values),
        notes=tuple(Problem(loaded.origins.get(key, display(loaded.path)), key, message)
                    for key, message in notes(loaded, values)),
        origins=MappingProxyType(dict(loaded.origins)),
    )


def _rebuild(document: dict, path, files, sha256, origins=None) -> Scenario:
    loaded = LoadedDocument(path=path if path is not None else Path("<scenario>"), doc=copy.deepcopy(document),
                            files=list(files), sha256=dict(sha256), origins=dict(origins or {}))
    return replace(_build(loaded), path=path, files=tuple(files))


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (`extends`) and validate a scenario file, or a shipped scenario by name.

    Parameters
    ----------
    path : str or pathlib.Path
        A scenario file (TOML), or the name of a shipped scenario such as ``"baseline"`` (as on
        the command line, ``ijsim run baseline``); an existing file of that name comes first.

    Returns
    -------
    Scenario
        Validated and frozen, with `extends` resolved.

    Raises
    ------
    ScenarioError
        Listing every problem found in the file (and the files it extends), not only the first.

    Examples
    --------
    >>> from simulator import load_scenario
    >>> load_scenario("baseline").horizon_years
    10
    """
    if isinstance(path, str) and not os.path.lexists(path) and not looks_like_a_path(path):
        shipped = shipped_scenario(path)
        if shipped is None:
            names = ", ".join(p.stem for p in shipped_scenarios())
            raise ScenarioError([Problem(path, "", f"neither a file nor a shipped scenario; shipped: {names}")])
        path = shipped
    loaded, problems = load_document(path)
    if loaded is None:
        raise ScenarioError(problems)
    try:
        scenario = _build(loaded)
    except ScenarioError as exc:
        raise ScenarioError(problems + exc.problems) from None
    if problems:
        raise ScenarioError(problems)
    return scenario


def scenario_from_dict(doc: Mapping[str, Any], label: str = "<dict>") -> Scenario:
    """Build a scenario from a document already in memory (a notebook's dict), with the same checks.

    Parameters
    ----------
    doc : mapping
        The document as a TOML file would hold it: ``{"scenario": {"name": ...}, "investment":
        {...}, ...}``. Keys left out take the registry's defaults.
    label : str, default "<dict>"
        What error messages and the run's manifest call the document's origin.

    Returns
    -------
    Scenario
        Validated and frozen.

    Raises
    ------
    ScenarioError
        Listing every problem found in the document, not only the first.

    Examples
    --------
    >>> from simulator import scenario_from_dict
    >>> s = scenario_from_dict({"scenario": {"name": "small", "horizon_years": 5, "draws": 100}})
    >>> s
    <Scenario 'small': 2025-2029, 100 draws, ... parameters, 0 streams>
    >>> s.origin("scenario.draws")
    '<dict>'
    >>> scenario_from_dict({"scenario": {"name": "bad", "draws": -1}})
    Traceback (most recent call last):
    ...
    simulator.errors.ScenarioError: <dict>: scenario.draws: -1 is out of range; allowed [1, 10000000]
    1 problem found
    """
    loaded = LoadedDocument(path=Path(label), doc=copy.deepcopy(dict(doc)))
    _record(loaded.doc, "", label, loaded.origins)
    return _build(loaded)


__all__ = ["Scenario", "load_scenario", "scenario_from_dict", "Problem"]
