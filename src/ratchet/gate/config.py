"""``ratchet.toml`` (or ``[tool.ratchet]`` in pyproject.toml): what the release side reads.

Everything here has a flag too; ``gate`` and ``run`` need no config file
when their flags give the suite and the agent.

```toml
suite = "evals"
agent = "myapp.agent:run"
server = "https://ratchet.example.com"   # for `gate --server` and `fixtures pull`
project = "support"

[artifacts]                              # change type -> file globs
prompt = ["prompts/**"]
policy = ["policies/*.yaml"]

[[online_checks]]                        # pushed with `ratchet online-checks push`
id = "refund-needs-approval"
sample_rate = 0.5
filter = { surface = "refunds" }
expect = { order = [["approval:required", "@side_effect"]] }
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from ratchet.core.errors import RatchetError
from ratchet.fixtures.model import ALL_CHANGE_TYPES, ChangeType

CONFIG_FILE = "ratchet.toml"
_KEYS = (
    "suite",
    "agent",
    "server",
    "project",
    "artifacts",
    "timeout_s",
    "concurrency",
    "online_checks",
)


@dataclass(frozen=True)
class GateConfig:
    suite: str = "evals"
    agent: str | None = None
    server: str | None = None
    project: str | None = None
    artifacts: dict[ChangeType, list[str]] = field(default_factory=dict)
    timeout_s: float = 30.0
    concurrency: int = 8
    #: ``[[online_checks]]`` tables as written; the review stage validates them.
    online_checks: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None  # the file it came from, if any

    @property
    def root(self) -> Path:
        """The folder relative paths are read from: the config's, else the working folder."""
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``ratchet.toml``, or pyproject.toml with ``[tool.ratchet]``, upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            section = _read_toml(pyproject).get("tool", {}).get("ratchet")
            if isinstance(section, dict):
                return pyproject, section
        if (folder / ".git").exists():
            break  # a repository's config lives inside it
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RatchetError(f"{path}: cannot read it ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RatchetError(f"{path}: not valid TOML ({exc}); fix the file") from exc


def load_config(start: Path | None = None, explicit: Path | None = None) -> GateConfig:
    """Read the config named by ``--config``, else the nearest one; defaults when none."""
    if explicit is not None:
        if not explicit.is_file():
            raise RatchetError(f"--config {explicit}: no such file")
        data = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("ratchet", {})
        return parse_config(data, explicit)
    found = find_config((start or Path.cwd()).resolve())
    if found is None:
        return GateConfig()
    return parse_config(found[1], found[0])


def parse_config(data: dict[str, Any], path: Path | None) -> GateConfig:
    where = str(path) if path else "config"
    for key in data:
        if key not in _KEYS:
            hint = get_close_matches(key, _KEYS, n=1)
            also = f"; did you mean `{hint[0]}`?" if hint else f"; known keys: {', '.join(_KEYS)}"
            raise RatchetError(f"{where}: unknown key `{key}`{also}")
    for key in ("suite", "agent", "server", "project"):
        if key in data and not isinstance(data[key], str):
            raise RatchetError(f'{where}: `{key}` must be a string, e.g. {key} = "…"')
    artifacts: dict[ChangeType, list[str]] = {}
    raw = data.get("artifacts", {})
    if not isinstance(raw, dict):
        raise RatchetError(f"{where}: `artifacts` must be a table of change type = [globs]")
    names = [t.value for t in ALL_CHANGE_TYPES]
    for kind, globs in raw.items():
        if kind not in names:
            hint = get_close_matches(kind, names, n=1)
            also = f"did you mean `{hint[0]}`?" if hint else f"change types: {', '.join(names)}"
            raise RatchetError(f"{where}: [artifacts] `{kind}` is not a change type; {also}")
        if isinstance(globs, str):
            globs = [globs]
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            raise RatchetError(
                f'{where}: [artifacts] {kind} must be a list of globs, e.g. ["prompts/**"]'
            )
        artifacts[ChangeType(kind)] = list(globs)
    online = data.get("online_checks", [])
    if not isinstance(online, list) or not all(isinstance(r, dict) for r in online):
        raise RatchetError(
            f"{where}: write online checks as [[online_checks]] tables (id, filter, expect)"
        )
    try:
        return GateConfig(
            suite=str(data.get("suite", "evals")),
            agent=data.get("agent"),
            server=data.get("server"),
            project=data.get("project"),
            artifacts=artifacts,
            timeout_s=float(data.get("timeout_s", 30.0)),
            concurrency=int(data.get("concurrency", 8)),
            online_checks=list(online),
            path=path,
        )
    except (TypeError, ValueError) as exc:
        raise RatchetError(f"{where}: {exc}") from exc
