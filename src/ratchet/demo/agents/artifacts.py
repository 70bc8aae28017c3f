"""The example application's artifact files: the prompt, refund policy and routes it runs with.

``refunds.run`` and ``scheduling.run`` read them on every call, the way an
application reads its prompt and policy files, so which version of an agent
runs is decided by files a release changes (and the gate diffs), not by
code. They are looked up in ``$RATCHET_DEMO_APP``, else the working folder
when it holds them, else the copy shipped with Ratchet.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

#: The example application as shipped: artifacts, ratchet.toml and fixtures.
SHIPPED_APP = Path(__file__).resolve().parent.parent / "app"
PROMPT_FILE = "prompts/scheduler-system.txt"
ROUTES_FILE = "routes/refund-routes.yaml"
POLICY_FILE = "policies/refund-policy.yaml"


def app_dir() -> Path:
    named = os.environ.get("RATCHET_DEMO_APP")
    if named:
        return Path(named)
    here = Path.cwd()
    if (here / PROMPT_FILE).is_file() or (here / ROUTES_FILE).is_file():
        return here
    return SHIPPED_APP


def read_text(name: str) -> str:
    return (app_dir() / name).read_text(encoding="utf-8").strip()


def read_yaml(name: str) -> dict[str, Any]:
    data = yaml.safe_load((app_dir() / name).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}
