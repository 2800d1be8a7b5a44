"""Writing a scenario comparison: tables, overlaid and difference fan charts, manifest."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .._version import __version__
from ..compare import Comparison
from ..variables import VARIABLES
from ..scenario.loader import display
from .files import atomic_folder, check_finite, sha256_file, versions
from .plots import finish_figure, comparison_fan, difference_fan, plain_text


def _source(comparison: Comparison) -> str:
    s = comparison.reference.scenario
    return plain_text(f"ijsim {__version__} · {' vs '.join(comparison.names)} · {s.draws:,} common-random-number "
                      f"draws ({s.sampler}), seed {s.seed}")


def write_comparison_plots(comparison: Comparison, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for variable, info in VARIABLES.items():
        if not info.headline or variable not in comparison.reference.variables:
            continue
        fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
        comparison_fan(comparison.results, variable, ax=ax)
        written += finish_figure(fig, folder / f"compare_{variable}", _source(comparison))
        for other in comparison.names[1:]:
            diff = comparison.difference(variable, other)
            if float(abs(diff).max()) == 0.0:
                continue  # the scenarios do not differ in this variable
            fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
            difference_fan(diff, variable, f"{other} minus {comparison.names[0]} (paired)", ax=ax)
            written += finish_figure(fig, folder / f"difference_{other}_{variable}", _source(comparison))
    return written


def write_comparison(comparison: Comparison, out_dir: Path, *, force: bool = False, plots: bool = True,
                     elapsed_s: float = 0.0) -> Path:
    for r in comparison.results:
        check_finite(r.dataset, display(r.scenario.files[0]) if r.scenario.files else r.scenario.name)
    with atomic_folder(Path(out_dir), force) as tmp:
        comparison.table().to_csv(tmp / "comparison.csv", index=False, lineterminator="\n")
        summaries = [r.summary().assign(scenario=r.scenario.name) for r in comparison.results]
        pd.concat(summaries, ignore_index=True).to_csv(tmp / "summaries.csv", index=False, lineterminator="\n")
        comparison.headline().to_csv(tmp / "headline_differences.csv", index=False, lineterminator="\n")
        if plots:
            write_comparison_plots(comparison, tmp / "plots")
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        ref = comparison.reference.scenario
        doc = {"kind": "comparison", "scenarios": [
                   {"scenario": r.scenario.name, "title": r.scenario.title, "description": r.scenario.description,
                    "scenario_files": dict(r.scenario.sha256)} for r in comparison.results],
               "reference": ref.name, "seed": ref.seed, "draws": ref.draws, "sampler": ref.sampler,
               "block_size": ref.block_size, "common_random_numbers": True, "version": __version__,
               "versions": versions(), "elapsed_s": round(elapsed_s, 3), "files": files}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
