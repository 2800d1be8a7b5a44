"""A small variable is summarised in memory in one piece, a large one a column at a time: the two
give the same bits (output/ensemble_file.py), so the size of a run never changes its summary.csv."""
import h5py
import numpy as np
import pytest

from simulator.output import ensemble_file


def _file(tmp_path, values):
    path = tmp_path / "e.nc"
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=values, chunks=(min(64, len(values)),) + (1,) * (values.ndim - 1))
    return path


@pytest.mark.parametrize("shape", [(300, 4), (257, 3, 2), (1, 5)])
def test_in_one_piece_and_column_by_column_the_summaries_are_the_same_bits(tmp_path, monkeypatch, shape):
    rng = np.random.default_rng(7)
    values = rng.lognormal(3.0, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    if shape[0] > 1:
        values[:, 0] *= 1e160  # squares overflow: the sd is scaled by the largest value
        values[5, -1] = np.inf  # a column that is not finite keeps its infinite sd
    path = _file(tmp_path, values)
    q = [0.05, 0.25, 0.5, 0.75, 0.95]
    whole = ensemble_file.exact_summaries(path, q)["x"]
    monkeypatch.setattr(ensemble_file, "IN_MEMORY_BYTES", 0)
    by_column = ensemble_file.exact_summaries(path, q)["x"]
    for key in ("mean", "sd", "quantiles"):
        np.testing.assert_array_equal(whole[key], by_column[key])
    # ... and both are numpy's on the whole array
    with np.errstate(over="ignore", invalid="ignore"):
        np.testing.assert_array_equal(whole["mean"], values.mean(axis=0))
        np.testing.assert_array_equal(whole["quantiles"], np.quantile(values, q, axis=0))
    if shape[0] > 1:
        assert np.isfinite(whole["sd"][(0,) * (len(shape) - 1)]) and whole["sd"][(0,) * (len(shape) - 1)] > 1e150
