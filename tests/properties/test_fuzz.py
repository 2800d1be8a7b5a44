"""Fuzzing the scenario loader through the command line.

Hypothesis builds scenario documents, valid ones and mutated ones (wrong types, missing or extra
tables and keys, extreme numbers, NaN and infinities, empty and unicode strings, deep nesting,
huge arrays, broken bytes), writes them as files and runs `validate` and `run`. It also generates
what hostile files hold (issue 14): integers of hundreds of digits and of more than the TOML
parser takes, nesting hundreds deep, years in superscript or full-width digits, control characters
in names and keys, distributions with extreme parameters, and `extends` pointing at /dev/zero, a
FIFO, a loop of symbolic links, a folder or a chain of forty files.

Every outcome must be a valid run (exit 0) with finite numbers in every file, or exit 2 with every
message naming a file and nothing written; never a traceback, never exit 1. Each example runs in a
folder of its own, so "nothing written" is checked against what that example did (issue 20).
`make test` runs the "ci" profile; `make fuzz` runs the "fuzz" profile (many more examples).
"""
import copy
import os
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.montecarlo.inputs import flatten_inputs

from tests.conftest import SCENARIOS

with open(SCENARIOS / "baseline.toml", "rb") as fh:
    BASE = tomllib.load(fh)

odd_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Lu", "Nd", "No"]), max_size=12)
extreme_floats = st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, 1e30, 1e15, 0.0])
huge_integers = st.one_of(st.integers(min_value=2**63, max_value=10**400), st.integers(max_value=-2**63,
                                                                                        min_value=-10**400))
unicode_years = st.text(alphabet="0123456789²³¹⁰٠١٢٣٤٥０１２３４５𝟐𝟎", min_size=4, max_size=4)
distributions = st.builds(
    lambda family, values: {"dist": family, **dict(zip(("mean", "sd", "median", "sigma", "min", "mode", "max",
                                                         "alpha", "beta", "lambda"), values))},
    st.sampled_from(["normal", "exponential", "truncnormal", "lognormal", "uniform", "triangular", "pert", "beta"]),
    st.lists(st.one_of(extreme_floats, st.floats(-10, 10)), min_size=10, max_size=10))

leaf_values = st.one_of(
    st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=20), st.just(""), st.just("ü日本\u202e"), odd_text,
    st.lists(st.integers(-5, 5), max_size=3), st.just(list(range(20_000))),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.just({"dist": "normal", "mean": 1.0, "sd": -1.0}), st.just({"dist": "pert", "min": 0.0, "mode": 0.5, "max": 1.0}),
    st.just({"2025": 1.0, "2030": float("nan")}), st.just({"2025": 0.5}),
    huge_integers, extreme_floats, distributions,
    st.dictionaries(unicode_years, st.floats(0, 1000), min_size=1, max_size=2),
)
SPECIAL_PARENTS = ["/dev/zero", "fifo", "loop", "folder", "missing.toml", "fuzz.toml", "chain0.toml", "nul\0.toml"]
RAW_SUFFIXES = ["", "", "", "big = " + "9" * 5000, "deep = " + "{a = " * 500 + "1" + " }" * 500,
                "deeper = " + "[" * 3000 + "]" * 3000, "[" + ".".join(["t"] * 200) + "]\nz = 1",
                "[investment]\nfx_jpy_per_usd = { \"²⁰²⁵\" = 140 }"]


def _paths(doc, prefix=()):
    for key, value in doc.items():
        yield prefix + (key,)
        if isinstance(value, dict):
            yield from _paths(value, prefix + (key,))


PATHS = list(_paths(BASE))


def _deep(depth: int):
    node = {"x": 1}
    for _ in range(depth):
        node = {"n": node}
    return node


@st.composite
def mutated_documents(draw):
    doc = copy.deepcopy(BASE)
    doc["scenario"].pop("extends", None)
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(PATHS))
        parent = doc
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
            if not isinstance(parent, dict):
                break
        if not isinstance(parent, dict):
            continue
        action = draw(st.sampled_from(["set", "set", "delete", "add", "deep", "name", "extends"]))
        if action == "set":  # a copy: st.just() gives the same object every time, and it may be mutated later
            parent[path[-1]] = copy.deepcopy(draw(leaf_values))
        elif action == "delete":
            parent.pop(path[-1], None)
        elif action == "add":
            parent[draw(st.one_of(st.text(min_size=1, max_size=12), odd_text.filter(bool)))] = \
                copy.deepcopy(draw(leaf_values))
        elif action == "deep":
            parent[path[-1]] = _deep(draw(st.integers(1, 60)))  # deeper in RAW_SUFFIXES: tomli_w recurses
        elif action == "name":  # names of the scenario, a stage or a stream with control characters
            odd = draw(odd_text)
            table = draw(st.sampled_from([("scenario",), ("exchange", "stages"), ("exchange", "streams")]))
            node = doc
            for key in table:
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict) and table == ("scenario",):
                node["name"] = "x" + odd
            elif isinstance(node, dict) and node:
                node["y" + odd] = node.pop(next(iter(node)))
        elif isinstance(doc.get("scenario"), dict):
            doc["scenario"]["extends"] = draw(st.sampled_from(SPECIAL_PARENTS))
    return doc, draw(st.sampled_from(RAW_SUFFIXES))


def _special_files(folder: Path) -> None:
    os.mkfifo(folder / "fifo")
    os.symlink("loop2", folder / "loop")
    os.symlink("loop", folder / "loop2")
    (folder / "folder").mkdir()
    for i in range(40):
        (folder / f"chain{i}.toml").write_text(f'[scenario]\nname = "c{i}"\nextends = "chain{i + 1}.toml"\n')
    (folder / "chain40.toml").write_text('[scenario]\nname = "end"\n')


def _check(code: int, err: str, names: list[str]) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "not finite" not in err, err  # the limits, not the final check, must keep results finite
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and all(line.startswith(tuple(names)) or "problem" in line or line.startswith("warning: ")
                             for line in lines), err


def _assert_finite(folder: Path) -> None:
    summary = pd.read_csv(folder / "summary.csv")
    assert np.isfinite(summary.select_dtypes("number").to_numpy()).all()
    with xr.open_dataset(folder / "ensemble.nc") as ds:
        # the outputs, and the inputs as sampled (a shock series is NaN, by design, in years without a shock)
        arrays = {str(k): v.values for k, v in ds.data_vars.items() if not str(k).startswith("input.")}
        for name, values in {**arrays, **flatten_inputs(ds)}.items():
            assert np.isfinite(values).all(), name


FUZZ_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
                         deadline=None)


@FUZZ_SETTINGS
@given(mutated_documents())
def test_mutated_documents_run_or_fail_cleanly(cli, tmp_path, case):
    doc, suffix = case
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh folder for each example
    _special_files(folder)
    path = folder / "fuzz.toml"
    path.write_text(tomli_w.dumps(doc) + "\n" + suffix + "\n", encoding="utf-8")
    names = [f"{folder.name}/{p.name}" for p in folder.iterdir()] + ["/dev/zero"]
    before = sorted(os.listdir(folder))
    code, _, err = cli("validate", path)
    _check(code, err, names)
    code, _, err = cli("run", path, "--draws", "3", "--no-plots", "--quiet", "--out", folder / "out")
    _check(code, err, names)
    if code == 0:
        _assert_finite(folder / "out")
        assert sorted(os.listdir(folder)) == sorted(before + ["out"])
    else:
        assert sorted(os.listdir(folder)) == before  # a failed run writes nothing at all


@FUZZ_SETTINGS
@given(st.binary(max_size=200), st.integers(0, 2000))
def test_corrupted_bytes_fail_cleanly(cli, tmp_path, junk, at):
    text = (SCENARIOS / "baseline.toml").read_bytes()
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "bytes.toml"
    path.write_bytes(text[:at] + junk + text[at:])
    code, _, err = cli("validate", path)
    _check(code, err, [f"{path.parent.name}/bytes.toml"])


# History folders (issue 33): `history`, `calibrate` and `backtest` take --history PATH, a folder or one
# CSV; every file in it can be a loop of symbolic links, a FIFO, a device, a folder or broken bytes.
HISTORY = SCENARIOS.parent / "seeds" / "history"
HISTORY_VERBS = [("history",), ("calibrate", "--draws", "100"), ("backtest", "baseline", "--draws", "100")]
SPECIAL_ENTRIES = ["loop", "fifo", "/dev/zero", "folder", "bom", "junk"]


def _history_folder(folder: Path, replace: dict[str, str], junk: bytes) -> None:
    import shutil

    shutil.copytree(HISTORY, folder)
    for name, what in replace.items():
        path = folder / name
        path.unlink()
        if what == "loop":
            os.symlink(name, path)
        elif what == "fifo":
            os.mkfifo(path)
        elif what == "/dev/zero":
            os.symlink("/dev/zero", path)
        elif what == "folder":
            path.mkdir()
        elif what == "bom":
            path.write_bytes(b"\xef\xbb\xbf" + (HISTORY / name).read_bytes())
        else:
            path.write_bytes((HISTORY / name).read_bytes()[: len(junk)] + junk)


@FUZZ_SETTINGS
@given(st.sampled_from(HISTORY_VERBS), st.sampled_from(["folder", "loop", "fifo", "/dev/zero", "csv"]),
       st.dictionaries(st.sampled_from(sorted(p.name for p in HISTORY.iterdir())), st.sampled_from(SPECIAL_ENTRIES),
                       max_size=3),
       st.binary(max_size=60))
def test_hostile_history_folders_fail_cleanly(cli, tmp_path, verb, shape, replace, junk):
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    folder = work / "h"
    _history_folder(folder, replace, junk)
    target = {"folder": folder, "csv": folder / "jpy_per_usd.csv", "loop": work / "loop", "fifo": work / "fifo",
              "/dev/zero": Path("/dev/zero")}[shape]
    os.symlink("loop", work / "loop")
    os.mkfifo(work / "fifo")
    before = sorted(os.listdir(work))
    code, _, err = cli(*verb, "--history", target, *(["--out", work / "out"] if verb[0] != "history" else []))
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert sorted(os.listdir(work)) == before  # nothing written
