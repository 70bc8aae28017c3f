"""Convention mapping: spans from any instrumentation, read in Ratchet's vocabulary.

``map_span`` turns a decoded ``RawSpan`` into a ``SpanRecord``, understanding
Ratchet's own ``ratchet.*`` attributes, OpenInference, the OTel GenAI
semantic conventions (old and latest) and OpenLLMetry.
"""

from ratchet.capture.conventions.mapper import map_span
from ratchet.capture.conventions.span_type import resolve_span_type

__all__ = ["map_span", "resolve_span_type"]
