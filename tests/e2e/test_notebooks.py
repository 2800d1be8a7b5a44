"""Every notebook in notebooks/ runs top to bottom, shows its figures, and is stored without outputs.

The kernel runs with Jupyter's own matplotlib backend (inline), as a user's would: a library that
switched the backend (matplotlib.use("Agg") at import) left every plotting cell empty, so the
test counts the PNG images in the cells that plot.
"""
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
# A cell plots if it calls one of the plotting functions (without a trailing ';' a cell that returns
# an Axes also shows its repr, which is fine: what counts is the image).
PLOTS = re.compile(r"\b(plt\.subplots|plots\.\w+|plotting\.\w+|plot_sensitivity|plot_tradeoff|plot_box)\(|\.plot\(")
# How many cells of each notebook must show a figure: guards against the pattern matching nothing.
FIGURE_CELLS = {"quickstart": 2, "sensitivity": 6}


def images(cell) -> int:
    return sum(1 for o in cell.get("outputs", []) if o.output_type == "display_data" and "image/png" in o.get("data", {}))


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def executed(request, tmp_path_factory):
    """The notebook after running it in a fresh kernel with Jupyter's default matplotlib backend."""
    path = request.param
    mp = pytest.MonkeyPatch()
    mp.delenv("MPLBACKEND", raising=False)  # the kernel chooses, as it would for a user
    try:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        mp.undo()
    return path, nb


def test_notebook_runs(executed):
    _, nb = executed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]


def test_notebook_shows_its_figures(executed):
    path, nb = executed
    plotting = [c for c in nb.cells if c.cell_type == "code" and PLOTS.search(c.source)]
    assert len(plotting) == FIGURE_CELLS[path.stem], "update FIGURE_CELLS when cells that plot are added or removed"
    empty = [c.source.splitlines()[0] for c in plotting if images(c) == 0]
    assert not empty, f"cells that plot but show no image: {empty}"
    # and no cell shows a figure nobody asked for (files written from a notebook stay in files)
    plotting_ids = {id(c) for c in plotting}
    extra = [c.source.splitlines()[0] for c in nb.cells
             if c.cell_type == "code" and id(c) not in plotting_ids and images(c)]
    assert not extra, f"cells that do not plot but show an image: {extra}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, "strip outputs before committing"


# Numbers a notebook's prose may state without computing them: definitions of the methods and figures
# from the source article, each with where it is defined. Any other number in a markdown cell must
# appear in the notebook's code or in what its cells print: a result typed into prose goes stale.
PROSE_DEFINITIONS = {
    "quickstart": {"10": "JPY 10 trillion, seeds/article_figures.toml"},
    "sensitivity": {"5%": "the one-at-a-time ends (docs/sensitivity.md)", "95%": "the one-at-a-time ends and "
                    "the Sobol' intervals (docs/sensitivity.md)", "90%": "the explorer's interval, as printed",
                    "2": "Sobol' costs n · (k + 2) runs (docs/sensitivity.md)"},
}
_NUMBER = re.compile(r"(?<![\w.`-])\d[\d,.]*%?")
_SECTION = re.compile(r"^#+ \d+\.", re.MULTILINE)
_YEAR = re.compile(r"^(19|20)\d\d$")


def prose_numbers(nb) -> list[str]:
    """The numbers the markdown cells state, without section numbers, years and fiscal-year parts."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = _SECTION.sub("", re.sub(r"FY\d{4}-\d{2}", "", cell.source))
        found += [n.rstrip(".,") for n in _NUMBER.findall(text) if not _YEAR.match(n.rstrip(".,"))]
    return found


def uncomputed(nb, allowed: dict) -> list[str]:
    """Numbers in the prose that are neither defined (`allowed`) nor in the code or the printed outputs."""
    shown = " ".join(c.source for c in nb.cells if c.cell_type == "code")
    shown += " ".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                      for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    shown = shown.replace(",", "")
    return [n for n in prose_numbers(nb) if n not in allowed and n.replace(",", "") not in shown]


def test_notebook_prose_states_only_computed_numbers(executed):
    """The sensitivity notebook once said "the three methods agree on the order at the top" and named
    a limit "quasi-p-value about 0.04" its own output no longer showed: prose now says what the
    cells compute, and the numbers it states come from the code or the outputs."""
    path, nb = executed
    assert not uncomputed(nb, PROSE_DEFINITIONS[path.stem])


def test_the_prose_check_catches_a_typed_result():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 1. Reading\nThe box holds 74% of the cases (FY2030-31, Friedman 1999)."),
        nbformat.v4.new_code_cell("draws = 2000")])
    assert uncomputed(nb, {}) == ["74%"]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="coverage 74%")]
    assert uncomputed(nb, {}) == []


def test_the_explorer_widget_is_created(executed):
    """The explorer cell displays an ipywidgets view (a kernel without ipywidgets shows only text)."""
    path, nb = executed
    if path.stem != "sensitivity":
        pytest.skip("only the sensitivity notebook has the explorer")
    views = [o for c in nb.cells if c.cell_type == "code" and "widgets.interactive" in c.source
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1


def test_there_is_a_quickstart():
    assert any(p.name == "quickstart.ipynb" for p in NOTEBOOKS)
