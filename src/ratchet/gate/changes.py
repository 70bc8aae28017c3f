"""What changed: change types from a git diff, from two manifests, or named by flags.

Every change set carries a ``key``, a digest of the change itself (the diff,
the candidate manifest…), so a waiver given for it does not carry over to
the next change.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path

import orjson
import yaml

from ratchet.core.errors import RatchetError
from ratchet.core.traces import VersionManifest
from ratchet.fixtures.model import ALL_CHANGE_TYPES, ChangeType


@dataclass(frozen=True)
class ChangeSet:
    types: frozenset[ChangeType]
    source: str  # how it was found, for people: "git diff origin/main", "--change prompt"
    key: str
    files: tuple[str, ...] = ()
    # Changed files no artifact glob matches: they count as every change type.
    unmatched: tuple[str, ...] = ()
    by_type: dict[str, list[str]] = field(default_factory=dict)

    def describe(self) -> str:
        names = ", ".join(sorted(t.value for t in self.types)) or "nothing"
        return f"{names} (from {self.source})"


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()[:32]


def parse_change_types(values: list[str]) -> frozenset[ChangeType]:
    """``--change prompt --change policy,model`` → change types, with a hint on typos."""
    names = [t.value for t in ALL_CHANGE_TYPES]
    found: set[ChangeType] = set()
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            if part == "all":
                found.update(ALL_CHANGE_TYPES)
                continue
            if part not in names:
                hint = get_close_matches(part, names, n=1)
                also = f"did you mean `{hint[0]}`?" if hint else f"use one of: {', '.join(names)}"
                raise RatchetError(f"--change {part}: not a change type; {also}")
            found.add(ChangeType(part))
    return frozenset(found)


def from_flags(values: list[str], identity: str = "") -> ChangeSet:
    types = parse_change_types(values)
    label = (
        "all" if types == frozenset(ALL_CHANGE_TYPES) else ",".join(sorted(t.value for t in types))
    )
    return ChangeSet(
        types=types,
        source=f"--change {label}",
        key=_digest(b"flags", label.encode(), identity.encode()),
    )


def load_manifest(path: Path) -> VersionManifest:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RatchetError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise RatchetError(f"{path}: not valid YAML or JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise RatchetError(f"{path}: a manifest is a mapping of kind -> {{name: version}}")
    try:
        return VersionManifest.model_validate(data)
    except ValueError as exc:
        first = str(exc).splitlines()[1:3]
        raise RatchetError(f"{path}: not a version manifest ({' '.join(first)})") from exc


def from_manifests(baseline: Path, candidate: Path) -> ChangeSet:
    """Change types whose artifact versions differ between two manifests."""
    base, cand = load_manifest(baseline), load_manifest(candidate)
    types = frozenset(
        t for t in ALL_CHANGE_TYPES if getattr(base, t.value) != getattr(cand, t.value)
    )
    return ChangeSet(
        types=types,
        source=f"manifests {baseline.name} -> {candidate.name}",
        key=_digest(b"manifests", base.model_dump_json().encode(), cand.model_dump_json().encode()),
        by_type={
            t.value: sorted(
                f"{name}: {getattr(base, t.value).get(name, '-')} -> {version}"
                for name, version in getattr(cand, t.value).items()
                if getattr(base, t.value).get(name) != version
            )
            or [f"{name} removed" for name in getattr(base, t.value)]
            for t in types
        },
    )


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**`` spans folders, ``*`` and ``?`` stay within one."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def classify(
    files: list[str], artifacts: dict[ChangeType, list[str]]
) -> tuple[dict[ChangeType, list[str]], list[str]]:
    """Which change types each file belongs to; files matching no glob come back apart."""
    by_type: dict[ChangeType, list[str]] = {}
    unmatched: list[str] = []
    for path in files:
        hit = False
        for kind, globs in artifacts.items():
            if any(_glob_regex(g.removeprefix("./")).match(path) for g in globs):
                by_type.setdefault(kind, []).append(path)
                hit = True
        if not hit:
            unmatched.append(path)
    return by_type, unmatched


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise RatchetError("--since needs git, which is not installed here") from exc
    if done.returncode != 0:
        raise _GitFailed(done.stderr.decode(errors="replace").strip())
    return done.stdout


class _GitFailed(Exception):
    pass


def _inside(folders: tuple[Path, ...], root: Path) -> list[str]:
    """Those of ``folders`` that lie under ``root``, as ``relative/path/`` prefixes."""
    out = []
    base = root.resolve()
    for folder in folders:
        try:
            relative = folder.resolve().relative_to(base)
        except ValueError:
            continue
        if relative.parts:
            out.append(relative.as_posix() + "/")
    return out


def from_git(
    since: str,
    root: Path,
    artifacts: dict[ChangeType, list[str]],
    ignore: tuple[Path, ...] = (),
) -> ChangeSet:
    """Change types from the files that differ between ``since`` and the working tree.

    ``ignore`` names folders that are not the application (Ratchet's own state,
    ``./.ratchet`` by default): files under them are never a change.
    """
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except _GitFailed as exc:
        raise RatchetError(f"--since {since}: {root} is not inside a git repository") from exc
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}")
    except _GitFailed as exc:
        raise RatchetError(
            f"--since {since}: no such commit, branch or tag here; "
            "fetch it first (e.g. `git fetch origin main`) or name another ref"
        ) from exc
    # Pathspecs keep ignored folders out of the diff, and so out of the change's key.
    spec = ["--", ".", *(f":(exclude){prefix}" for prefix in _inside(ignore, root))]
    # --no-renames: a file moved out of an artifact glob changed that artifact too.
    diff = _git(root, "diff", "--binary", "--no-renames", "--relative", since, *spec)
    names = _git(root, "diff", "--name-only", "--no-renames", "--relative", since, *spec)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", *spec).decode()
    files = sorted({*names.decode().splitlines(), *untracked.splitlines()})
    extra = [
        name.encode() + b"\0" + _file_bytes(root / name) for name in sorted(untracked.splitlines())
    ]
    by_type, unmatched = classify(files, artifacts)
    types = set(by_type)
    if unmatched:
        types.update(ALL_CHANGE_TYPES)
    return ChangeSet(
        types=frozenset(types),
        source=f"git diff {since}",
        key=_digest(b"git", diff, *extra),
        files=tuple(files),
        unmatched=tuple(unmatched),
        by_type={k.value: v for k, v in by_type.items()},
    )


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def key_with(change: ChangeSet, *identity: str) -> str:
    """The change's key folded with more identity (e.g. the agent's source)."""
    return _digest(change.key.encode(), orjson.dumps(list(identity)))


_SKIP_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".ratchet"})


def artifacts_digest(root: Path, artifacts: dict[ChangeType, list[str]]) -> str:
    """A digest of every artifact file's path and content under ``root``.

    Agents read prompts and policies from these files, so a result replayed
    with one prompt must not be reused for another: the runner's cache key
    includes this digest.
    """
    if not artifacts:
        return ""
    digest = hashlib.sha256()
    for path in sorted(_walk(root)):
        rel = path.relative_to(root).as_posix()
        if classify([rel], artifacts)[0]:
            digest.update(rel.encode() + b"\0" + _file_bytes(path))
    return digest.hexdigest()


def _walk(root: Path) -> list[Path]:
    import os

    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
        found.extend(Path(folder) / name for name in files)
    return found
