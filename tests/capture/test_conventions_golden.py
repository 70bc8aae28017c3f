"""Golden mapping per convention: each stored RawSpan maps to the reviewed SpanRecord."""

from __future__ import annotations

import pytest

from ratchet.capture.conventions import map_span
from tests.capture.conventions_golden import as_json, case_names, load_expected, load_input

CASES = case_names()


def test_every_convention_has_golden_cases() -> None:
    families = {name.split("_")[0] for name in CASES}
    assert families == {"openinference", "genai", "openllmetry", "ratchet"}
    assert {"genai_old_attributes", "genai_old_events", "genai_latest"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_span_maps_to_its_golden_record(case: str) -> None:
    assert as_json(map_span(load_input(case))) == load_expected(case)


@pytest.mark.parametrize("case", CASES)
def test_mapping_leaves_the_raw_span_unchanged(case: str) -> None:
    raw = load_input(case)
    before = repr(raw)
    map_span(raw)
    assert repr(raw) == before
