"""The three forms a model parameter can take in a scenario file, and how each is checked.

* a number: ``realisation_rate = 0.7``
* a distribution: ``realisation_rate = { dist = "pert", min = 0.3, mode = 0.8, max = 1.0 }``
* a path over calendar years (time-varying parameters only):
  ``fx_jpy_per_usd = { 2025 = 147, 2030 = 130, interpolation = "linear" }``

Parsing never raises on bad input: it returns the value (or ``None``) and a list of messages, so
the validator can report every problem of a file at once.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# numpy, scipy and the compiled inverse CDFs are imported when a distribution is first sampled, not when a
# file is checked: `ijsim validate` answers without them.
_BUILDING = threading.Lock()

# family -> (required keys, optional keys with defaults)
DIST_FAMILIES: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    "normal": (("mean", "sd"), {}),
    "exponential": (("mean",), {}),
    "truncnormal": (("mean", "sd", "min", "max"), {}),
    "lognormal": (("median", "sigma"), {}),
    "uniform": (("min", "max"), {}),
    "triangular": (("min", "mode", "max"), {}),
    "pert": (("min", "mode", "max"), {"lambda": 4.0}),
    "beta": (("alpha", "beta"), {"min": 0.0, "max": 1.0}),
}
INTERPOLATIONS = ("step", "linear")


def is_number(x: Any) -> bool:
    # TOML booleans are Python bools, which are ints: a `true` where a number belongs is a mistake.
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def describe_type(x: Any) -> str:
    return {bool: "a boolean", str: "a string", list: "an array", dict: "a table"}.get(
        type(x), "a number" if is_number(x) else type(x).__name__)


@dataclass(frozen=True)
class Fixed:
    value: float

    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def mean(self) -> float:
        return self.value

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """A point mass: everyone takes exactly `value`."""
        import numpy as np

        return (np.asarray(x) >= self.value).astype(float)

    def sample(self, rng: np.random.Generator, size=None):
        import numpy as np

        return np.full(size, self.value) if size is not None else self.value

    def to_toml(self) -> float:
        return self.value


@dataclass(frozen=True)
class Distribution:
    family: str
    params: tuple[tuple[str, float], ...]

    def _built(self) -> tuple[Any, Any]:
        """(scipy distribution, fast F^-1 from `inverse_cdf`), made on first use, once even when
        threads ask at the same time."""
        built = self.__dict__.get("_built_")
        if built is None:
            with _BUILDING:
                built = self.__dict__.get("_built_")
                if built is None:
                    from .inverse_cdf import inverse_cdf

                    params = dict(self.params)
                    frozen = _scipy_distribution(self.family, params)
                    built = (frozen, inverse_cdf(self.family, params, frozen))
                    self.__dict__["_built_"] = built  # a cache, not state: equality ignores it
        return built

    @property
    def frozen(self):
        return self._built()[0]

    @property
    def inverse(self):
        return self._built()[1]

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: maps uniforms in (0, 1) to draws, so any sampler (MC, LHS, Sobol) can feed it.
        Closed forms or checked tables (`inverse_cdf`), within 1e-10 of the spread of scipy's ppf."""
        return self.frozen.ppf(u) if self.inverse is None else self.inverse(u)

    def support(self) -> tuple[float, float]:
        """The values it can take, from its parameters alone (validation needs no scipy)."""
        p = dict(self.params)
        if self.family == "normal":
            return -math.inf, math.inf
        if self.family in ("exponential", "lognormal"):
            return 0.0, math.inf
        return p["min"], p["max"]  # truncnormal, uniform, triangular, pert, beta

    def mean(self) -> float:
        return float(self.frozen.mean())

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return self.frozen.cdf(x)

    def sample(self, rng: np.random.Generator, size=None):
        return self.frozen.ppf(rng.random(size))

    def to_toml(self) -> dict:
        return {"dist": self.family, **dict(self.params)}


@dataclass(frozen=True)
class Path:
    points: tuple[tuple[int, float], ...]
    interpolation: str = "step"

    def at(self, years: np.ndarray) -> np.ndarray:
        """Value in each year: before the first point the first value holds, after the last the last."""
        import numpy as np

        xs = np.array([y for y, _ in self.points], dtype=float)
        ys = np.array([v for _, v in self.points], dtype=float)
        years = np.asarray(years, dtype=float)
        if self.interpolation == "linear":
            return np.interp(years, xs, ys)
        idx = np.searchsorted(xs, years, side="right") - 1
        return ys[np.clip(idx, 0, len(ys) - 1)]

    def support(self) -> tuple[float, float]:
        values = [v for _, v in self.points]
        return (min(values), max(values))

    def to_toml(self) -> dict:
        return {**{str(y): v for y, v in self.points}, "interpolation": self.interpolation}


ParamValue = Fixed | Distribution | Path


def _check(family: str, p: dict[str, float]) -> list[str]:
    """What is wrong with a distribution's parameters, if anything."""
    errs: list[str] = []
    if family == "exponential" and p["mean"] <= 0:
        errs.append(f"mean must be > 0, got {p['mean']}")
    if family in ("normal", "truncnormal") and p["sd"] <= 0:
        errs.append(f"sd must be > 0, got {p['sd']}")
    if family == "lognormal":
        if p["median"] <= 0:
            errs.append(f"median must be > 0, got {p['median']}")
        if p["sigma"] <= 0:
            errs.append(f"sigma must be > 0, got {p['sigma']}")
    if family in ("truncnormal", "uniform", "triangular", "pert", "beta") and not p["min"] < p["max"]:
        errs.append(f"min must be < max, got min = {p['min']}, max = {p['max']}")
    if family in ("triangular", "pert") and not p["min"] <= p["mode"] <= p["max"]:
        errs.append(f"mode must lie between min and max, got {p['mode']} outside [{p['min']}, {p['max']}]")
    if family == "pert" and p["lambda"] <= 0:
        errs.append(f"lambda must be > 0, got {p['lambda']}")
    if family == "beta" and (p["alpha"] <= 0 or p["beta"] <= 0):
        errs.append(f"alpha and beta must be > 0, got alpha = {p['alpha']}, beta = {p['beta']}")
    return errs


def _scipy_distribution(family: str, p: dict[str, float]) -> Any:
    """The scipy distribution of parameters that passed `_check`."""
    from scipy import stats

    if family == "normal":
        return stats.norm(p["mean"], p["sd"])
    if family == "exponential":
        return stats.expon(scale=p["mean"])
    if family == "truncnormal":
        a, b = (p["min"] - p["mean"]) / p["sd"], (p["max"] - p["mean"]) / p["sd"]
        return stats.truncnorm(a, b, loc=p["mean"], scale=p["sd"])
    if family == "lognormal":
        return stats.lognorm(s=p["sigma"], scale=p["median"])
    if family == "uniform":
        return stats.uniform(p["min"], p["max"] - p["min"])
    width = p["max"] - p["min"]
    if family == "triangular":
        return stats.triang((p["mode"] - p["min"]) / width, loc=p["min"], scale=width)
    if family == "pert":
        # Beta-PERT (Vose 2008, "Risk Analysis: A Quantitative Guide", 3rd ed.): shape from mode and lambda.
        lam = p["lambda"]
        a = 1 + lam * (p["mode"] - p["min"]) / width
        b = 1 + lam * (p["max"] - p["mode"]) / width
        return stats.beta(a, b, loc=p["min"], scale=width)
    return stats.beta(p["alpha"], p["beta"], loc=p["min"], scale=width)


def parse_distribution(raw: dict) -> tuple[Distribution | None, list[str]]:
    family = raw.get("dist")
    if not isinstance(family, str) or family not in DIST_FAMILIES:
        return None, [f"unknown distribution {family!r}; allowed: {', '.join(DIST_FAMILIES)}"]
    required, optional = DIST_FAMILIES[family]
    allowed = set(required) | set(optional) | {"dist"}
    errs = [f"'{k}' is not a parameter of the {family} distribution; it takes "
            f"{', '.join(required + tuple(optional))}" for k in raw if k not in allowed]
    errs += [f"the {family} distribution needs '{k}'" for k in required if k not in raw]
    params: dict[str, float] = dict(optional)
    for k, v in raw.items():
        if k == "dist" or k not in allowed:
            continue
        if not is_number(v) or not math.isfinite(v):
            errs.append(f"'{k}' must be a finite number, got {v!r}")
        else:
            params[k] = float(v)
    if errs:
        return None, errs
    errs = _check(family, params)
    if errs:
        return None, [f"{family} distribution: {e}" for e in errs]
    ordered = tuple((k, params[k]) for k in required + tuple(optional))
    return Distribution(family, ordered), []


def parse_path(raw: dict) -> tuple[Path | None, list[str]]:
    errs: list[str] = []
    interpolation = raw.get("interpolation", "step")
    if interpolation not in INTERPOLATIONS:
        errs.append(f"interpolation must be one of {', '.join(INTERPOLATIONS)}, got {interpolation!r}")
    points: list[tuple[int, float]] = []
    for k, v in raw.items():
        if k == "interpolation":
            continue
        if not (k.isdigit() and len(k) == 4):
            errs.append(f"path keys are four-digit years (or 'interpolation'), got {k!r}")
        elif not is_number(v) or not math.isfinite(v):
            errs.append(f"value for {k} must be a finite number, got {describe_type(v)} {v!r}")
        else:
            points.append((int(k), float(v)))
    if not points and not errs:
        errs.append("a path needs at least one year, e.g. { 2025 = 0.5, 2028 = 0.25 }")
    if errs:
        return None, errs
    return Path(tuple(sorted(points)), interpolation), []
