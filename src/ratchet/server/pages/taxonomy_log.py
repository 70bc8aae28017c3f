"""The taxonomy log's lines: shared with `ratchet taxonomy log` (ratchet.review.taxonomy_text)."""

from __future__ import annotations

from ratchet.review.taxonomy_text import describe

__all__ = ["describe"]
