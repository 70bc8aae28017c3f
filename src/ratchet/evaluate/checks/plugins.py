"""Plugin checks: the ``ratchet.checks`` entry point group, loaded once, on first need.

A plugin that fails to load is remembered with the reason, so each fixture
that needed it can say which plugin broke instead of the run crashing (see
:mod:`ratchet.capture.entry_points`).
"""

from __future__ import annotations

from ratchet.capture.entry_points import BrokenPlugin, PluginGroup

GROUP = "ratchet.checks"
_PLUGINS = PluginGroup(GROUP, "check")

load_plugins = _PLUGINS.load
reset_plugins = _PLUGINS.reset

__all__ = ["GROUP", "BrokenPlugin", "load_plugins", "reset_plugins"]
