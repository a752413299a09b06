"""CleanError, the one exception the cleaning helpers raise, and Message, the translatable text it carries.

Every message for people is an English msgid with a Vietnamese translation in the catalogue; it is translated
when it is shown (in the language of the page, or in Vietnamese for a file that goes back to a commune), so a
cleaned value's error can be cached, stored and shown later in either language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CleanError", "Message", "gettext_noop"]


def gettext_noop(msgid: str) -> str:
    """Marks an English msgid for the catalogue (makemessages extracts it), translated later by Message.

    Django's own gettext_noop without importing Django: the cleaners (core.text, core.dates…) stay importable by
    the Django-free matching engine."""
    return msgid


class Message:
    """Translatable text: an English msgid with ``%(name)s`` placeholders and their values, translated by str().

    A value may itself be a Message (translated too). ``to_json``/``from_json`` keep one in a JSONField; text
    stored before messages were kept this way comes back as it was."""

    __slots__ = ("msgid", "params")

    msgid: str
    params: dict[str, Any]

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        from django.utils.translation import gettext  # noqa: PLC0415 - Django stays optional for the cleaners

        text = gettext(self.msgid)
        if not self.params:
            return text
        return text % {k: str(v) if isinstance(v, Message) else v for k, v in self.params.items()}

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.params) == (other.msgid, other.params)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def to_json(self) -> dict[str, Any]:
        params = {k: v.to_json() if isinstance(v, Message) else v for k, v in self.params.items()}
        return {"msgid": self.msgid, "params": params} if params else {"msgid": self.msgid}

    @classmethod
    def from_json(cls, data: Any) -> Message | str:
        if isinstance(data, Mapping) and isinstance(data.get("msgid"), str):
            params = {k: cls.from_json(v) if isinstance(v, Mapping) else v for k, v in data.get("params", {}).items()}
            return cls(data["msgid"], **params)
        return "" if data is None else str(data)


class CleanError(ValueError):
    """A value could not be cleaned.

    ``code`` is a short English slug for programs (``"id_length"``); ``text`` is the :class:`Message` for the user
    that names the problem, and ``message`` that text in the active language (Vietnamese by default:
    ``"Số định danh phải có 12 chữ số (nhận được 10)"``).
    """

    code: str
    text: Message

    def __init__(self, code: str, message: Message | str) -> None:
        text = message if isinstance(message, Message) else Message("%(text)s", text=message)
        super().__init__(code, text)
        self.code = code
        self.text = text

    @property
    def message(self) -> str:
        return str(self.text)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"CleanError({self.code!r}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CleanError):
            return NotImplemented
        return (self.code, self.text) == (other.code, other.text)

    def __hash__(self) -> int:
        return hash((self.code, self.text))
