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
PLOTS = re.compile(r"\b(plt\.subplots|plots\.\w+|plot_sensitivity|plot_tradeoff|plot_box)\(")
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


def test_there_is_a_quickstart():
    assert any(p.name == "quickstart.ipynb" for p in NOTEBOOKS)
