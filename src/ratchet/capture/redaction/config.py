"""What a project may add to or take from the built-in redaction rules, and the ruleset version.

The config is data (it lives in project settings), so it is a pydantic model
that refuses mistakes at load time: a regex that does not compile is named in
the error instead of failing later on a span. The ruleset version changes
whenever the rules that produced a stored span could differ, so a span's
``redaction_version`` says exactly which rules it went through.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Bumped whenever the built-in detectors or key rules change behaviour.
RULESET_VERSION = "2026.11-2"

#: Entity types the built-in detectors emit (the pseudonym's type prefix).
BUILTIN_ENTITIES = ("EMAIL", "PHONE", "CARD", "IBAN", "IP", "SSN", "JWT", "SECRET")

#: Finer-grained detector names, for disabling one part of an entity.
BUILTIN_DETECTORS = (
    "email",
    "phone",
    "card",
    "iban",
    "ipv4",
    "ipv6",
    "ssn",
    "jwt",
    "secret_prefix",
    "private_key_block",
    "auth_header",
    "url_credentials",
    "secret_assignment",
)

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def compile_user_regex(pattern: str, where: str) -> re.Pattern[str]:
    """Compile a user-supplied regex, or raise a ValueError naming it and where it came from."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f'{where}: invalid regular expression "{pattern}": {exc}') from None
    if compiled.fullmatch("") is not None:
        raise ValueError(
            f'{where}: regular expression "{pattern}" matches the empty string; '
            "make it require at least one character"
        )
    return compiled


class ExtraPattern(BaseModel):
    """A project-specific entity: every match of ``regex`` becomes ``<NAME:…>``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    regex: str

    @field_validator("name")
    @classmethod
    def _upper_name(cls, value: str) -> str:
        if not _NAME_RE.fullmatch(value):
            raise ValueError(
                f"extra pattern name {value!r} must start with a letter and hold only "
                "letters, digits and underscores (it becomes the pseudonym's type)"
            )
        return value.upper()

    @model_validator(mode="after")
    def _regex_compiles(self) -> ExtraPattern:
        compile_user_regex(self.regex, f"extra pattern {self.name}")
        return self


class RedactionConfig(BaseModel):
    """A project's additions to the built-in rules; the defaults are the built-in rules alone.

    Attributes:
        extra_key_patterns: globs (``*`` and ``?``, case-insensitive) for keys whose
            whole value is a secret, on top of the built-in key rules.
        extra_patterns: custom entities found in values, each ``{name, regex}``.
        allow_values: exact values that are never redacted (a shared support address).
        allow_patterns: regexes; a detected value they fully match is kept.
        disabled_detectors: entity types (``PHONE``) or detector names (``ipv6``)
            to switch off. Key rules cannot be switched off, only extended.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    extra_key_patterns: list[str] = Field(default_factory=list)
    extra_patterns: list[ExtraPattern] = Field(default_factory=list)
    allow_values: list[str] = Field(default_factory=list)
    allow_patterns: list[str] = Field(default_factory=list)
    disabled_detectors: list[str] = Field(default_factory=list)

    @field_validator("extra_key_patterns")
    @classmethod
    def _globs_not_empty(cls, value: list[str]) -> list[str]:
        for glob in value:
            if not glob.strip():
                raise ValueError("extra_key_patterns: an empty glob would match no key; remove it")
        return value

    @field_validator("allow_patterns")
    @classmethod
    def _allow_patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            compile_user_regex(pattern, "allow pattern")
        return value

    @model_validator(mode="after")
    def _known_detectors(self) -> RedactionConfig:
        known = {name.lower() for name in (*BUILTIN_ENTITIES, *BUILTIN_DETECTORS)}
        known.update(extra.name.lower() for extra in self.extra_patterns)
        for name in self.disabled_detectors:
            if name.lower() not in known:
                choices = ", ".join(sorted(known))
                raise ValueError(f"disabled_detectors: unknown detector {name!r}; known: {choices}")
        return self

    def disabled(self) -> frozenset[str]:
        """The disabled names, lower-cased for matching against entities and detectors."""
        return frozenset(name.lower() for name in self.disabled_detectors)


def ruleset_version(config: RedactionConfig) -> str:
    """The built-in ruleset version, plus a short hash of the config when it is not the default.

    Two projects with the same non-default config get the same version; any
    change to the config changes it.
    """
    if config == RedactionConfig():
        return RULESET_VERSION
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
    return f"{RULESET_VERSION}+{digest}"
