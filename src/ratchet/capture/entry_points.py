"""Plugins from an entry point group, loaded once, on first need, never fatally.

Detectors (``ratchet.detectors``) and checks (``ratchet.checks``) come in
the same way: each entry point names a module (``mypkg.checks``) or an
object in one (``mypkg.checks:no_pii``); loading it imports the module,
whose decorators register what it holds. A plugin that fails to load (an
import error, a name already taken) is remembered with the reason, so the
caller can report it and carry on with the plugins that did load. Here,
the lowest stage that has plugins, so every stage above can share it.
"""

from __future__ import annotations

import importlib.metadata
import threading
from dataclasses import dataclass


def reason(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    text = lines[0][:160] if lines else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(frozen=True)
class BrokenPlugin:
    """An entry point that did not load, and why."""

    kind: str  # "check", "detector": what the message calls it
    name: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.kind} plugin {self.name!r} ({self.value}) failed to load: {self.reason}"


class PluginGroup:
    """One entry point group: :meth:`load` imports its plugins the first time it is called."""

    def __init__(self, group: str, kind: str) -> None:
        self.group = group
        self.kind = kind
        self._lock = threading.Lock()
        self._broken: tuple[BrokenPlugin, ...] | None = None

    def load(self) -> tuple[BrokenPlugin, ...]:
        """Load every entry point of the group (the first call only); the ones that broke."""
        if self._broken is None:
            with self._lock:
                if self._broken is None:
                    self._broken = self._load_all()
        return self._broken

    def reset(self) -> None:
        """Forget that plugins were loaded, so the next :meth:`load` reads the group again.

        What they registered stays registered; this is for tests and for
        long-lived processes that install plugins while running.
        """
        with self._lock:
            self._broken = None

    def _load_all(self) -> tuple[BrokenPlugin, ...]:
        try:
            found = importlib.metadata.entry_points(group=self.group)
        except Exception as exc:  # a corrupt installed distribution
            return (BrokenPlugin(self.kind, "(entry points)", self.group, reason(exc)),)
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
                broken.append(BrokenPlugin(self.kind, entry.name, entry.value, reason(exc)))
        return tuple(broken)
