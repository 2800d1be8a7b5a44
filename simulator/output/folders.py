"""Results folders ijsim wrote: recognised by their manifest, and read only where it vouches for them.

What `--force` may replace is decided in `ownership.py`, never by the manifest alone.

`ijsim report` reads a results folder only through `verified`: each file must be listed in the
manifest with the sha256 of its bytes, so a damaged or edited folder is refused, not rendered.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from simulator.errors import UserError
from simulator.opening import chunks, read_limited

MAX_MANIFEST_BYTES = 64 << 20  # real manifests are tens of kilobytes


def sha256_file(path: Path) -> str:
    """Through the checked opener: a FIFO or a device put where a results file was raises OSError, never hangs."""
    h = hashlib.sha256()
    for chunk in chunks(path, "a results file"):
        h.update(chunk)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict:
    """The folder's manifest.json as ijsim writes it, or a UserError saying what is wrong."""
    path = folder / "manifest.json"
    try:
        st = os.stat(path)
    except OSError:
        raise UserError(f"{folder}: not a results folder (no manifest.json); give a folder written by "
                        "'ijsim run' or 'ijsim compare'") from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_MANIFEST_BYTES:
        raise UserError(f"{path}: not a manifest ijsim writes (not a regular file of at most "
                        f"{MAX_MANIFEST_BYTES >> 20} MiB)")
    data, problem = read_limited(path, "a manifest", MAX_MANIFEST_BYTES)  # checked again on the open file
    if problem:
        raise UserError(f"{path}: unreadable manifest ({problem})")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise UserError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(doc, dict):
        raise UserError(f"{path}: not a manifest ijsim writes (a JSON object), but a JSON {type(doc).__name__}")
    files = doc.get("files")
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise UserError(f"{path}: not a manifest ijsim writes: no table of files and their sha256")
    return doc


def verified(folder: Path, manifest: dict, name: str) -> Path:
    """`folder/name`, after checking it is the file the manifest lists, byte for byte (sha256)."""
    digest = manifest["files"].get(name)
    if digest is None:
        raise UserError(f"{folder}: {name} is not listed in manifest.json, so it cannot be trusted")
    path = folder / name
    if not os.path.lexists(path):
        raise UserError(f"{folder}: {name} is missing (manifest.json lists it)")
    try:
        digest_now = sha256_file(path)
    except OSError as exc:  # a FIFO, a device, a folder or a loop where the file was
        raise UserError(f"{folder}: {name} {exc.strerror or exc} (manifest.json lists a file ijsim wrote)") from None
    if digest_now != digest:
        raise UserError(f"{folder}: {name} was changed after ijsim wrote it (its sha256 differs from "
                        "manifest.json); run the scenario again for results that can be trusted")
    return path


def read_run_manifest(folder: Path) -> dict:
    """The manifest of an `ijsim run` folder whose ensemble.nc is the one the run wrote (its sha256
    checked against the manifest, as `ijsim report` checks what it reads), or a UserError."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not found, or not a folder; give the folder 'ijsim run' wrote")
    manifest = read_manifest(folder)
    kind = manifest.get("kind")
    if kind != "run":
        raise UserError(f"{folder}: a '{kind}' folder; discover works on the folder of one 'ijsim run'")
    if (manifest.get("ensemble") or {}).get("storage") == "none":
        raise UserError(f"{folder}: this run kept no draws (ijsim run --ensemble none); run it again with "
                        "--ensemble float32 or full to discover from its draws")
    verified(folder, manifest, "ensemble.nc")
    return manifest
