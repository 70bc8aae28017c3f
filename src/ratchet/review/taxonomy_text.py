"""One line per recorded taxonomy operation, for the taxonomy page and `ratchet taxonomy log`.

The payloads name modes as they were when the operation happened (a mode
renamed later still shows under its old name in older lines), which is what
a log should say.
"""

from __future__ import annotations

from typing import Any

from ratchet.core.review import TaxonomyOp, TaxonomyOpKind


def _name(ref: Any) -> str:
    if isinstance(ref, dict):
        return str(ref.get("name") or ref.get("id") or "?")
    return str(ref)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def describe(op: TaxonomyOp) -> str:
    """What an operation did, in words: ``merged late-reply into slow-answer (3 notes moved)``."""
    p = op.payload
    if op.kind is TaxonomyOpKind.ADD:
        return f"added {_name(p)}"
    if op.kind is TaxonomyOpKind.RENAME:
        return f"renamed {p.get('from', '?')} to {p.get('to', '?')}"
    if op.kind is TaxonomyOpKind.EDIT:
        changed = [k for k in ("definition", "examples") if k in p]
        return f"edited the {' and '.join(changed) or 'description'} of {_name(p)}"
    if op.kind is TaxonomyOpKind.MERGE:
        sources = ", ".join(_name(s) for s in p.get("sources", []))
        moved = int(p.get("notes_moved", 0))
        return f"merged {sources} into {_name(p.get('into'))} ({_plural(moved, 'note')} moved)"
    if op.kind is TaxonomyOpKind.SPLIT:
        parts = ", ".join(_name(part) for part in p.get("parts", []))
        return f"split {_name(p)} into {parts}"
    kept = int(p.get("notes_kept", 0))
    return f"retired {_name(p)} ({_plural(kept, 'note')} kept as history)"
