"""Request bodies decompressed without trusting the sender about their size.

A gzip body can expand a thousandfold (1 MiB of input → 1 GiB of zeros), so
decompression is streamed in bounded steps and stops as soon as the output
would pass the limit: memory stays near ``limit`` plus one step whatever the
sender claims.
"""

from __future__ import annotations

import zlib

from ratchet.capture.otlp.errors import BodyTooLarge, UndecodableBody, UnsupportedEncoding

#: Largest piece produced by one decompression step.
_STEP = 1024 * 1024
#: Largest slice of input fed to one step (its unconsumed rest is copied each step).
_INPUT_STEP = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


def decompress(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Undo the ``Content-Encoding`` of a request body.

    Args:
        body: the body as received.
        content_encoding: the header's value; None, ``""`` and ``identity`` mean
            none. A list (``gzip, identity``) is undone from last to first.
        limit: the largest accepted decompressed size in bytes.

    Returns:
        The decompressed body.

    Raises:
        BodyTooLarge: the decompressed body would exceed ``limit``.
        UndecodableBody: the body is not valid for its encoding.
        UnsupportedEncoding: an encoding other than gzip, deflate or identity.
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c not in ("", "identity")]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedEncoding(coding)
    for coding in reversed(codings):
        body = _gunzip(body, limit) if coding != "deflate" else _inflate(body, limit)
    if len(body) > limit:
        raise BodyTooLarge(limit)
    return body


def _gunzip(body: bytes, limit: int) -> bytes:
    # A gzip stream may hold several members back to back; each needs its own
    # decompressor, and all of them share the one limit.
    pieces: list[bytes] = []
    size = 0
    data = body
    while True:
        size, rest = _drain(zlib.decompressobj(_GZIP_WBITS), data, pieces, size, limit, "gzip")
        if not rest.strip(b"\x00"):
            break  # some writers pad the end with zeros
        if not rest.startswith(_GZIP_MAGIC):
            raise UndecodableBody("body is not valid gzip: unexpected bytes after the gzip data")
        data = rest
    return _join(pieces)


def _inflate(body: bytes, limit: int) -> bytes:
    # HTTP "deflate" is the zlib format, but some clients send raw deflate.
    # A zlib stream starts with a header whose 16-bit value is a multiple of 31.
    zlib_header = len(body) >= 2 and body[0] & 0x0F == 8 and (body[0] << 8 | body[1]) % 31 == 0
    wbits = _ZLIB_WBITS if zlib_header else _RAW_DEFLATE_WBITS
    pieces: list[bytes] = []
    _, rest = _drain(zlib.decompressobj(wbits), body, pieces, 0, limit, "deflate")
    if rest:
        raise UndecodableBody("body is not valid deflate: unexpected bytes after the data")
    return _join(pieces)


def _drain(
    decompressor: zlib._Decompress,
    data: bytes,
    pieces: list[bytes],
    size: int,
    limit: int,
    name: str,
) -> tuple[int, bytes]:
    """Decompress one stream from ``data`` into ``pieces``.

    Returns:
        The total size so far, and the bytes after the end of the stream.
    """
    view = memoryview(data)
    try:
        # Input goes in bounded slices too: the decompressor copies whatever
        # input it has not consumed yet after every step.
        for start in range(0, len(view), _INPUT_STEP):
            tail: bytes | memoryview = view[start : start + _INPUT_STEP]
            while True:
                # Ask for at most one byte past the limit: enough to know it was passed.
                room = min(_STEP, limit - size + 1)
                piece = decompressor.decompress(tail, room)
                size += len(piece)
                if size > limit:
                    raise BodyTooLarge(limit)
                if piece:
                    pieces.append(piece)
                tail = decompressor.unconsumed_tail
                if decompressor.eof:
                    return size, decompressor.unused_data + view[start + _INPUT_STEP :].tobytes()
                # A full step may leave output pending even when all input is in.
                if not tail and len(piece) < room:
                    break
    except zlib.error as exc:
        raise UndecodableBody(f"body is not valid {name}: {exc}") from None
    raise UndecodableBody(f"body is not valid {name}: the compressed data is truncated")


def _join(pieces: list[bytes]) -> bytes:
    # One piece (the usual case for small bodies) is returned without a copy.
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)
