"""What `--force` may delete: only a results folder ijsim can show it wrote, file by file.

A manifest.json alone proves nothing: it is a JSON file anyone can edit, and issue 33 found
`--force` deleting a user's file that an edited manifest listed. So when a results folder is put
in place (`commit.publish`), ijsim also writes `.ijsim-owner.json` into it, recording

* the folder's own device and inode number: a copy of the folder, or another folder the files
  were moved into, has other ones (a rename keeps them, so the folder may be moved);
* the sha256 of manifest.json, which lists the sha256 of every file the run wrote;
* later, the sha256 of the report.html that `ijsim report` writes into the folder (`add_file`).

`why_not_ours` accepts a folder only if the record matches the folder, the manifest its recorded
hash, and every file present is one of those listed, with the listed hash. Anything else (a file
edited, added or put in place of one of ours, a manifest edited to list it, a copy, a folder from
before this record existed) keeps the whole folder, and the command stops with exit 2. This guards
against accidents, not against someone who sets out to forge the record.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path

from simulator.opening import read_limited
from simulator.errors import UserError
from simulator.output.folders import read_manifest, sha256_file

OWNER = ".ijsim-owner.json"
_MAX_OWNER_BYTES = 1 << 16  # a record is a few hundred bytes
# left by a report, or a record's update, killed (SIGKILL) before its rename
_TEMPS = re.compile(r"\.report-[^/]*\.html|\.ijsim-owner-[^/]*")
_digests: dict[tuple, str] = {}  # (device, inode, size, mtime, ctime) -> sha256: the check runs twice per run


def seal(folder: Path) -> None:
    """Record that ijsim wrote `folder` (a finished partial folder, just before it is published)."""
    if not (folder / "manifest.json").is_file():
        return
    st = os.lstat(folder)
    _write(folder, {"written_by": "ijsim", "device": st.st_dev, "inode": st.st_ino,
                    "manifest_sha256": sha256_file(folder / "manifest.json"), "also": {}})


def add_file(folder: Path, name: str) -> None:
    """Record the hash of a file ijsim has just added to a sealed folder (report.html)."""
    record = _read(folder)
    if record is not None:  # a folder with no valid record stays one that --force refuses
        record["also"][name] = sha256_file(folder / name)
        _write(folder, record)


def _write(folder: Path, record: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".ijsim-owner-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh)
        os.replace(tmp, folder / OWNER)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read(folder: Path) -> dict | None:
    data, problem = read_limited(folder / OWNER, "an ownership record", _MAX_OWNER_BYTES)
    if problem:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    ok = (isinstance(record, dict) and isinstance(record.get("device"), int) and isinstance(record.get("inode"), int)
          and isinstance(record.get("manifest_sha256"), str) and isinstance(record.get("also"), dict))
    return record if ok else None


def _digest(path: Path) -> str | None:
    try:
        st = os.lstat(path)
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key not in _digests:
            _digests[key] = sha256_file(path)
        return _digests[key]
    except OSError:
        return None


def why_not_ours(folder: Path) -> str | None:
    """None if ijsim wrote `folder` and everything in it is as ijsim wrote it; otherwise why not, as text."""
    if not os.path.lexists(folder / "manifest.json"):
        return "it has no manifest.json"
    try:
        doc = read_manifest(folder)
    except UserError:
        return "its manifest.json is not one ijsim writes"
    versions = doc.get("versions")
    if not isinstance(versions, dict) or "ijsim" not in versions:
        return "its manifest.json was not written by ijsim"
    record = _read(folder)
    if record is None:
        return (f"it has no valid record that ijsim wrote it ({OWNER}; results written by earlier versions "
                "of ijsim have none): remove or rename it yourself")
    st = os.lstat(folder)
    if (st.st_dev, st.st_ino) != (record["device"], record["inode"]):
        return "it is not the folder ijsim wrote but a copy of one (or its files were moved into another folder)"
    if _digest(folder / "manifest.json") != record["manifest_sha256"]:
        return "its manifest.json was changed after ijsim wrote it"
    expected = {**doc["files"], **record["also"]}
    dirs = {str(Path(name).parent) for name in expected} - {"."}
    dirs |= {str(p) for d in list(dirs) for p in Path(d).parents if str(p) != "."}
    foreign, changed = [], []
    for root, subdirs, names in os.walk(folder):  # never follows links to folders: they are listed in subdirs
        rel = Path(root).relative_to(folder)
        for d in list(subdirs):
            if str(rel / d) not in dirs or os.path.islink(os.path.join(root, d)):
                foreign.append(f"{rel / d}/")
                subdirs.remove(d)
        for name in names:
            path = rel / name
            if rel == Path(".") and (name in ("manifest.json", OWNER) or _TEMPS.fullmatch(name)):
                continue
            if str(path) not in expected or os.path.islink(os.path.join(root, name)):
                foreign.append(str(path))
            elif _digest(folder / path) != expected[str(path)]:
                changed.append(str(path))
    for files, what in ((foreign, "files ijsim did not write"), (changed, "files changed after ijsim wrote them")):
        if files:
            shown = ", ".join(sorted(files)[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            return f"it holds {what}: {shown}"
    return None
