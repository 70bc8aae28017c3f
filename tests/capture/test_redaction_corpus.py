"""The redaction corpus holds what its README promises.

These tests check the data, not an engine: enough cases of every entity and
placement, substrings that really occur, and look-alikes that really break the
spec's rules (Luhn, mod-97, SSN ranges, reserved address blocks, JWT headers).
The checksums are computed here independently of the generator.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import ipaddress
import json
import re
from collections import Counter
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from tests.capture.redaction_corpus import (
    CORPUS_PATH,
    ENTITIES,
    PLACEMENTS,
    CorpusCase,
    load_corpus,
    occurs,
    text_leaves,
)

CASES = load_corpus()
POSITIVES = [c for c in CASES if c.kind == "positive"]
NEGATIVES = [c for c in CASES if c.kind == "negative"]

IBAN_LENGTHS = {
    "AT": 20,
    "BE": 16,
    "CH": 21,
    "DE": 22,
    "DK": 18,
    "ES": 24,
    "FR": 27,
    "GB": 22,
    "IE": 22,
    "IT": 27,
    "LU": 20,
    "NL": 18,
    "NO": 15,
    "PL": 28,
    "PT": 25,
    "SE": 24,
}
IBAN_COUNTRIES = set(IBAN_LENGTHS) | {
    "AD",
    "CY",
    "CZ",
    "EE",
    "FI",
    "GI",
    "GR",
    "HR",
    "HU",
    "IS",
    "LI",
    "LT",
    "LV",
    "MC",
    "MT",
    "RO",
    "SI",
    "SK",
    "SM",
}
RESERVED_NETWORKS = [
    ipaddress.ip_network(n)
    for n in (
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "2001:db8::/32",
        "127.0.0.0/8",
        "::1/128",
        "0.0.0.0/32",
        "::/128",
    )
]
DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9])\d(?:[ -]?\d)*(?![A-Za-z0-9])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if position % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def mod97(iban: str) -> int:
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def ssn_issued(ssn: str) -> bool:
    area, group, serial = re.split(r"[- ]", ssn) if len(ssn) == 11 else (ssn[:3], ssn[3:5], ssn[5:])
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def jwt_header(token: str) -> dict[str, object] | None:
    """The decoded header of a JWS compact token, or None when it is not one."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0]:
        return None
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return header if isinstance(header, dict) and "alg" in header else None


def of(kind: list[CorpusCase], entity: str) -> list[CorpusCase]:
    return [c for c in kind if c.entity == entity]


def test_corpus_has_300_positives_and_300_hard_negatives() -> None:
    assert len(POSITIVES) >= 300
    assert len(NEGATIVES) >= 300


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_entity_has_25_positives_and_25_negatives(entity: str) -> None:
    assert len(of(POSITIVES, entity)) >= 25
    assert len(of(NEGATIVES, entity)) >= 25


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_entity_appears_in_every_placement(entity: str) -> None:
    for kind in (POSITIVES, NEGATIVES):
        placements = Counter(c.placement for c in of(kind, entity))
        assert set(placements) == set(PLACEMENTS), (entity, placements)


def test_ids_are_unique_and_name_their_kind_and_entity() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert re.fullmatch(rf"{case.kind[:3]}-{case.entity}-\d{{3}}", case.id), case.id


def test_positives_list_sensitive_values_and_negatives_only_keep() -> None:
    for case in POSITIVES:
        assert case.sensitive, case.id
    for case in NEGATIVES:
        assert not case.sensitive and case.keep, case.id


def test_every_listed_substring_occurs_in_its_value() -> None:
    for case in CASES:
        for needle in case.sensitive + case.keep:
            assert occurs(case.value, needle), (case.id, needle)


def test_keep_and_sensitive_never_overlap() -> None:
    for case in POSITIVES:
        for s in case.sensitive:
            for k in case.keep:
                assert s not in k and k not in s, (case.id, s, k)


def test_json_string_values_are_json() -> None:
    for case in CASES:
        if case.placement == "json_string":
            assert isinstance(case.value, str)
            json.loads(case.value)
        if case.placement == "tool_args":
            assert isinstance(case.value, dict) and text_leaves(case.value)


def test_card_positives_pass_luhn_with_an_issuer_prefix() -> None:
    for case in of(POSITIVES, "card"):
        for card in case.sensitive:
            assert re.fullmatch(r"\d[\d -]*\d", card), (case.id, card)
            digits = re.sub(r"\D", "", card)
            assert 13 <= len(digits) <= 19 and luhn_ok(digits), (case.id, card)
            assert digits[0] in "23456", (case.id, card)


def test_card_negatives_of_13_to_19_digits_fail_luhn() -> None:
    checked = 0
    for case in of(NEGATIVES, "card"):
        for text in case.keep:
            for run in DIGIT_RUN.findall(text):
                digits = re.sub(r"\D", "", run)
                if 13 <= len(digits) <= 19:
                    checked += 1
                    assert not luhn_ok(digits), (case.id, run)
    assert checked >= 25


def test_iban_positives_pass_mod97_at_their_country_length() -> None:
    for case in of(POSITIVES, "iban"):
        for iban in case.sensitive:
            compact = iban.replace(" ", "")
            assert len(compact) == IBAN_LENGTHS[compact[:2]], (case.id, iban)
            assert mod97(compact) == 1, (case.id, iban)


def test_iban_shaped_negatives_fail_mod97() -> None:
    checked = 0
    for case in of(NEGATIVES, "iban"):
        for text in case.keep:
            compact = text.replace(" ", "")
            if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact) and compact[:2] in (
                IBAN_COUNTRIES
            ):
                checked += 1
                assert mod97(compact) != 1, (case.id, text)
    assert checked >= 20


def test_ssn_positives_are_in_issued_ranges() -> None:
    for case in of(POSITIVES, "ssn"):
        for ssn in case.sensitive:
            assert re.fullmatch(r"\d{3}([- ]?)\d{2}\1\d{4}", ssn), (case.id, ssn)
            assert ssn_issued(ssn), (case.id, ssn)


def test_ssn_shaped_negatives_are_never_issued() -> None:
    checked = 0
    for case in of(NEGATIVES, "ssn"):
        for text in case.keep:
            if re.fullmatch(r"\d{3}-\d{2}-\d{4}", text):
                checked += 1
                assert not ssn_issued(text), (case.id, text)
    assert checked >= 20


def test_ip_positives_are_personal_addresses() -> None:
    for case in of(POSITIVES, "ip"):
        for text in case.sensitive:
            address = ipaddress.ip_address(text)
            assert not any(address in net for net in RESERVED_NETWORKS), (case.id, text)


def held_by_version_field(case: CorpusCase, text: str) -> bool:
    """Whether ``text`` is the whole value of an attribute or argument named as a version."""
    if "version" in case.key and case.value == text:
        return True
    return isinstance(case.value, dict) and any(
        "version" in name and value == text for name, value in case.value.items()
    )


def test_addresses_kept_by_negatives_are_reserved_blocks_or_versions() -> None:
    checked = 0
    for case in NEGATIVES:
        for text in case.keep:
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                continue
            if held_by_version_field(case, text):
                continue
            checked += 1
            assert any(address in net for net in RESERVED_NETWORKS), (case.id, text)
    assert checked >= 5


def test_jwt_positives_decode_to_a_header_with_alg() -> None:
    for case in of(POSITIVES, "jwt"):
        for token in case.sensitive:
            assert jwt_header(token) is not None, (case.id, token)


def test_no_negative_keeps_a_real_jwt() -> None:
    for case in NEGATIVES:
        for text in case.keep:
            for candidate in re.findall(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", text):
                assert jwt_header(candidate) is None, (case.id, candidate)


def test_phone_positives_have_7_to_15_digits() -> None:
    for case in of(POSITIVES, "phone"):
        for number in case.sensitive:
            assert 7 <= len(re.sub(r"\D", "", number)) <= 15, (case.id, number)


def test_loaded_cases_are_frozen_and_fresh_per_load() -> None:
    case = next(c for c in load_corpus() if c.placement == "tool_args")
    with pytest.raises(FrozenInstanceError):
        case.kind = "negative"  # type: ignore[misc]
    assert isinstance(case.value, dict)
    case.value.clear()
    again = next(c for c in load_corpus() if c.id == case.id)
    assert again.value


def test_loader_names_the_line_of_a_bad_case(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    good = CORPUS_PATH.read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(
        good + "\n" + good.replace('"kind": "positive"', '"kind": "maybe"') + "\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"corpus\.jsonl:2: kind 'maybe'"):
        load_corpus(bad)


def test_committed_corpus_is_exactly_what_the_generator_writes() -> None:
    script = CORPUS_PATH.parent / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_redaction_corpus", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = module.build()
    module.check(cases)
    assert CORPUS_PATH.read_text(encoding="utf-8") == module.serialise(cases)
