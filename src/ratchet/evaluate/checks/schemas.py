"""JSON Schema validation for checks, with each schema compiled once.

Building a validator (resolving the metaschema, checking the schema) costs
far more than validating a small document, and the same fixture's schema is
used on every run, so validators are cached under a stable key: the schema's
canonical JSON. jsonschema is imported on first use; most runs never need it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import orjson

from ratchet.evaluate.checks.common import one_line

#: A compiled schema: instance → None when valid, else why not (one line).
Validate = Callable[[Any], str | None]

_MAX_CACHED = 512
_cache: dict[bytes, Validate] = {}
_lock = threading.Lock()


class SchemaProblem(ValueError):
    """The schema itself is not a valid JSON Schema."""


def _key(schema: Any) -> bytes:
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return repr(schema).encode()


def _compile(schema: Any) -> Validate:
    import jsonschema
    from jsonschema.exceptions import best_match

    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise SchemaProblem(f"invalid JSON Schema: {one_line(exc.message)}") from None
    validator = cls(schema)

    def validate(instance: Any) -> str | None:
        if validator.is_valid(instance):
            return None
        error = best_match(validator.iter_errors(instance))
        where = "/".join(str(part) for part in error.absolute_path)
        return one_line(f"{where + ': ' if where else ''}{error.message}", 160)

    return validate


def validator(schema: Any) -> Validate:
    """The compiled validator of ``schema``; raises SchemaProblem for a bad schema."""
    key = _key(schema)
    found = _cache.get(key)
    if found is not None:
        return found
    compiled = _compile(schema)
    with _lock:
        if len(_cache) >= _MAX_CACHED:
            _cache.pop(next(iter(_cache)))
        _cache[key] = compiled
    return compiled
