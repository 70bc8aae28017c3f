"""Key rules: what a value's key says about it before its content is read.

A key can make its value a secret (``password``, ``api_key``…: the whole value
is replaced, keeping only an auth scheme such as ``Bearer``), a user
identifier (pseudonymised whole, so it still joins), something never touched
(trace/span/session ids, token counts, model and tool names), or say nothing,
in which case the value's content is scanned, with hints the key gives
(``phone``, ``ssn``, ``version``, ``cookie``: a cookie header is judged pair
by pair, so ``theme=dark`` stays and ``session=…`` goes).
Keys are compared case-insensitively with ``-``, ``_`` and spaces ignored, so
``api_key``, ``apiKey`` and ``X-API-Key`` are one rule.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from enum import Enum

_SEGMENT_SPLIT = re.compile(r"[./:\[\]]+")
_IGNORED = str.maketrans("", "", "-_ \t")

# Anywhere in the key: these always name a secret.
_SECRET_FRAGMENTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "apikey",
    "accesstoken",
    "refreshtoken",
    "authtoken",
    "apitoken",
    "idtoken",
    "bearertoken",
    "sessiontoken",
    "csrftoken",
    "xsrftoken",
    "privatekey",
    "accesskey",
    "signingkey",
    "encryptionkey",
    "credential",
    "connectionstring",
)

# The whole last segment: secrets whose names are too short to match anywhere.
_SECRET_SEGMENTS = frozenset({"authorization", "proxyauthorization", "auth", "pwd", "token", "dsn"})
# Cookie headers are scanned pair by pair (theme=dark stays, session=… goes).
_COOKIE_SEGMENTS = frozenset({"cookie", "setcookie", "cookies"})

# ``<word>token`` is an API credential (``github_token``) unless the word makes it a
# count or a piece of text (``max_token``, ``stop_token``) or a paging cursor.
_NOT_SECRET_TOKEN_WORDS = (
    "stop", "eos", "bos", "pad", "unk", "sep", "cls", "mask", "special", "first", "last",
    "next", "page", "continuation", "sync", "cancellation", "max", "min", "num", "count",
    "input", "output", "prompt", "completion", "total", "reasoning", "cached", "audio",
    "image", "text", "start", "end", "per", "cursor",
)  # fmt: skip

_ID_KEYS = frozenset(
    {
        "traceid",
        "spanid",
        "parentspanid",
        "parentid",
        "sessionid",
        "trace.id",
        "span.id",
        "session.id",
        "parent.id",
        "genai.conversation.id",
        "otel.traceid",
        "otel.spanid",
    }
)
_COUNT_WORDS = frozenset(
    ("input", "output", "total", "prompt", "completion", "max", "maxoutput", "maxcompletion",
     "cached", "cachedinput", "reasoning", "audio", "image", "text", "num", "used", "remaining")
)  # fmt: skip
_NAME_SEGMENTS = frozenset({"model", "modelname", "toolname", "functionname", "spanname"})
_NAME_OWNERS = frozenset({"tool", "function", "span", "agent", "workflow"})
_USER_KEYS = frozenset({"user.id", "userid", "enduser.id", "enduserid", "genai.user.id"})
_PHONE_HINTS = ("phone", "mobile", "telephone", "fax", "msisdn", "whatsapp", "cellnumber")
_SSN_HINTS = ("ssn", "socialsecurity", "taxid", "taxpayerid")

_CACHE_LIMIT = 16_384


class KeyClass(Enum):
    """What a key says about its value."""

    PLAIN = "plain"  # scan the content
    SECRET = "secret"  # replace the whole value
    USER = "user"  # pseudonymise the whole value as a user id
    KEEP = "keep"  # never touch


@dataclass(frozen=True, slots=True)
class KeyVerdict:
    """A key's class, the entity types its name hints at (``phone`` → PHONE), and
    whether the key itself could hold a sensitive value (``{"jane@example.com": …}``).
    """

    kind: KeyClass
    hints: frozenset[str] = frozenset()
    scan_key: bool = False


_PLAIN = KeyVerdict(KeyClass.PLAIN)
# Keys shaped like identifiers (llm.input_messages.0.message.content) hold no value worth scanning.
_IDENTIFIER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\- ]*")


class KeyRules:
    """Classifies keys by the built-in rules plus a project's extra globs; memoised per key."""

    __slots__ = ("_cache", "_extra")

    def __init__(self, extra_globs: list[str] | None = None) -> None:
        globs = [glob.strip().lower() for glob in extra_globs or []]
        self._extra = (
            re.compile("|".join(fnmatch.translate(glob) for glob in globs)) if globs else None
        )
        self._cache: dict[str, KeyVerdict] = {}

    def classify(self, key: str | None) -> KeyVerdict:
        """The verdict for one key; ``None`` (no key) is plain."""
        if not key:
            return _PLAIN
        found = self._cache.get(key)
        if found is None:
            found = self._classify(key)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _classify(self, key: str) -> KeyVerdict:
        verdict = self._classify_name(key)
        if _IDENTIFIER_KEY.fullmatch(key) and sum(map(str.isdigit, key)) < 4:
            return verdict
        return KeyVerdict(verdict.kind, verdict.hints, scan_key=True)

    def _classify_name(self, key: str) -> KeyVerdict:
        lower = key.strip().lower()
        compact = lower.translate(_IGNORED)
        segments = [s for s in _SEGMENT_SPLIT.split(compact) if s]
        last = segments[-1] if segments else compact
        if _is_kept(compact, segments, last):
            return KeyVerdict(KeyClass.KEEP)
        if _is_secret(compact, last) or self._extra_match(lower):
            return KeyVerdict(KeyClass.SECRET)
        if compact in _USER_KEYS:
            return KeyVerdict(KeyClass.USER)
        hints: set[str] = set()
        if any(word in compact for word in _PHONE_HINTS) or last in {"tel", "phonenumber", "cell"}:
            hints.add("PHONE")
        if any(word in compact for word in _SSN_HINTS):
            hints.add("SSN")
        if "version" in compact:
            hints.add("VERSION")
        if last in _COOKIE_SEGMENTS:
            hints.add("COOKIE")
        return KeyVerdict(KeyClass.PLAIN, frozenset(hints)) if hints else _PLAIN

    def _extra_match(self, lower: str) -> bool:
        if self._extra is None:
            return False
        last = lower.rsplit(".", 1)[-1]
        return self._extra.match(lower) is not None or self._extra.match(last) is not None


def _is_kept(compact: str, segments: list[str], last: str) -> bool:
    if compact in _ID_KEYS:
        return True
    # token counts (llm.token_count.prompt, gen_ai.usage.input_tokens, max_tokens),
    # but not "tokens" alone nor access_tokens: those may hold credentials
    if "tokencount" in compact or (last.endswith("tokens") and last[:-6] in _COUNT_WORDS):
        return True
    if last in _NAME_SEGMENTS:
        return True
    return last == "name" and len(segments) >= 2 and segments[-2] in _NAME_OWNERS


def _is_secret(compact: str, last: str) -> bool:
    if any(fragment in compact for fragment in _SECRET_FRAGMENTS):
        return True
    if last in _SECRET_SEGMENTS:
        return True
    if last.endswith("token"):
        word = last[: -len("token")]
        return not any(word.endswith(w) for w in _NOT_SECRET_TOKEN_WORDS)
    return False


def key_gate_pattern(extra_globs: list[str] | None = None) -> str:
    """One RE2 pattern matching, in raw text or JSON, every key these rules would replace.

    It over-matches (that only costs a closer look) but never misses: a key
    the rules call secret or user contains one of the fragments below, ends
    in one of the segments below, or matches a project glob's literal parts,
    and is followed by a quote (``\\"`` when the JSON is itself in a
    string), then ``:`` or ``=``, maybe after whitespace (escaped or not).
    """
    sep = r"[-_ \t]*"
    anywhere = "|".join(
        (
            "passw(?:or)?d",
            f"(?:access|refresh|auth|api|id|bearer|session|csrf|xsrf){sep}token",
            "passphrase",
            "secret",
            f"api{sep}key",
            f"(?:private|access|signing|encryption){sep}key",
            "credential",
            f"connection{sep}string",
        )
    )
    # segments that must end the key: "token" but not "max_tokens"
    ending = r"token|authorization|cookie|auth|pwd|dsn|user[-_ .]*id"
    # whitespace before the colon may arrive JSON-escaped (\n, or \\n when nested)
    tail = r"\\*[\"']?(?:\s|\\+[nrt])*[:=]"
    alternatives = [rf"(?i:(?:{anywhere})[\w.\- ]{{0,48}}{tail})", rf"(?i:(?:{ending}){tail})"]
    for glob in extra_globs or []:
        pieces = [re.escape(piece) for piece in re.split(r"[*?]+", glob.lower()) if piece]
        alternatives.append("(?i:" + ".*".join(pieces) + ")" if pieces else "(?:)")
    return "|".join(alternatives)
