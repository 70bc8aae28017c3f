"""The one error type users see: a message naming what is wrong and what to do."""

from __future__ import annotations


class RatchetError(Exception):
    """A user's mistake or an unmet precondition, reported as one clear line.

    Attributes:
        code: a short machine-readable code (``not_found``, ``invalid_argument``…).
        status: the HTTP status the server answers with.
    """

    code = "invalid_argument"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(RatchetError):
    code = "not_found"
    status = 404


class Conflict(RatchetError):
    code = "conflict"
    status = 409


class Unauthenticated(RatchetError):
    code = "unauthenticated"
    status = 401


class Forbidden(RatchetError):
    code = "permission_denied"
    status = 403


class StoreBusy(RatchetError):
    """The database is locked or overloaded; the caller should retry later."""

    code = "unavailable"
    status = 503
