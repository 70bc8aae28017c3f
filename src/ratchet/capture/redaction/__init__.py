"""Deterministic redaction of spans before anything is persisted.

Use :class:`Redactor` (one per project secret and config); see
:class:`RedactionConfig` for what a project can add or allow.
"""

from ratchet.capture.redaction.config import (
    RULESET_VERSION,
    ExtraPattern,
    RedactionConfig,
    ruleset_version,
)
from ratchet.capture.redaction.pseudonym import PSEUDONYM_RE, is_pseudonym
from ratchet.capture.redaction.redactor import Redactor

__all__ = [
    "PSEUDONYM_RE",
    "RULESET_VERSION",
    "ExtraPattern",
    "RedactionConfig",
    "Redactor",
    "is_pseudonym",
    "ruleset_version",
]
