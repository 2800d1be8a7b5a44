"""Seeded regression values: the baseline's headline numbers and probabilities, pinned in baseline.json.

What is pinned: for every output variable without a third dimension (investment, trade, the
exchange, remittances) its mean, 5th, 50th and 95th percentile in a few years, and every headline
probability, from the baseline scenario at a fixed seed and number of draws. The check is the SALib
one, at two tolerances: bit-identical (rtol 0) on the platform that wrote the file (recorded in it:
machine, Python, numpy, scipy, numba), and rtol 1e-6 anywhere else, where another libm or BLAS may
move the last digits.

When the model changes on purpose, rewrite the file and read what moved:

    python -m tests.regression refresh      (or: make regression-refresh)

`python -m tests.regression check` prints the same differences without writing anything.
"""
from __future__ import annotations

import json
import os
import platform
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILE = Path(__file__).with_name("baseline.json")
SCENARIO = ROOT / "scenarios" / "baseline.toml"
DRAWS = 1000
SEED = 20251125
BLOCK_SIZE = 250  # four blocks: the pinned numbers also cover assembling blocks in order
YEARS = (2025, 2027, 2030, 2034)
STATISTICS = ("mean", "p05", "p50", "p95")
LOOSE_RTOL = 1e-6
LOOSE_ATOL = 1e-9  # for values that are exactly 0 in the baseline (no diversion, no backlog)


def fingerprint() -> dict[str, str]:
    """What decides whether the last bit of a float can differ: the machine, the numeric stack, and
    which of numpy's SIMD kernels this processor runs (numpy picks AVX2 or AVX-512 loops at run time;
    the same versions on x86_64 moved 27 of the 308 values by up to 1.4e-15 between two processors)."""
    import numpy as np

    out = {"machine": platform.machine(), "system": platform.system(), "python": platform.python_version()}
    out.update({pkg: version(pkg) for pkg in ("numpy", "scipy", "numba", "pandas", "xarray")})
    simd = np.__config__.CONFIG.get("SIMD Extensions", {}) if hasattr(np, "__config__") else {}
    out["numpy_simd"] = ",".join(simd.get("found", [])) or "unknown"
    return out


def compute() -> dict[str, float]:
    """The pinned numbers, keyed "variable|year|statistic" and "probability|event|year"."""
    import simulator
    from simulator.montecarlo import engine

    scenario = simulator.load_scenario(SCENARIO)
    result = engine.run(scenario, draws=DRAWS, seed=SEED, block_size=BLOCK_SIZE)
    summary = result.summary().set_index(["variable", "year"])
    values = {}
    for name in result.variables:
        if result[name].ndim != 2:  # sector, stream and stage splits: their totals are pinned
            continue
        for year in YEARS:
            for stat in STATISTICS:
                values[f"{name}|{year}|{stat}"] = float(summary.loc[(name, year), stat])
    for row in result.events().itertuples():  # the scenario's [events] (issue 17)
        values[f"probability|{row.event}|{row.year}"] = float(row.probability)
    return values


def load(path: Path = FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def document(values: dict[str, float]) -> dict:
    return {"about": "Seeded regression values; refresh with `python -m tests.regression refresh` "
                     "(docs/testing.md). Floats are stored with repr, which round-trips exactly.",
            "scenario": SCENARIO.relative_to(ROOT).as_posix(), "draws": DRAWS, "seed": SEED,
            "block_size": BLOCK_SIZE, "years": list(YEARS), "platform": fingerprint(),
            "values": dict(sorted(values.items()))}


def write(doc: dict, path: Path = FILE) -> None:
    """Atomic: a refresh interrupted half-way leaves the earlier file."""
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, path)


def differences(old: dict[str, float], new: dict[str, float]) -> list[str]:
    """One line per value that moved, appeared or disappeared, largest relative move first."""
    lines = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None:
            lines.append((float("inf"), f"+ {key}: {b!r} (new)"))
        elif b is None:
            lines.append((float("inf"), f"- {key}: {a!r} (gone)"))
        elif a != b:
            rel = abs(b - a) / max(abs(a), 1e-300)
            lines.append((rel, f"~ {key}: {a!r} -> {b!r} (relative change {rel:.3g})"))
    return [text for _, text in sorted(lines, key=lambda x: -x[0])]
