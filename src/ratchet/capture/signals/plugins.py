"""Plugin detectors: the ``ratchet.detectors`` entry point group, loaded once, on first need.

Each entry point names a module (``mypkg.detectors``) or an object in one
(``mypkg.detectors:loops``); loading it imports the module, whose
``@trace_detector`` / ``@session_detector`` decorators register its
detectors. A plugin that fails to load (an import error, a name already
taken) is remembered with the reason and reported by every detection pass,
which carries on with the detectors that did load.
"""

from __future__ import annotations

import importlib.metadata
import threading
from dataclasses import dataclass

GROUP = "ratchet.detectors"


@dataclass(frozen=True)
class BrokenPlugin:
    """An entry point that did not load, and why."""

    name: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        return f"detector plugin {self.name!r} ({self.value}) failed to load: {self.reason}"


_lock = threading.Lock()
_broken: tuple[BrokenPlugin, ...] | None = None


def reason(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    text = lines[0][:160] if lines else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _load_all() -> tuple[BrokenPlugin, ...]:
    try:
        found = importlib.metadata.entry_points(group=GROUP)
    except Exception as exc:  # a corrupt installed distribution
        return (BrokenPlugin("(entry points)", GROUP, reason(exc)),)
    broken: list[BrokenPlugin] = []
    seen: set[tuple[str, str]] = set()
    for entry in found:
        # The same distribution visible twice on sys.path lists its entry points twice.
        if (entry.name, entry.value) in seen:
            continue
        seen.add((entry.name, entry.value))
        try:
            entry.load()
        except Exception as exc:
            broken.append(BrokenPlugin(entry.name, entry.value, reason(exc)))
    return tuple(broken)


def load_plugins() -> tuple[BrokenPlugin, ...]:
    """Load every ``ratchet.detectors`` entry point (the first call only); the ones that broke."""
    global _broken
    if _broken is None:
        with _lock:
            if _broken is None:
                _broken = _load_all()
    return _broken


def reset_plugins() -> None:
    """Forget that plugins were loaded, so the next pass reads the entry points again.

    Detectors they registered stay registered; this is for tests and for
    long-lived processes that install plugins while running.
    """
    global _broken
    with _lock:
        _broken = None
