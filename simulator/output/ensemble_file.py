"""The ensemble on disk: NetCDF4 (HDF5) written block by block, and exact summaries read back from it.

Why NetCDF4 through h5netcdf (docs/scaling.md): the file stays `ensemble.nc`, opened by
`xarray.open_dataset` with its named dimensions as before; HDF5 writes any slice of a variable in
place, so a block of draws goes to the file as it completes and is then forgotten; it has 64-bit
integers (seeds up to 2^63 - 1 are stored as numbers); and h5netcdf needs only h5py, with no
compiled netCDF library of its own.

Layout, chosen for what is done with the file:
* one chunk per block of draws and per year (and sector, stream or stage): a block is written as
  whole chunks, and one column (a variable's values in one year) is read without its neighbours;
* all chunks are allocated when the file is created and never filled first, so the file's bytes do
  not depend on the order in which blocks arrive (identical files for any number of workers).
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from simulator.variables import FISCAL_YEAR_ATTRS, fiscal_year, is_fiscal

ENSEMBLE_DTYPES = {"full": np.float64, "float32": np.float32}


class EnsembleWriter:
    """Creates `path` for `scenario`'s draws with the variables of `example` (a block: name ->
    (draws, year[, extra]) array) and writes blocks into it; `labels` names the extra dimensions."""

    def __init__(self, path: Path, scenario, example: dict[str, np.ndarray], labels: dict[str, list[str]],
                 dtype=np.float64, chunk_draws: int | None = None):
        import h5netcdf
        import h5py

        from simulator.montecarlo.inputs import INPUT_PREFIX, SHOCK_YEAR, stack_inputs
        from simulator.montecarlo.result import dataset_attrs
        from simulator.variables import variable

        self.path = Path(path)
        self.dtype = np.dtype(dtype)
        self._lock = threading.Lock()
        # libver "latest": a fixed-array chunk index, so reading one column of many chunks is fast
        self.file = h5netcdf.File(self.path, "w", libver="latest")
        n, years = scenario.draws, np.asarray(scenario.years)
        chunk = max(1, min(chunk_draws or scenario.block_size, n))
        dims = {"draw": n, "year": len(years)}
        self.dims: dict[str, tuple[str, ...]] = {}
        attrs: dict[str, dict] = {}
        for name in example:
            if name.startswith(INPUT_PREFIX):
                continue
            info = variable(name)
            self.dims[name] = ("draw", "year") + ((info.extra_dim,) if info.extra_dim else ())
            attrs[name] = {"unit": info.unit, "long_name": info.label, "description": info.description}
            if info.extra_dim:
                dims[info.extra_dim] = len(labels[info.extra_dim])
        # The sampled inputs as stack_inputs lays them out: a yearly shock series is one (draw, year)
        # variable, each sampled year a column of it and the years without a shock NaN.
        # self.columns: the sampler's name of an input -> (variable, its column or None).
        inputs = {k: v for k, v in example.items() if k.startswith(INPUT_PREFIX)}
        self.columns: dict[str, tuple[str, int | None]] = {}
        self.unsampled: dict[str, list[int]] = {}
        stacked, shock_years = stack_inputs(inputs)
        for name, (var_dims, _, var_attrs) in stacked.items():
            self.dims[name] = var_dims
            attrs[name] = var_attrs
            if var_dims == ("draw",):
                self.columns[name] = (name, None)
                continue
            sampled = [shock_years.index(y) for y in var_attrs["sampled_years"]]
            for year, j in zip(var_attrs["sampled_years"], sampled):
                self.columns[f"{name}.{year}"] = (name, j)
            self.unsampled[name] = [j for j in range(len(shock_years)) if j not in sampled]
        if shock_years:
            dims[SHOCK_YEAR] = len(shock_years)
        self.file.dimensions = dims
        draw = self.file.create_variable("draw", ("draw",), np.int64)
        for lo in range(0, n, 1 << 20):
            draw[lo:min(n, lo + (1 << 20))] = np.arange(lo, min(n, lo + (1 << 20)), dtype=np.int64)
        self.file.create_variable("year", ("year",), data=years.astype(np.int64))
        self.file.create_variable("fiscal_year", ("year",), data=np.array([fiscal_year(y) for y in years], dtype=object),
                                  dtype=h5py.string_dtype()).attrs.update(FISCAL_YEAR_ATTRS)
        if shock_years:
            self.file.create_variable(SHOCK_YEAR, (SHOCK_YEAR,), data=np.asarray(shock_years, dtype=np.int64))
        for dim in dims:
            if dim not in ("draw", "year", SHOCK_YEAR):
                self.file.create_variable(dim, (dim,), data=np.array(labels[dim], dtype=object),
                                          dtype=h5py.string_dtype())
        self.variables = {}
        for name, dim_names in self.dims.items():
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)  # byte layout independent of write order
            dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)    # every chunk is written once, by its block
            v = self.file.create_variable(name, dim_names, self.dtype, chunks=(chunk,) + (1,) * (len(dim_names) - 1),
                                          dcpl=dcpl)
            v.attrs.update(attrs[name])
            if is_fiscal(name):  # CF: the fiscal-year labels are an auxiliary coordinate of the trade variables
                v.attrs["coordinates"] = "fiscal_year"
            self.variables[name] = v._h5ds  # h5py's dataset: h5netcdf's checks cost more than the write
        self.file.attrs.update(dataset_attrs(scenario))

    def write(self, lo: int, block: dict[str, np.ndarray]) -> None:
        """Store a block's draws [lo, lo + n); safe from several threads."""
        pieces = []
        for name, values in block.items():
            target, column = self.columns.get(name, (name, None))
            pieces.append((self.variables[target], column, np.asarray(values, dtype=self.dtype)))
        n = len(pieces[0][2]) if pieces else 0
        for name, missing in self.unsampled.items():  # every chunk is written once, the empty years too
            pieces += [(self.variables[name], j, np.full(n, np.nan, dtype=self.dtype)) for j in missing]
        with self._lock:
            for ds, column, values in pieces:
                index = (lo,) if column is None else (lo, column)
                whole_chunks = lo % ds.chunks[0] == 0 and len(values) <= ds.chunks[0]
                if whole_chunks and (len(index) == ds.ndim or column is None and all(c == 1 for c in ds.chunks[1:])):
                    # Whole chunks (one per column), written as raw bytes past HDF5's chunk cache:
                    # through the cache the inputs (one column each) kept every chunk they had written
                    # in memory until the file closed, 4 bytes per input and draw (measured: 0.6 GB for
                    # 76 inputs at 2,000,000 draws; flat this way), and an output's slab cost a
                    # millisecond a block (a third of a small run's writing).
                    chunk = np.zeros(ds.chunks[0], dtype=self.dtype)
                    for rest in np.ndindex(*values.shape[1:]):
                        chunk[:len(values)] = values[(slice(None),) + rest]
                        ds.id.write_direct_chunk(index + rest, chunk.tobytes())
                elif column is None:
                    ds[lo:lo + len(values)] = values
                else:
                    ds[lo:lo + len(values), column] = values

    def close(self) -> None:
        self.file.close()

    def summaries(self, quantiles: list[float]) -> dict[str, dict[str, np.ndarray]]:
        """The exact summaries of what was written (after `close`): see `exact_summaries`."""
        return exact_summaries(self.path, quantiles)


def write_dataset(dataset, path: Path, scenario, dtype=np.float64) -> None:
    """Write an in-memory run's dataset in the same format as a streamed run (one call, one file)."""
    from simulator.montecarlo.inputs import INPUT_PREFIX, flatten_inputs

    arrays = {str(k): dataset[k].values for k in dataset.data_vars if not str(k).startswith(INPUT_PREFIX)}
    arrays.update(flatten_inputs(dataset))  # the writer takes the inputs as the sampler names them
    labels = {d: [str(x) for x in dataset[d].values] for d in dataset.dims if d not in ("draw", "year", "shock_year")}
    writer = EnsembleWriter(path, scenario, {k: v[:1] for k, v in arrays.items()}, labels, dtype)
    try:
        n = dataset.sizes["draw"]
        step = max(1, scenario.block_size)
        for lo in range(0, n, step):
            writer.write(lo, {k: v[lo:lo + step] for k, v in arrays.items()})
    finally:
        writer.close()


def columns_of(shape: tuple[int, ...]) -> list[tuple]:
    """Index tuples (after the draw axis) of every column: (year,) or (year, label)."""
    return list(np.ndindex(*shape))


def exact_summaries(path: Path, quantiles: list[float]) -> dict[str, dict[str, np.ndarray]]:
    """Mean, sd and quantiles per variable of the ensemble at `path`, computed in float64 exactly as
    numpy does on the whole array in memory (`result.summarise`): in memory if the outputs take at
    most `IN_MEMORY_BYTES`, else holding one column (the draws of one variable in one year, 8 bytes a
    draw) at a time.

    numpy sums a (draws, years) array over draws row after row, so the sums here are sequential
    too (a running sum carried from chunk to chunk: the same additions in the same order); the
    quantiles are np.quantile of each column on its own, which equals that column of np.quantile
    over the whole array. (Summarising two columns at once on two threads deadlocked inside h5py:
    one at a time.)"""
    import h5py

    from simulator.montecarlo.inputs import INPUT_PREFIX

    out: dict[str, dict[str, np.ndarray]] = {}
    with h5py.File(path, "r") as f:
        outputs = {name: ds for name, ds in f.items() if ds.ndim >= 2 and not name.startswith(INPUT_PREFIX)}
        if sum(ds.size for ds in outputs.values()) * 8 <= IN_MEMORY_BYTES:
            # Read here (h5py, one thread), summarised on threads (numpy's partition releases the GIL).
            from concurrent.futures import ThreadPoolExecutor

            from simulator.parallel import available_cpus

            whole = {name: ds[...].astype(np.float64, copy=False) for name, ds in outputs.items()}
            with ThreadPoolExecutor(available_cpus()) as pool:
                return dict(zip(whole, pool.map(lambda v: whole_variable_summaries(v, quantiles), whole.values())))
        for name, ds in outputs.items():  # summaries are of the outputs, not the sampled inputs
            n, tail = ds.shape[0], ds.shape[1:]
            stats = np.empty((2 + len(quantiles),) + tail)
            column = np.empty(n)
            for index in columns_of(tail):
                read_column(ds, index, column)
                mean, sd = mean_and_sd(column)
                if not np.isfinite(sd) and np.isfinite(column).all():
                    # squares overflow above about 1e154: scaled by the largest value, as result.sample_sd does
                    scale = np.abs(column).max()
                    sd = mean_and_sd(column / scale)[1] * scale
                stats[(slice(None),) + index] = [mean, sd, *np.quantile(column, quantiles, overwrite_input=True)]
            out[name] = {"mean": stats[0], "sd": stats[1], "quantiles": stats[2:]}
    return out


# Outputs up to this size (float64, all together) are summarised in memory, a variable at a time in
# one piece: numpy's own reductions over the draws instead of a Python loop over the columns (a
# small run's 500 columns cost a fifth of a second that way). Larger ones a column at a time, so
# that memory stays flat in the draws.
IN_MEMORY_BYTES = 128 << 20


def whole_variable_summaries(values: np.ndarray, quantiles: list[float]) -> dict[str, np.ndarray]:
    """`exact_summaries` of one variable held in memory, (draws, ...): the same numbers as its loop
    over columns (numpy reduces a C-ordered array over its first axis row after row, as
    `sequential_sum` does; np.quantile over an axis is that of each column)."""
    n = len(values)
    mean = np.true_divide(values.sum(axis=0), n)
    if n < 2:
        sd = np.zeros_like(mean)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            deviation = values - mean
            sd = np.sqrt(np.multiply(deviation, deviation, out=deviation).sum(axis=0) / (n - 1))
        for index in zip(*np.nonzero(~np.isfinite(sd) & np.isfinite(values).all(axis=0))):
            column = np.ascontiguousarray(values[(slice(None),) + index])  # squares overflow: scaled, as below
            scale = np.abs(column).max()
            sd[index] = mean_and_sd(column / scale)[1] * scale
    return {"mean": mean, "sd": sd, "quantiles": np.quantile(values, quantiles, axis=0)}


def mean_and_sd(column: np.ndarray) -> tuple[float, float]:
    """Mean and sample sd (0 for one draw) of one column, in numpy's order of operations for a
    (draws, years) array reduced over draws."""
    n = len(column)
    total = None
    for lo in range(0, n, 1 << 20):  # in pieces: no draw-sized temporaries
        total = sequential_sum(column[lo:lo + (1 << 20)], total)
    mean = np.true_divide(total, n)
    if n < 2:
        return float(mean), 0.0
    squares = None
    with np.errstate(over="ignore", invalid="ignore"):
        for lo in range(0, n, 1 << 20):
            deviation = column[lo:lo + (1 << 20)] - mean
            np.multiply(deviation, deviation, out=deviation)
            squares = sequential_sum(deviation, squares)
        return float(mean), float(np.sqrt(squares / (n - 1)))


def sequential_sum(values: np.ndarray, start: float | None = None) -> float:
    """((start + v0) + v1) + ...: numpy's order when it sums a 2-D array over its first axis
    (a 1-D sum is pairwise, another order and other last bits)."""
    total = np.cumsum(values)[-1] if len(values) else 0.0
    if start is None:
        return float(total)
    carried = np.empty(len(values) + 1)
    carried[0], carried[1:] = start, values
    return float(np.cumsum(carried)[-1])


def read_column(ds, index: tuple, out: np.ndarray) -> None:
    """One column of a dataset chunked (draws, 1, 1, ...), read chunk by chunk as raw bytes: about
    eight times as fast as an HDF5 selection of the same column (the file is uncompressed)."""
    n, step = ds.shape[0], ds.chunks[0]
    if ds.compression is not None or any(c != 1 for c in ds.chunks[1:]):
        ds.read_direct(out, np.s_[(slice(None),) + index])
        return
    for lo in range(0, n, step):
        _, raw = ds.id.read_direct_chunk((lo,) + index)
        hi = min(n, lo + step)
        out[lo:hi] = np.frombuffer(raw, dtype=ds.dtype)[:hi - lo]
