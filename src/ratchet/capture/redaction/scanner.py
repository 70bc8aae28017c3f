"""Free-text scanning: one RE2 pass picks the detectors worth running, then overlaps resolve.

Most strings hold no sensitive value at all, so the cost that matters is
saying "nothing here" quickly. All detectors' prefilters sit in one RE2 set,
matched in a single linear pass; only detectors whose prefilter hit run.
Findings then compete for the text: lower priority number first, then
longer, so a password inside a connection string stays a SECRET rather than
half an e-mail address.

A replacement can change what its neighbours look like, so a redacted text
is looked at again, but only when a prefilter still matches it with the
pseudonyms masked out, and then only with the detectors that matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import re2

from ratchet.capture.redaction.config import RedactionConfig, compile_user_regex
from ratchet.capture.redaction.detector import Detector, Finder, Finding, ScanContext
from ratchet.capture.redaction.keys import KeyRules, key_gate_pattern
from ratchet.capture.redaction.pii_detectors import pii_detectors
from ratchet.capture.redaction.pseudonym import Pseudonymizer, pseudonym_spans
from ratchet.capture.redaction.secret_detectors import find_cookie_header, secret_detectors

#: Strings shorter than this hold no detectable value ("a@b.co" is the shortest).
MIN_SCAN_LENGTH = 6
_MAX_PASSES = 4
_HITS_LIMIT = 1_024


class GateHit(NamedTuple):
    """What the gate found: the detectors to run, and which gate patterns matched.

    ``patterns`` lists the matched patterns' indices, for :meth:`TextScanner.narrow`
    to tell which parts of a joined text hold them. It is empty when some
    detector cannot be prefiltered (a project pattern RE2 cannot read): then
    every part must be walked.
    """

    detectors: tuple[Detector, ...]
    patterns: tuple[int, ...]


def _custom_detector(name: str, regex: str) -> Detector:
    pattern = compile_user_regex(regex, f"extra pattern {name}")

    def find(context: ScanContext) -> list[Finding]:
        return [
            Finding(m.start(), m.end(), name, m.group(), 0)
            for m in pattern.finditer(context.text)
            if m.end() > m.start()
        ]

    finder: Finder = find
    return Detector(name.lower(), name, finder, regex if _gate_safe(regex) else None)


# The gate reads JSON documents escaped (a newline is "\n", a quote "\""), so a
# project pattern may prefilter only if escaping cannot change whether it matches:
# no anchors or word boundaries, no whitespace classes. Others always run.
_GATE_UNSAFE = ("^", "$", "\\b", "\\B", "\\A", "\\Z", "\\z", "\\s", "\\S", '"', "\\n")


def _gate_safe(regex: str) -> bool:
    return not any(token in regex for token in _GATE_UNSAFE)


def _set_of(patterns: list[str]) -> re2.Set:
    compiled = re2.Set.SearchSet()
    for pattern in patterns:
        compiled.Add(pattern)
    compiled.Compile()
    return compiled


class TextScanner:
    """Finds and replaces sensitive values in one string, per a project's config."""

    __slots__ = (
        "_allow_re",
        "_allow_values",
        "_always",
        "_gate",
        "_hits",
        "_keys",
        "_narrowed",
        "_prefilter",
        "_tagged",
    )

    def __init__(self, config: RedactionConfig, keys: KeyRules) -> None:
        disabled = config.disabled()
        key_pattern = key_gate_pattern(config.extra_key_patterns)
        detectors = [
            *(_custom_detector(extra.name, extra.regex) for extra in config.extra_patterns),
            *secret_detectors(key_pattern),
            *pii_detectors(),
        ]
        self._keys = keys
        self._tagged: list[Detector] = []
        always: list[Detector] = []
        prefilters: list[str] = []
        for detector in detectors:
            if detector.name in disabled or detector.entity.lower() in disabled:
                continue
            if detector.prefilter is not None and _re2_accepts(detector.prefilter):
                self._tagged.append(detector)
                prefilters.append(detector.prefilter)
            else:
                # look-around or back-references: RE2 cannot say, so always run it
                always.append(detector)
        self._always = tuple(always)
        self._prefilter = _set_of(prefilters) if prefilters else None
        # The gate also reads whole JSON documents unparsed, so it adds secret-key names.
        self._gate = _set_of([*prefilters, key_pattern])
        self._hits: dict[tuple[int, ...], GateHit] = {}
        # each answer boxed in a 1-tuple, so that None (no detector) can be remembered too
        self._narrowed: dict[tuple[tuple[int, ...], ...], tuple[tuple[Detector, ...] | None]] = {}
        self._allow_values = frozenset(config.allow_values)
        allow = config.allow_patterns
        self._allow_re = re.compile("|".join(f"(?:{p})" for p in allow)) if allow else None

    def findings(
        self,
        text: str,
        hints: frozenset[str] = frozenset(),
        detectors: Sequence[Detector] | None = None,
    ) -> list[Finding]:
        """The non-overlapping findings to replace in ``text``, in text order.

        ``detectors`` narrows the scan to those the gate already found possible
        (it saves the per-string prefilter pass); None asks the prefilter.
        """
        if len(text) < MIN_SCAN_LENGTH:
            return []
        if detectors is None:
            hits = self._prefilter.Match(text) if self._prefilter is not None else None
            if hits is None and not self._always and not hints:
                return []
            detectors = [*(self._tagged[i] for i in hits or ()), *self._always]
        context = ScanContext(text, hints, self._keys)
        candidates: list[Finding] = []
        for detector in detectors:
            candidates.extend(detector.finder(context))
        if "COOKIE" in hints:  # the key said this string is a cookie header
            candidates.extend(find_cookie_header(context))
        if not candidates:
            return []
        if len(candidates) == 1 and "<" not in text:
            # the common case: one finding and no pseudonym it could overlap
            finding = candidates[0]
            if self._allowed(text[finding.start : finding.end], finding.normalised):
                return []
            return candidates
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

    def redact(
        self,
        text: str,
        pseudonyms: Pseudonymizer,
        hints: frozenset[str],
        detectors: Sequence[Detector] | None = None,
    ) -> str:
        """``text`` with every finding replaced by its pseudonym; ``text`` itself if none.

        Some checks read a value's neighbours (a digit group right after an id
        is part of it), and a neighbour may itself be replaced; so the result is
        scanned again until nothing changes, which makes redaction idempotent.
        """
        for _ in range(_MAX_PASSES):
            found = self.findings(text, hints, detectors)
            if not found:
                break
            parts: list[str] = []
            pos = 0
            for finding in found:
                parts.append(text[pos : finding.start])
                parts.append(pseudonyms.pseudonym(finding.entity, finding.normalised))
                pos = finding.end
            parts.append(text[pos:])
            text = "".join(parts)
            # Look again only if something outside the new pseudonyms could still match.
            parts[1::2] = ["<>"] * len(found)
            detectors = self._still_possible("".join(parts), hints, detectors)
            if detectors == ():
                break
        return text

    def _still_possible(
        self, masked: str, hints: frozenset[str], detectors: Sequence[Detector] | None
    ) -> tuple[Detector, ...]:
        """The detectors worth another pass over text whose pseudonyms are ``masked`` out.

        Those whose prefilter matches the masked text, even if they were not
        asked for: a replacement can be what makes a neighbour acceptable
        (``Bearer <SECRET:…>415…``), and every caller must reach the same
        fixed point, whatever detectors its first pass was narrowed to.
        """
        hits = self._prefilter.Match(masked) if self._prefilter is not None else None
        possible = tuple(self._tagged[i] for i in hits or ())
        if self._always or "COOKIE" in hints:
            # these cannot be prefiltered: run them all again
            if detectors is None:
                return self.all_detectors()
            return (*detectors, *(d for d in possible if d not in detectors))
        return possible

    def gate(self, text: str | bytes) -> GateHit | None:
        """Which detectors might fire on ``text`` or a JSON document it holds, unparsed.

        None is certain: nothing would change, not even by a nested key rule.
        A hit says a closer look is needed and which detectors it needs.
        Callers may join many strings and ask once: a match in any part is a
        match in the whole, as the prefilters anchor only on what may
        separate the parts (quotes, commas, line breaks).
        """
        hits = self._gate.Match(text)
        if hits is None:
            return GateHit(self._always, ()) if self._always else None
        key = tuple(hits)
        hit = self._hits.get(key)
        if hit is None:
            # few combinations ever match: build each once
            tagged = self._tagged
            count = len(tagged)
            detectors = (*(tagged[i] for i in hits if i < count), *self._always)
            hit = GateHit(detectors, () if self._always else key)
            if len(self._hits) >= _HITS_LIMIT:
                self._hits.clear()
            self._hits[key] = hit
        return hit

    def part_patterns(self, text: str | bytes) -> list[int] | None:
        """The gate patterns that match one part of a text :meth:`gate` read whole (None: none)."""
        found: list[int] | None = self._gate.Match(text)
        return found

    def narrow(self, hit: GateHit, found: list[int]) -> tuple[Detector, ...] | None:
        """The detectors of ``hit`` among the ``found`` patterns of one of its parts.

        None: the part holds none of them, nor a secret-looking key name; an
        empty tuple: it holds only such a name, for the key rules to judge.
        """
        key = (hit.patterns, tuple(found))
        known = self._narrowed.get(key)
        if known is not None:
            return known[0]
        # in the order the gate found them, as a walk of the whole text would run them
        matched = [i for i in hit.patterns if i in found]
        tagged = self._tagged
        count = len(tagged)
        narrowed = tuple(tagged[i] for i in matched if i < count) if matched else None
        if len(self._narrowed) >= _HITS_LIMIT:
            self._narrowed.clear()
        self._narrowed[key] = (narrowed,)
        return narrowed

    def all_detectors(self) -> tuple[Detector, ...]:
        """Every active detector, for when the gate cannot read a value."""
        return (*self._tagged, *self._always)

    def allowed_whole(self, value: str) -> bool:
        """Whether a whole value is on the allow-list (checked before key rules replace it)."""
        return self._allowed(value, value)

    def _allowed(self, raw: str, normalised: str) -> bool:
        allow_values = self._allow_values
        if allow_values and (raw in allow_values or normalised in allow_values):
            return True
        return self._allow_re is not None and self._allow_re.fullmatch(raw) is not None


def _re2_accepts(pattern: str) -> bool:
    try:
        re2.compile(pattern)
    except re2.error:
        return False
    return True
