"""Request bodies are decompressed within a size limit, whatever the sender claims."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib

import pytest

from ratchet.capture.otlp import (
    BodyTooLarge,
    UndecodableBody,
    UnsupportedEncoding,
    decode_protobuf,
    decompress,
)
from tests.capture.otlp_samples import span, to_protobuf

MiB = 1024 * 1024
LIMIT = 16 * MiB


def _gzip_of_zeros(total: int) -> bytes:
    """A valid gzip stream of ``total`` zero bytes, built without holding them.

    One MiB of zeros is compressed once and ended with a full flush, so the
    compressed piece stands alone and can simply be repeated.
    """
    chunk = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(total // MiB):
        crc = zlib.crc32(chunk, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, total & 0xFFFFFFFF)
    return header + piece * (total // MiB) + end + trailer


def test_a_gzip_body_round_trips_to_the_spans_sent() -> None:
    spans = [span(attributes={"input.value": "refund order 42 " * 100})]
    body = gzip.compress(to_protobuf(spans))

    result = decode_protobuf(decompress(body, "gzip", LIMIT))

    assert result.spans == spans


@pytest.mark.parametrize("encoding", [None, "", "identity", "IDENTITY "])
def test_no_encoding_returns_the_body_unchanged(encoding: str | None) -> None:
    assert decompress(b"payload", encoding, LIMIT) == b"payload"


@pytest.mark.parametrize("encoding", ["gzip", "GZip", "x-gzip", " gzip ", "gzip, identity"])
def test_gzip_is_recognised_in_its_spellings(encoding: str) -> None:
    assert decompress(gzip.compress(b"payload"), encoding, LIMIT) == b"payload"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_accepts_the_zlib_format_and_raw_deflate(wbits: int) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(b"payload" * 1000) + compressor.flush()

    assert decompress(body, "deflate", LIMIT) == b"payload" * 1000


def test_concatenated_gzip_members_are_one_body() -> None:
    body = gzip.compress(b"first,") + gzip.compress(b"second")

    assert decompress(body, "gzip", LIMIT) == b"first,second"


def test_a_large_body_is_decompressed_whole() -> None:
    payload = bytes(range(256)) * (5 * MiB // 256)

    assert decompress(gzip.compress(payload, 1), "gzip", LIMIT) == payload


def test_a_body_exactly_at_the_limit_is_accepted_and_one_byte_more_is_not() -> None:
    assert len(decompress(gzip.compress(bytes(1000)), "gzip", 1000)) == 1000
    with pytest.raises(BodyTooLarge):
        decompress(gzip.compress(bytes(1001)), "gzip", 1000)
    with pytest.raises(BodyTooLarge):
        decompress(bytes(1001), None, 1000)


def test_a_gzip_bomb_stops_at_the_limit_without_inflating() -> None:
    bomb = _gzip_of_zeros(1024 * MiB)  # 1 GiB of zeros in about 1 MiB
    assert len(bomb) < 2 * MiB

    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge) as caught:
            decompress(bomb, "gzip", LIMIT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 50 * MiB
    assert caught.value.limit == LIMIT
    assert f"larger than {LIMIT} bytes after decompression" in str(caught.value)


def test_a_deflate_bomb_stops_at_the_limit() -> None:
    compressor = zlib.compressobj(9)
    chunk = bytes(MiB)
    bomb = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()

    with pytest.raises(BodyTooLarge):
        decompress(bomb, "deflate", LIMIT)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (gzip.compress(b"payload" * 100)[:30], "truncated"),
        (gzip.compress(b"payload")[:10] + b"\xff" * 20, "body is not valid gzip"),
        (b'{"resourceSpans": []}', "body is not valid gzip"),
        (gzip.compress(b"payload") + b"trailing junk", "unexpected bytes after the gzip data"),
        (b"", "truncated"),
    ],
    ids=["truncated", "corrupt", "not-gzip", "trailing-junk", "empty"],
)
def test_a_damaged_gzip_body_is_undecodable(body: bytes, expected: str) -> None:
    with pytest.raises(UndecodableBody, match=expected):
        decompress(body, "gzip", LIMIT)


def test_a_gzip_body_with_a_bad_checksum_is_undecodable() -> None:
    body = bytearray(gzip.compress(b"payload"))
    body[-8] ^= 0xFF

    with pytest.raises(UndecodableBody):
        decompress(bytes(body), "gzip", LIMIT)


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br"])
def test_an_unsupported_encoding_names_the_supported_ones(encoding: str) -> None:
    with pytest.raises(UnsupportedEncoding) as caught:
        decompress(b"data", encoding, LIMIT)

    assert "gzip, deflate, identity" in str(caught.value)


def test_errors_carry_the_http_status_the_server_answers_with() -> None:
    assert BodyTooLarge(10).status == 413
    assert UnsupportedEncoding("br").status == 415
    assert UndecodableBody("bad").status == 400
