"""Building vocabulary models without validation, faster than ``model_construct``.

A replay builds a few spans per fixture and the runner replays thousands of
fixtures a second, so construction is a large share of the cost.
``model_construct`` walks every field looking for aliases and defaults
(about 4 µs for a Span); setting the four slots unpickling restores costs
an eighth of that. The values must name every field. A self-check against
``model_construct`` at import falls back to it if a pydantic release ever
stores models differently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def builder(cls: type[M], sample: dict[str, Any]) -> Callable[[dict[str, Any]], M]:
    """A function making ``cls`` from a dict of every field's value, unvalidated.

    Args:
        cls: a pydantic model without extra fields or private attributes.
        sample: a complete set of values, to check the fast path against
            ``model_construct`` once.
    """
    fields = frozenset(cls.model_fields)
    # One set for every instance: pydantic only ever adds a field's name to it (on
    # assignment), every name is in it already, and copies get their own. A set per
    # span would cost more memory than the rest of the span.
    all_set = set(fields)
    new = cls.__new__
    set_dict = object.__setattr__

    def construct(values: dict[str, Any]) -> M:
        return cls.model_construct(**values)

    try:
        # The slots ``__setstate__`` fills, set through their descriptors: no state
        # dict to build and no Python frame (0.5 µs a model rather than 0.8).
        slots = BaseModel.__dict__
        set_fields_set = slots["__pydantic_fields_set__"].__set__
        set_extra = slots["__pydantic_extra__"].__set__
        set_private = slots["__pydantic_private__"].__set__
    except (KeyError, AttributeError):
        return construct

    def build(values: dict[str, Any]) -> M:
        obj = new(cls)
        set_fields_set(obj, all_set)
        set_extra(obj, None)
        set_private(obj, None)
        set_dict(obj, "__dict__", values)
        return obj

    try:
        fast, slow = build(dict(sample)), construct(dict(sample))
        same = (
            set(sample) == fields
            and fast.__dict__ == slow.__dict__
            and fast.model_fields_set == slow.model_fields_set
            and fast.__pydantic_extra__ == slow.__pydantic_extra__
            and fast.__pydantic_private__ == slow.__pydantic_private__
            and fast.model_dump() == slow.model_dump()
        )
    except Exception:
        same = False
    return build if same else construct
