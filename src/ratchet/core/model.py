"""The base of every vocabulary model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose validator is built on first use, not at import.

    Every CLI command imports the whole vocabulary; building each schema
    eagerly would cost start-up time on commands that touch only a few.
    """

    model_config = ConfigDict(defer_build=True)
