"""A project: one application's data, chosen by the API key that sends it."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import ConfigDict, field_validator

from ratchet.core.model import Model

PROJECT_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


class Project(Model):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    created_at: datetime

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        check_project_name(value)
        return value


def check_project_name(name: str) -> None:
    """Raise ValueError with advice when ``name`` cannot be a project name."""
    if not PROJECT_NAME_RE.match(name):
        raise ValueError(
            f"invalid project name {name!r}: use 1-63 lowercase letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
