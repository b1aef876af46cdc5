"""The folders the kit writes into (a run's results folder, ``docs --out``): checked before
anything runs, and written without following a symbolic link.

:func:`folder_problem` says in one line why a folder cannot be used (a file, a symbolic link
loop or one to nothing, a path under a file, a folder the kit cannot write in); the command
line and the pytest plugin refuse it before anything is run or written. :func:`write_whole`
writes a file through a temporary file in its folder and moves it over the name, which
replaces a symbolic link of that name instead of writing through it, so nothing outside the
folder is ever touched.

:func:`target_label` and :func:`results_folder` name a run's target by what it is: the
``--label`` given to ``run``, else the profile's name beside the target, so that two runs of
one URL with different profiles never share a folder. A subset run (a ``--rule``, ``--scenario``,
``-k`` or ``-m`` selection, a re-run among them) is named by its selection as well
(:func:`subset_folder`): it writes beside the full run, never over it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "SUBSET_MARK",
    "folder_problem",
    "results_folder",
    "selection_slug",
    "subset_folder",
    "target_label",
    "write_whole",
]

#: What separates the full run's folder name from a subset's selection: ``results/inprocess--BR-DELETE``.
SUBSET_MARK = "--"
#: The longest selection slug kept whole; a longer one is cut and ends with a hash of the whole.
MAX_SLUG = 80


def _slug(text: str) -> str:
    """``text`` as one safe folder name: letters, digits, ``.``, ``_`` and ``-`` (no leading dot)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")


def _target_slug(target: str) -> str:
    return _slug(target.split("://", 1)[-1])


def target_label(target: str, profile: str | Path | None = None, label: str | None = None) -> str:
    """What the results call their target: the ``--label`` given, else the profile's name (its
    file name without ``.toml``) and the target (``vendor-sandbox at https://billing.example``),
    else the target as given (``inprocess``, ``http://127.0.0.1:8080``)."""
    if label and label.strip():
        return " ".join(label.split())
    if profile:
        return f"{Path(profile).stem} at {target}"
    return target


def results_folder(target: str, profile: str | Path | None = None, label: str | None = None) -> Path:
    """The default results folder of a run, in the current folder: ``results/<label>`` for a
    ``--label``, ``results/<profile>-<target>`` for a profile (``results/variant-127.0.0.1-18081``),
    else ``results/<target>`` (``results/inprocess``, ``results/127.0.0.1-8080``)."""
    if label and label.strip():
        name = _slug(label)
    elif profile:
        name = "-".join(part for part in (_slug(Path(profile).stem), _target_slug(target)) if part)
    else:
        name = _target_slug(target)
    return Path("results") / (name or "target")


def selection_slug(selection: Iterable[str]) -> str:
    """The selection (rule IDs, scenario names, ``-k``/``-m`` expressions, in order) as one folder
    name: ``BR-CANCEL-PAUSED--The-schedule-is-paused``; empty for no selection. One longer than
    :data:`MAX_SLUG` is cut and ends with 8 hex digits of the whole selection's hash, so that two
    selections never share a name."""
    words = [_slug(word) for word in selection]
    slug = SUBSET_MARK.join(word for word in words if word)
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256("\0".join(selection).encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-.')}-{digest}"


def subset_folder(full: Path, selection: Iterable[str]) -> Path:
    """Where a subset run of the full run written in ``full`` goes: beside it, its name followed by
    ``--`` and the selection's slug (``results/inprocess--BR-DELETE``); ``full`` itself for no
    selection."""
    slug = selection_slug(selection)
    return full.with_name(f"{full.name}{SUBSET_MARK}{slug}") if slug else full


def folder_problem(folder: Path, names: Iterable[str] = ()) -> str | None:
    """Why ``folder`` cannot take the files ``names`` (None when it can), in words that start
    with ``folder``. A folder that does not
    exist yet can be used when its nearest existing parent is a folder the kit may create it in.
    Checking leaves nothing behind."""
    absolute = Path(os.path.abspath(folder))
    missing = False
    for candidate in (absolute, *absolute.parents):
        where = f"{folder}" if candidate == absolute else f"{folder}: {candidate}"
        kind = _kind(candidate)
        if kind == "missing":
            missing = True
            continue
        if kind != "folder":
            return f"{where} {kind}"
        if not missing:
            clash = next((name for name in names if (candidate / name).is_dir()), None)
            if clash is not None:
                return f"{folder}: {candidate / clash} is a folder, not a file"
        unwritable = _unwritable(candidate, make_folder=missing)
        if unwritable is not None:
            return f"{folder}: cannot write in {candidate} ({unwritable})"
        return None
    return f"{folder}: no part of it exists"  # pragma: no cover - "/" always exists


def _kind(path: Path) -> str:
    """``folder``, ``missing`` (nothing by that name), or what ``path`` is instead, in words."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if error.errno == errno.ENOTDIR:
            return "is under a file, not a folder"
        if error.errno != errno.ENOENT:
            return f"cannot be read ({error.strerror or error})"
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        return "missing"
    return "folder" if stat.S_ISDIR(mode) else "is a file, not a folder"


def _unwritable(folder: Path, *, make_folder: bool) -> str | None:
    """Why the kit cannot write a file (or, with ``make_folder``, make a folder) in ``folder``:
    tried for real, since permissions alone do not say (root, a read-only file system)."""
    try:
        if make_folder:
            os.rmdir(tempfile.mkdtemp(prefix=".billing-conformance-", dir=folder))
        else:
            handle, probe = tempfile.mkstemp(prefix=".billing-conformance-", dir=folder)
            os.close(handle)
            os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    return None


def write_whole(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file in its folder, moved over the name when complete:
    a stopped run leaves the file as it was or as it is now, and a symbolic link of that name is
    replaced, never followed."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # as an ordinary file (mkstemp makes it private)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
