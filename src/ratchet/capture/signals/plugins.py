"""Plugin detectors: the ``ratchet.detectors`` entry point group, loaded once, on first need.

A plugin that fails to load is reported by every detection pass, which
carries on with the detectors that did load (see
:mod:`ratchet.capture.entry_points`).
"""

from __future__ import annotations

from ratchet.capture.entry_points import BrokenPlugin, PluginGroup, reason

GROUP = "ratchet.detectors"
_PLUGINS = PluginGroup(GROUP, "detector")

load_plugins = _PLUGINS.load
reset_plugins = _PLUGINS.reset

__all__ = ["GROUP", "BrokenPlugin", "load_plugins", "reason", "reset_plugins"]
