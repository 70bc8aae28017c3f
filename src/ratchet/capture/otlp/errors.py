"""Why a request body could not be read at all (as opposed to one span being refused)."""

from __future__ import annotations

from ratchet.core.errors import RatchetError

#: Content-Encoding values :func:`ratchet.capture.otlp.body.decompress` understands.
SUPPORTED_ENCODINGS = ("gzip", "deflate", "identity")


class UndecodableBody(RatchetError):
    """The body is not an OTLP trace export in the declared format; nothing in it is kept.

    The message says what is wrong so the sender can fix its exporter; the
    server answers HTTP 400 with it in a ``google.rpc.Status``.
    """

    code = "invalid_argument"
    status = 400


class BodyTooLarge(RatchetError):
    """The body, once decompressed, would be larger than the server accepts.

    Attributes:
        limit: the largest accepted size in bytes.
    """

    code = "resource_exhausted"
    status = 413

    def __init__(self, limit: int):
        super().__init__(
            f"request body is larger than {limit} bytes after decompression; "
            "send smaller batches (e.g. lower the exporter's max export batch size)"
        )
        self.limit = limit


class UnsupportedEncoding(RatchetError):
    """The Content-Encoding is one we cannot decompress."""

    code = "invalid_argument"
    status = 415

    def __init__(self, encoding: str):
        super().__init__(
            f"Content-Encoding {encoding!r} is not supported; "
            f"send the body as {', '.join(SUPPORTED_ENCODINGS)}"
        )
        self.encoding = encoding
