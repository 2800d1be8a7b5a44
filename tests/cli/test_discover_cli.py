"""`ijsim discover` on a real run: files, the sentence, held-out numbers, and refusals."""
import json
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import main

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("disc") / "base"
    assert main(["run", str(SCENARIOS / "baseline.toml"), "--draws", "2000", "--no-plots", "--quiet",
                 "--out", str(out)]) == 0
    return out


def test_discover_writes_the_box_the_plots_and_a_sentence_naming_the_inputs(run_dir, cli, tmp_path):
    code, out, err = cli("discover", run_dir, "--event", "deficit_narrower_2030", "--out", "d", "--bootstrap", "5")
    assert code == 0, err
    folder = tmp_path / "d"
    for name in ("boxes.csv", "dropped.csv", "tradeoff.csv", "scores.csv", "stability.csv", "summary.txt", "manifest.json",
                 "plots/tradeoff.png", "plots/box.png"):
        assert (folder / name).is_file(), name
    assert not list((folder / "plots").glob("*.svg"))  # PNG only unless --svg
    boxes = pd.read_csv(folder / "boxes.csv", index_col="input")
    assert list(boxes.columns) == ["label", "unit", "low", "high", "quasi_p_low", "quasi_p_high", "held_out_p_low",
                                   "held_out_p_high", "bootstrap_share", "feature_score"]
    assert len(boxes) >= 1
    stability = pd.read_csv(folder / "stability.csv", index_col="input")
    assert set(boxes.index) <= set(stability.index) and stability["restricted_share"].between(0, 1).all()
    assert (stability.loc[boxes.index, "restricted_share"] == boxes["bootstrap_share"]).all()
    summary = (folder / "summary.txt").read_text()
    for label in boxes["label"]:
        assert label in summary and label in out  # the sentence names every restricted input
    manifest = json.loads((folder / "manifest.json").read_text())
    events = pd.read_csv(run_dir / "events.csv", index_col="event")
    assert manifest["probability"] == pytest.approx(events.loc["deficit_narrower_2030", "probability"], abs=1e-9)
    assert manifest["held_out"]["draws"] == 600 and manifest["search"]["draws"] == 1400
    held = manifest["held_out"]
    assert f"{held['density']:.0%}, {held['mass']:.0%} and {held['coverage']:.0%}" in summary
    # The box concentrates the event, on the draws it was not found on too.
    assert manifest["search"]["density"] > 1.5 * manifest["probability"]
    assert held["density"] > 1.5 * manifest["probability"]
    code, _, err = cli("report", "d")
    html = (folder / "report.html").read_text()
    assert code == 0, err
    assert "The box (prim)" in html and "held out" in html and html.count("<img") == 2
    assert boxes["label"].iloc[0].replace("'", "&#x27;") in html


def test_cart_and_a_seeded_rerun_give_the_same_files(run_dir, cli, tmp_path):
    for out in ("c1", "c2"):
        code, _, err = cli("discover", run_dir, "--event", "deficit_narrower_2034", "--method", "cart", "--out", out,
                           "--no-plots", "--quiet", "--seed", "3")
        assert code == 0, err
    for name in ("boxes.csv", "tradeoff.csv", "scores.csv", "summary.txt"):
        assert (tmp_path / "c1" / name).read_bytes() == (tmp_path / "c2" / name).read_bytes(), name
    assert json.loads((tmp_path / "c1" / "manifest.json").read_text())["method"] == "cart"


@pytest.mark.parametrize("event", ["skilled_50k_by_2029", "workers_50k_by_2029"])
def test_the_skilled_workers_box_states_only_limits_that_matter(run_dir, cli, tmp_path, event):
    """Acceptance (issue 30, item 3): on the baseline's skilled-workers events, every stated limit has
    a quasi-p-value <= 0.05 (on the search draws, and on the held-out draws too), the held-out
    density is within 20% of the in-sample density, and the sentence states only the kept limits,
    the dropped ones apart (the workers-only event's search finds 22 limits here and keeps 2)."""
    code, out, err = cli("discover", run_dir, "--event", event, "--out", "k", "--bootstrap", "5", "--no-plots")
    assert code == 0, err
    folder = tmp_path / "k"
    boxes = pd.read_csv(folder / "boxes.csv", index_col="input")
    dropped = pd.read_csv(folder / "dropped.csv", index_col="input")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(boxes) >= 1
    assert (boxes.filter(like="_p_").max(axis=1) <= 0.05).all()
    assert (dropped[["p_search", "p_held_out"]].max(axis=1) > 0.05).all()
    search, held = manifest["search"]["density"], manifest["held_out"]["density"]
    assert abs(held - search) <= 0.2 * search
    summary = (folder / "summary.txt").read_text()
    stated, _, apart = summary.partition(" found but dropped")
    for label in boxes["label"]:
        assert label in stated and label in out
    nearest = dropped.assign(p=dropped[["p_search", "p_held_out"]].max(axis=1)).sort_values("p", kind="stable")
    for label in nearest["label"].head(5):  # the sentence names the five nearest to significance
        assert label not in stated.split("in which", 1)[1] and label in apart
    assert manifest["limits_dropped"] == len(dropped)
    if event == "workers_50k_by_2029":  # docs/discovery.md: "the search finds 22 limits and 2 are kept"
        assert (len(boxes) + len(dropped), len(boxes)) == (22, 2)
        assert f"and {len(dropped) - 5} more (dropped.csv)" in summary


def _quoted(path, start):
    """The block quote of `path` that starts with `start`, joined into one line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"> {start}"))
    quote = []
    for line in lines[first:]:
        if not line.startswith(">"):
            break
        quote.append(line[1:].strip())
    return " ".join(quote)


@pytest.mark.slow  # the 10,000-draw baseline of `make run`, then discover
def test_the_quoted_baseline_sentence_is_what_discover_says(cli, tmp_path):
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--out", "b", "--no-plots", "--quiet")
    assert code == 0, err
    code, _, err = cli("discover", "b", "--event", "deficit_narrower_2030", "--out", "d", "--no-plots", "--quiet")
    assert code == 0, err
    said = (tmp_path / "d" / "summary.txt").read_text(encoding="utf-8").strip()
    root = Path(__file__).parents[2]
    for doc in (root / "README.md", root / "docs" / "discovery.md"):
        assert _quoted(doc, "India's deficit with Japan narrower") == said, doc.name


@pytest.mark.parametrize("args, fragment", [
    (["--event", "nope"], "no event 'nope' in this run; its events: deficit_narrower_2030"),
    (["--event", "deficit_narrower_2030", "--method", "svm"], "--method"),
])
def test_bad_arguments_exit_2_and_write_nothing(run_dir, cli, tmp_path, args, fragment):
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = cli("discover", run_dir, *args, "--out", "x")
    assert code == 2 and fragment in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_not_a_run_folder(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = cli("discover", "empty", "--event", "e")
    assert code == 2 and "manifest.json" in err
    code, _, err = cli("discover", "absent", "--event", "e")
    assert code == 2 and "not found" in err


def test_existing_output_needs_force(run_dir, cli, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.txt").write_text("keep")
    code, _, err = cli("discover", run_dir, "--event", "deficit_narrower_2030", "--out", "d", "--quiet")
    assert code == 2 and (tmp_path / "d" / "mine.txt").read_text() == "keep"


def test_event_in_no_draw_and_a_comparison_folder_are_refused(cli, write, tmp_path):
    write("s.toml", """
        [scenario]
        name = "s"
        draws = 50
        [investment]
        realisation_rate = { dist = "uniform", min = 0.2, max = 0.9 }
        [events.huge]
        variable = "investment.disbursed"
        year = 2030
        op = ">"
        threshold = 1000
    """)
    assert cli("run", "s.toml", "--out", "r", "--quiet", "--no-plots")[0] == 0
    code, _, err = cli("discover", "r", "--event", "huge", "--out", "d")
    assert code == 2 and "happens in no draw of this run" in err and not (tmp_path / "d").exists()
    assert cli("compare", "s.toml", "s.toml", "--out", "c", "--quiet")[0] == 2  # same name: refused anyway
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "manifest.json").write_text('{"kind": "comparison", "files": {}}')
    code, _, err = cli("discover", "c", "--event", "huge")
    assert code == 2 and "a 'comparison' folder" in err


@pytest.mark.parametrize("damage", ["byte", "truncated", "fifo"])
def test_a_damaged_ensemble_is_refused_naming_the_file(run_dir, cli, tmp_path, damage):
    """Issue 33, point 6: discover used an ensemble.nc whose sha256 no longer matched manifest.json (exit 0)."""
    import os
    import shutil

    folder = tmp_path / "base"
    shutil.copytree(run_dir, folder)
    ensemble = folder / "ensemble.nc"
    data = bytearray(ensemble.read_bytes())
    if damage == "byte":
        data[len(data) // 2] ^= 0xFF
        ensemble.write_bytes(bytes(data))
    elif damage == "truncated":
        ensemble.write_bytes(bytes(data[:-100]))
    else:
        ensemble.unlink()
        os.mkfifo(ensemble)  # reading it would wait for ever
    code, out, err = cli("discover", "base", "--event", "deficit_narrower_2030", "--out", "found")
    assert (code, out) == (2, "")
    expected = ("ijsim: base: ensemble.nc is a named pipe (FIFO), not a results file (manifest.json lists a file ijsim wrote)"
                if damage == "fifo" else
                "ijsim: base: ensemble.nc was changed after ijsim wrote it (its sha256 differs from manifest.json); "
                "run the scenario again for results that can be trusted")
    assert err.strip().replace("\n", " ") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base"]
