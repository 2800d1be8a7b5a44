"""Putting a finished results folder in place so that no interruption, at any step, loses results.

A run writes into ``.NAME.partial-XXXXXXXX`` beside the target NAME. The folder is created and
locked when the run starts, before any computation: a second run aiming at the same NAME is
refused at once, and a file in the way is found before the work, not after. When complete:

* NAME does not exist: one rename (renameat2 with RENAME_NOREPLACE where the OS has it, so a
  folder that appeared meanwhile is never replaced).
* NAME exists (``--force``): renameat2 with RENAME_EXCHANGE swaps the two folders in one atomic
  step (Linux 3.15+, on ext4, xfs, btrfs, tmpfs and most others); the old results, now under the
  partial's name, are then deleted. NAME holds complete results in every state in between.
  Where the exchange is not available (other systems, some network file systems), two renames:
  NAME -> ``.NAME.old-XXXXXXXX``, then partial -> NAME, then the old folder is deleted. A process
  killed between the two renames leaves NAME missing; the next run restores it (below).

Recovery runs whenever a run reserves NAME, under an exclusive lock on the parent folder, which is
also held while publishing, so recovery never sees a publication half done:

* ``.NAME.partial-*`` folders that no live process holds locked are leftovers of a killed run:
  deleted.
* if NAME is missing, the newest ``.NAME.old-*`` is renamed back to NAME (also the
  ``.NAME.old-*/previous`` layout of earlier versions); any other ``.NAME.old-*`` is deleted.

The locks are flock(2) on the folders themselves: the kernel drops them when a process dies, even
by SIGKILL, so "not locked" reliably means "abandoned". Without fcntl (Windows) nothing is taken
for abandoned and leftovers stay for the user to remove.

SIGINT and SIGTERM are held back during the renames only, so an interrupt finds the results either
not yet published or published, and `published()` tells the message which.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from simulator import _testhooks
from simulator.signals import checkpoint
from simulator.errors import UserError
from simulator.output.ownership import seal
from simulator.output.fsops import RENAME_EXCHANGE, RENAME_NOREPLACE, fcntl, folder_locked, lock_folder, renameat2, signals_held

_TOKEN = re.compile(r"[a-z0-9_]{8}")  # what mkdtemp and token_hex(4) put after the prefix


@dataclass
class Reservation:
    target: Path
    partial: Path
    lock: int | None  # descriptor holding the flock on the partial folder
    created: list[Path]  # parent folders this run created, deepest first
    leftover: Path | None = field(default=None)  # the replaced results, until deleted


_reserved: dict[str, Reservation] = {}
_published: list[Path] = []


def published() -> list[Path]:
    """Results folders put in place by this process since `forget` (for the exit message)."""
    return list(_published)


def forget() -> None:
    _published.clear()


def _leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """Our `.NAME.partial-*` and `.NAME.old-*` folders beside `target` (real folders, not links)."""
    found: dict[str, list[Path]] = {"partial": [], "old": []}
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return [], []
    for entry in entries:
        for kind, bucket in found.items():
            prefix = f".{target.name}.{kind}-"
            if (entry.name.startswith(prefix) and _TOKEN.fullmatch(entry.name[len(prefix):])
                    and entry.is_dir(follow_symlinks=False)):
                bucket.append(Path(entry.path))
    return found["partial"], found["old"]


def _remove_if_abandoned(folder: Path) -> bool:
    try:
        fd = lock_folder(folder, blocking=False)
    except OSError:
        return False
    if fd is None:
        return False  # a live run holds it
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)
    return True


def _written_at(folder: Path) -> float:
    for p in (folder / "manifest.json", folder):
        with contextlib.suppress(OSError):
            return p.stat().st_mtime
    return 0.0


def _recover(target: Path) -> None:
    """Remove abandoned partial folders of `target`; restore its old results if it is missing."""
    if fcntl is None:
        return
    partials, olds = _leftovers(target)
    for p in partials:
        if _remove_if_abandoned(p):
            _testhooks.reached("recover:removed-partial")
    if not os.path.lexists(target) and olds:
        def results(old: Path) -> Path:  # earlier versions of ijsim moved the old results into old/previous
            with contextlib.suppress(OSError):
                if [e.name for e in old.iterdir()] == ["previous"]:
                    return old / "previous"
            return old
        newest = max(olds, key=lambda o: _written_at(results(o)))
        os.rename(results(newest), target)
        _testhooks.reached("recover:restored")
    for old in olds:
        if old.exists():
            _remove_if_abandoned(old)


def _make_parents(target: Path) -> list[Path]:
    parent = target.parent
    blocking = next((p for p in (parent, *parent.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise UserError(f"{target}: cannot create the results folder: {blocking} is a file, not a folder")
    missing = []
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    try:
        for p in reversed(missing):
            p.mkdir(exist_ok=True)
    except OSError as exc:
        _remove_empty(missing)
        raise UserError(f"{target}: cannot create the results folder: {exc.strerror or exc}") from None
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for p in folders:  # deepest first; a folder someone has put something in stays
        with contextlib.suppress(OSError):
            p.rmdir()


def reserve(target: Path, check: Callable[[], None]) -> Reservation:
    """Recover `target`'s leftovers, run `check` (may raise), and create and lock its partial folder."""
    checkpoint()
    key = os.path.abspath(target)
    if key in _reserved:
        check()
        return _reserved[key]
    created = _make_parents(target)
    try:
        with folder_locked(target.parent):
            _recover(target)
            check()
            if _leftovers(target)[0]:  # what recovery left is held by a live run
                raise UserError(f"{target}: another ijsim run is writing this folder now; wait for it to "
                                "finish or choose another --out")
            partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
            lock = None
            if fcntl is not None:
                with contextlib.suppress(OSError):  # no locks on this file system: leftovers are never stale
                    lock = lock_folder(partial, blocking=False)
            umask = os.umask(0)
            os.umask(umask)
            partial.chmod(0o777 & ~umask)  # mkdtemp's private 0700 is not what a results folder should have
    except OSError as exc:
        _remove_empty(created)
        raise UserError(f"{target}: cannot create the results folder: {exc.strerror or exc}") from None
    except BaseException:
        _remove_empty(created)
        raise
    _reserved[key] = Reservation(target, partial, lock, created)
    return _reserved[key]


def publish(target: Path, check: Callable[[], None]) -> None:
    """Put the reserved partial folder in place as `target` (replacing it if it exists: `check` decides)."""
    r = _reserved[os.path.abspath(target)]
    seal(r.partial)  # the record that lets a later --force prove this folder is ijsim's (ownership.py)
    checkpoint()
    with folder_locked(target.parent):
        check()  # may hash a large folder: outside signals_held, so an interrupt acts at once
        with signals_held():
            _rename_into_place(r, target)
    shutil.rmtree(r.leftover, ignore_errors=True)
    _testhooks.reached("commit:cleaned")


def _rename_into_place(r: Reservation, target: Path) -> None:
    """The renames of `publish` (SIGINT and SIGTERM held): NAME holds complete results in every state."""
    _testhooks.reached("commit:start")
    if not os.path.lexists(target):
        if not renameat2(r.partial, target, RENAME_NOREPLACE):
            os.rename(r.partial, target)
        _testhooks.reached("commit:renamed")
    elif renameat2(r.partial, target, RENAME_EXCHANGE):
        r.leftover = r.partial  # the old results now carry the partial's name
        _testhooks.reached("commit:exchanged")
    else:
        r.leftover = target.parent / f".{target.name}.old-{secrets.token_hex(4)}"
        os.rename(target, r.leftover)
        _testhooks.reached("commit:moved-aside")
        try:
            os.rename(r.partial, target)
        except OSError:
            os.rename(r.leftover, target)  # put the earlier results back
            r.leftover = None
            raise
        _testhooks.reached("commit:renamed")
    _published.append(target)


def release(target: Path) -> None:
    """Remove what the reservation left (an unpublished partial, replaced results) and unlock."""
    r = _reserved.pop(os.path.abspath(target), None)
    if r is None:
        return
    for folder in (r.partial, r.leftover):
        if folder is not None and os.path.isdir(folder) and not os.path.islink(folder) and folder != target:
            shutil.rmtree(folder, ignore_errors=True)
    if r.lock is not None:
        os.close(r.lock)
    _remove_empty(r.created)


def release_all() -> None:
    for key in list(_reserved):
        release(_reserved[key].target)
