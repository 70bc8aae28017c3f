"""Free-text scanning: one RE2 pass picks the detectors worth running, then overlaps resolve.

Most strings in a span hold no sensitive value at all, so the cost that
matters is saying "nothing here" quickly. All detectors' prefilters sit in
one RE2 set, matched in a single linear pass; only detectors whose prefilter
hit run their own pattern and check. Findings then compete for the text:
lower priority number first, then longer, so a password inside a connection
string stays a SECRET rather than half an e-mail address.
"""

from __future__ import annotations

import re

import re2

from ratchet.capture.redaction.config import RedactionConfig, compile_user_regex
from ratchet.capture.redaction.detector import Detector, Finding, ScanContext
from ratchet.capture.redaction.keys import KeyRules
from ratchet.capture.redaction.pii_detectors import pii_detectors
from ratchet.capture.redaction.pseudonym import Pseudonymizer, pseudonym_spans
from ratchet.capture.redaction.secret_detectors import secret_detectors

#: Strings shorter than this hold no detectable value ("a@b.co" is the shortest).
MIN_SCAN_LENGTH = 6


def _custom_detector(name: str, regex: str) -> Detector:
    pattern = compile_user_regex(regex, f"extra pattern {name}")

    def check(match: re.Match[str], _: ScanContext) -> Finding | None:
        return Finding(match.start(), match.end(), name, match.group(), 0)

    return Detector(name.lower(), name, 0, pattern, check, regex)


class TextScanner:
    """Finds and replaces sensitive values in one string, per a project's config."""

    __slots__ = ("_allow_re", "_allow_values", "_always", "_keys", "_prefilter", "_tagged")

    def __init__(self, config: RedactionConfig, keys: KeyRules) -> None:
        disabled = config.disabled()
        detectors = [
            *(_custom_detector(extra.name, extra.regex) for extra in config.extra_patterns),
            *secret_detectors(),
            *pii_detectors(),
        ]
        active = [
            d for d in detectors if d.name not in disabled and d.entity.lower() not in disabled
        ]
        self._keys = keys
        self._prefilter = re2.Set.SearchSet()
        self._tagged: list[Detector] = []
        self._always: list[Detector] = []
        for detector in active:
            try:
                if detector.prefilter is None:
                    raise re2.error("no prefilter")
                self._prefilter.Add(detector.prefilter)
            except re2.error:
                # look-around or back-references: RE2 cannot say, so always run it
                self._always.append(detector)
            else:
                self._tagged.append(detector)
        if self._tagged:
            self._prefilter.Compile()
        self._allow_values = frozenset(config.allow_values)
        allow = config.allow_patterns
        self._allow_re = re.compile("|".join(f"(?:{p})" for p in allow)) if allow else None

    def findings(self, text: str, hints: frozenset[str] = frozenset()) -> list[Finding]:
        """The non-overlapping findings to replace in ``text``, in text order."""
        if len(text) < MIN_SCAN_LENGTH:
            return []
        candidates = self._candidates(text, hints)
        if not candidates:
            return []
        taken = pseudonym_spans(text)
        kept: list[Finding] = []
        candidates.sort(key=lambda f: (f.priority, f.start - f.end, f.start))
        for finding in candidates:
            if any(finding.start < end and start < finding.end for start, end in taken):
                continue
            if self._allowed(text[finding.start : finding.end], finding.normalised):
                continue
            taken.append((finding.start, finding.end))
            kept.append(finding)
        kept.sort(key=lambda f: f.start)
        return kept

    def redact(self, text: str, pseudonyms: Pseudonymizer, hints: frozenset[str]) -> str:
        """``text`` with every finding replaced by its pseudonym; ``text`` itself if none."""
        found = self.findings(text, hints)
        if not found:
            return text
        parts: list[str] = []
        pos = 0
        for finding in found:
            parts.append(text[pos : finding.start])
            parts.append(pseudonyms.pseudonym(finding.entity, finding.normalised))
            pos = finding.end
        parts.append(text[pos:])
        return "".join(parts)

    def could_match(self, text: str) -> bool:
        """Whether any detector might find something in ``text`` (one prefilter pass).

        False is certain; True only says a closer look is needed. Callers join
        many strings with NUL and ask once: no pattern matches across a NUL,
        so a miss on the whole is a miss on every part.
        """
        if self._always:
            return True
        return bool(self._tagged) and self._prefilter.Match(text) is not None

    def allowed_whole(self, value: str) -> bool:
        """Whether a whole value is on the allow-list (checked before key rules replace it)."""
        return self._allowed(value, value)

    def _candidates(self, text: str, hints: frozenset[str]) -> list[Finding]:
        hits = self._prefilter.Match(text) if self._tagged else None
        if hits is None and not self._always:
            return []
        context = ScanContext(hints, self._keys)
        found: list[Finding] = []
        for index in hits or ():
            found.extend(self._tagged[index].find(text, context))
        for detector in self._always:
            found.extend(detector.find(text, context))
        return found

    def _allowed(self, raw: str, normalised: str) -> bool:
        if raw in self._allow_values or normalised in self._allow_values:
            return True
        return self._allow_re is not None and self._allow_re.fullmatch(raw) is not None
