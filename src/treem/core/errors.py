"""CleanError: the one exception the cleaning helpers raise, with a short code and a Vietnamese message."""

from __future__ import annotations


class CleanError(ValueError):
    """A value could not be cleaned.

    ``code`` is a short English slug for programs (``"id_length"``); ``message`` is Vietnamese text for the
    user that names the problem (``"Số định danh phải có 12 chữ số (nhận được 10)"``).
    """

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"CleanError({self.code!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CleanError):
            return NotImplemented
        return (self.code, self.message) == (other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.message))
