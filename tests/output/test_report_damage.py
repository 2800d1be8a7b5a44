"""`ijsim report` on damaged or edited results folders (issue 14, point 8): exit 2 saying what is
wrong, never exit 1, never a report of files the manifest does not vouch for; and `--out` never
writes over a file that is not an earlier report."""
import json
import shutil

import pytest

from simulator.cli import main

from tests.conftest import SCENARIOS


@pytest.fixture
def results(plotted_run):
    """The session's plotted baseline run (tests/conftest.py); the tests copy it before damaging it."""
    return plotted_run[0]


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def _rewrite_manifest(folder, change):
    doc = _manifest(folder)
    change(doc)
    (folder / "manifest.json").write_text(json.dumps(doc))


def _damage(folder, case):
    if case == "missing-summary":
        (folder / "summary.csv").unlink()
        return "summary.csv is missing"
    if case == "manifest-is-an-array":
        (folder / "manifest.json").write_text("[1, 2, 3]")
        return "not a manifest ijsim writes (a JSON object), but a JSON list"
    if case == "manifest-is-garbled":
        (folder / "manifest.json").write_text('{"kind": "run", ')
        return "unreadable manifest"
    if case == "manifest-without-files":
        _rewrite_manifest(folder, lambda d: d.pop("files"))
        return "no table of files"
    if case == "wrong-kind":
        _rewrite_manifest(folder, lambda d: d.update(kind="mystery"))
        return "reports are made for run, compare, sweep, flows, sensitivity, discover and backtest folders, this is a \"mystery\" folder"
    if case == "kind-of-another-command":  # a run folder relabelled: the files that kind needs are not vouched for
        _rewrite_manifest(folder, lambda d: d.update(kind="sensitivity"))
        return "sensitivity.csv is not listed in manifest.json, so it cannot be trusted"
    if case == "garbled-csv":
        (folder / "summary.csv").write_bytes(b"\x00\xff,,\n\"unclosed")
        return "summary.csv was changed after ijsim wrote it"
    if case == "edited-number":
        text = (folder / "summary.csv").read_text()
        (folder / "summary.csv").write_text(text.replace(",", ",9", 20))
        return "summary.csv was changed after ijsim wrote it"
    if case == "replaced-plot":
        plot = next((folder / "plots").glob("*.png"))
        plot.write_bytes(plot.read_bytes()[:-10])
        return f"plots/{plot.name} was changed after ijsim wrote it"
    if case == "garbled-csv-with-a-matching-manifest":  # edited consistently: still no exit 1
        (folder / "summary.csv").write_text("variable,year\nx,not-a-year\n")
        from simulator.output.folders import sha256_file
        _rewrite_manifest(folder, lambda d: d["files"].update({"summary.csv": sha256_file(folder / "summary.csv")}))
        return "a damaged results folder"
    raise AssertionError(case)


CASES = ["missing-summary", "manifest-is-an-array", "manifest-is-garbled", "manifest-without-files", "wrong-kind",
         "kind-of-another-command",
         "garbled-csv", "edited-number", "replaced-plot", "garbled-csv-with-a-matching-manifest"]


@pytest.mark.parametrize("case", CASES)
def test_damaged_folders_are_refused_with_the_cause(case, results, cli, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(results, folder)
    (folder / "report.html").unlink()  # the one `ijsim run` wrote: a refused report must write none
    fragment = _damage(folder, case)
    code, out, err = cli("report", "run")
    assert code == 2, err
    assert fragment in err and "Traceback" not in err and "internal error" not in err
    assert not (folder / "report.html").exists()


def test_an_intact_folder_still_gets_its_report(results, cli, tmp_path):
    shutil.copytree(results, tmp_path / "run")
    code, out, err = cli("report", "run")
    assert code == 0, err
    assert "<img src=\"data:image/png;base64," in (tmp_path / "run" / "report.html").read_text()
    assert cli("report", "run")[0] == 0  # an earlier report is replaced


@pytest.mark.parametrize("where,fragment", [("missing/report.html", "cannot write the report"),
                                            ("afile/report.html", "cannot write the report"),
                                            ("adir", "is a folder"),
                                            ("notes.html", "exists and is not a report ijsim wrote")])
def test_report_out_problems(where, fragment, results, cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    (tmp_path / "notes.html").write_text("<p>my notes</p>")
    code, _, err = cli("report", results, "--out", where)
    assert code == 2 and fragment in err and "Traceback" not in err
    assert (tmp_path / "notes.html").read_text() == "<p>my notes</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "afile", "notes.html"]
    assert sorted(p.name for p in (tmp_path / "adir").iterdir()) == []
