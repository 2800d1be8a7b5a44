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
import re
import statistics
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# numpy, scipy.special and the compiled inverse CDFs are imported when a distribution is first sampled, not when a
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
# The smallest and largest uniforms the samplers produce (their clip, simulator.montecarlo.sampling._EPS): a
# distribution's draws range from ppf(EXTREME_U) to ppf(1 - EXTREME_U), never beyond.
EXTREME_U = 2.0 ** -53
# Distribution parameters beyond this overflow scipy's set-up (min - max, mode - min) long before any
# parameter's own range is checked; every real parameter range lies far inside it.
MAX_PARAMETER = 1e15
# Beta shapes outside this range make scipy's (boost's) incomplete beta overflow when the inverse CDF
# is tabulated (alpha = 0.01 with beta = 1 does, found by the fuzzer); the range was probed on a grid
# of shapes from 1e-8 to 1e6, and every pair inside it computes.
BETA_SHAPES = (0.05, 1e4)
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() also accepts '²' and '２'
_Z_EXTREME = statistics.NormalDist().inv_cdf(EXTREME_U)  # about -8.2: the most extreme standard normal draw


def is_number(x: Any) -> bool:
    # TOML booleans are Python bools, which are ints: a `true` where a number belongs is a mistake.
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def finite_number(x: Any) -> bool:
    """A number that floats can hold: TOML integers can have hundreds of digits (math.isfinite raises)."""
    if not is_number(x):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def show(x: Any, limit: int = 40) -> str:
    """A value from a file as a message shows it: a huge integer by its size, long text cut short."""
    if is_number(x) and isinstance(x, int) and abs(x) >= 10**18:
        try:
            return f"an integer of {len(str(abs(x)))} digits"
        except ValueError:  # beyond sys.get_int_max_str_digits() (a document built in Python)
            return f"an integer of about {int(x.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(x)
    except ValueError:  # an integer inside beyond sys.get_int_max_str_digits() (a document built in Python)
        return describe_type(x)
    return text if len(text) <= limit else text[:limit] + "…"


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
        """(distribution from `families`, fast F^-1 from `inverse_cdf`), made on first use, once even when
        threads ask at the same time."""
        built = self.__dict__.get("_built_")
        if built is None:
            with _BUILDING:
                built = self.__dict__.get("_built_")
                if built is None:
                    from simulator.scenario.families import distribution
                    from simulator.scenario.inverse_cdf import inverse_cdf

                    params = dict(self.params)
                    frozen = distribution(self.family, params)
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

    def extremes(self) -> tuple[float, float]:
        """The smallest and largest draws any sampler can give, ppf(EXTREME_U) and ppf(1 - EXTREME_U),
        in closed form for the unbounded families and as the support for the bounded ones (the
        support's ends are never exceeded): validation needs no scipy. May return inf on overflow."""
        p = dict(self.params)
        try:
            if self.family == "normal":
                return p["mean"] + _Z_EXTREME * p["sd"], p["mean"] - _Z_EXTREME * p["sd"]
            if self.family == "lognormal":
                return (p["median"] * math.exp(_Z_EXTREME * p["sigma"]),
                        p["median"] * math.exp(-_Z_EXTREME * p["sigma"]))
            if self.family == "exponential":
                return -p["mean"] * math.log1p(-EXTREME_U), -p["mean"] * math.log(EXTREME_U)
        except OverflowError:
            return -math.inf, math.inf
        return self.support()

    def closed_form_mean(self) -> float:
        """The mean without scipy (inf where it overflows); truncnormal by the standard formula."""
        p = dict(self.params)
        try:
            if self.family in ("normal", "exponential"):
                return p["mean"]
            if self.family == "lognormal":
                return p["median"] * math.exp(p["sigma"] ** 2 / 2)
            if self.family == "uniform":
                return (p["min"] + p["max"]) / 2
            if self.family == "triangular":
                return (p["min"] + p["mode"] + p["max"]) / 3
            if self.family == "pert":
                return (p["min"] + p["lambda"] * p["mode"] + p["max"]) / (p["lambda"] + 2)
            if self.family == "beta":
                return p["min"] + (p["max"] - p["min"]) * p["alpha"] / (p["alpha"] + p["beta"])
            a, b = (p["min"] - p["mean"]) / p["sd"], (p["max"] - p["mean"]) / p["sd"]
            # Phi by erfc (NormalDist.cdf uses erf, which loses the digits of a tail); in the upper
            # tail the mirror image keeps them.
            cdf = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
            pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
            mass = cdf(-a) - cdf(-b) if a > 0 else cdf(b) - cdf(a)
            if mass <= 0:  # both bounds far in one tail: the mass sits at the nearer bound
                return p["min"] if a > 0 else p["max"]
            return min(max(p["mean"] + p["sd"] * (pdf(a) - pdf(b)) / mass, p["min"]), p["max"])
        except OverflowError:
            return math.inf

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
    if family == "pert" and not 0 < p["lambda"] <= BETA_SHAPES[1]:
        errs.append(f"lambda must lie in (0, {BETA_SHAPES[1]:g}], got {p['lambda']:g}")
    if family == "beta" and not all(BETA_SHAPES[0] <= p[k] <= BETA_SHAPES[1] for k in ("alpha", "beta")):
        errs.append(f"alpha and beta must lie in [{BETA_SHAPES[0]:g}, {BETA_SHAPES[1]:g}], got alpha = "
                    f"{p['alpha']:g}, beta = {p['beta']:g}: shapes beyond are too extreme to compute with")
    return errs


def parse_distribution(raw: dict, allowed_values: str = "") -> tuple[Distribution | None, list[str]]:
    """`allowed_values` ends the message about a parameter too large to handle: the key's own range."""
    family = raw.get("dist")
    if not isinstance(family, str) or family not in DIST_FAMILIES:
        return None, [f"unknown distribution {show(family)}; allowed: {', '.join(DIST_FAMILIES)}"]
    required, optional = DIST_FAMILIES[family]
    allowed = set(required) | set(optional) | {"dist"}
    errs = [f"{show(k)} is not a parameter of the {family} distribution; it takes "
            f"{', '.join(required + tuple(optional))}" for k in raw if k not in allowed]
    errs += [f"the {family} distribution needs '{k}'" for k in required if k not in raw]
    params: dict[str, float] = dict(optional)
    for k, v in raw.items():
        if k == "dist" or k not in allowed:
            continue
        if not finite_number(v):
            errs.append(f"'{k}' must be a finite number, got {show(v)}")
        elif abs(v) > MAX_PARAMETER:
            errs.append(f"'{k}' is {show(v)}; distribution parameters must lie within ±{MAX_PARAMETER:g}"
                        f"{allowed_values}")
        else:
            params[k] = float(v)
    if errs:
        return None, errs
    errs = _check(family, params)
    if errs:
        return None, [f"{family} distribution: {e}" for e in errs]
    ordered = tuple((k, params[k]) for k in required + tuple(optional))
    value = Distribution(family, ordered)
    low, high = value.extremes()
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(value.closed_form_mean())):
        return None, [f"{family} distribution: these parameters are too extreme to compute with "
                      "(its most extreme draws or its mean are not finite numbers); choose less extreme ones"]
    return value, []


def parse_path(raw: dict) -> tuple[Path | None, list[str]]:
    errs: list[str] = []
    interpolation = raw.get("interpolation", "step")
    if interpolation not in INTERPOLATIONS:
        errs.append(f"interpolation must be one of {', '.join(INTERPOLATIONS)}, got {show(interpolation)}")
    points: list[tuple[int, float]] = []
    for k, v in raw.items():
        if k == "interpolation":
            continue
        if not _YEAR.fullmatch(k):
            errs.append(f"path keys are four-digit years in ASCII digits (or 'interpolation'), got {show(k)}")
        elif not finite_number(v):
            errs.append(f"value for {k} must be a finite number, got {describe_type(v)} {show(v)}")
        else:
            points.append((int(k), float(v)))
    if not points and not errs:
        errs.append("a path needs at least one year, e.g. { 2025 = 0.5, 2028 = 0.25 }")
    if errs:
        return None, errs
    return Path(tuple(sorted(points)), interpolation), []
