"""Fuzzing the scenario loader through the command line.

Hypothesis builds scenario documents, valid ones and mutated ones (wrong types, missing or extra
tables and keys, extreme numbers, NaN and infinities, empty and unicode strings, deep nesting,
huge arrays, broken bytes), writes them as files and runs `validate` and `run`. Every outcome must
be a valid run (exit 0) or exit 2 with every message naming the file; never a traceback, never
exit 1. `make test` runs the "ci" profile; `make fuzz` runs the "fuzz" profile (many more examples).
"""
import tomllib

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


from .conftest import SCENARIOS

with open(SCENARIOS / "baseline.toml", "rb") as fh:
    BASE = tomllib.load(fh)

leaf_values = st.one_of(
    st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=20), st.just(""), st.just("ü日本\u202e"),
    st.lists(st.integers(-5, 5), max_size=3), st.just(list(range(20_000))),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.just({"dist": "normal", "mean": 1.0, "sd": -1.0}), st.just({"dist": "pert", "min": 0.0, "mode": 0.5, "max": 1.0}),
    st.just({"2025": 1.0, "2030": float("nan")}), st.just({"2025": 0.5}),
)


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
    import copy
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
        action = draw(st.sampled_from(["set", "delete", "add", "deep"]))
        if action == "set":
            parent[path[-1]] = draw(leaf_values)
        elif action == "delete":
            parent.pop(path[-1], None)
        elif action == "add":
            parent[draw(st.text(min_size=1, max_size=12))] = draw(leaf_values)
        else:
            parent[path[-1]] = _deep(draw(st.integers(1, 60)))
    return doc


def _check(code: int, err: str, name: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and all(line.startswith(name) or "problem" in line for line in lines), err


FUZZ_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
                         deadline=None)


@FUZZ_SETTINGS
@given(mutated_documents())
def test_mutated_documents_run_or_fail_cleanly(cli, tmp_path, doc):
    path = tmp_path / "fuzz.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = cli("validate", path)
    _check(code, err, "fuzz.toml")
    code, _, err = cli("run", path, "--draws", "3", "--no-plots", "--quiet", "--out", out, "--force")
    _check(code, err, "fuzz.toml")
    if code == 2:
        assert not out.exists() or (out / "manifest.json").exists()  # a failed run writes nothing new


@FUZZ_SETTINGS
@given(st.binary(max_size=200), st.integers(0, 2000))
def test_corrupted_bytes_fail_cleanly(cli, tmp_path, junk, at):
    text = (SCENARIOS / "baseline.toml").read_bytes()
    path = tmp_path / "bytes.toml"
    path.write_bytes(text[:at] + junk + text[at:])
    code, _, err = cli("validate", path)
    _check(code, err, "bytes.toml")
