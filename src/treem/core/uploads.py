"""What an uploaded document may be: the kinds of file a commune sends as evidence or an attachment.

A file of another kind (a program, a web page, an SVG image that carries script) is refused with a message before
anything is stored: it would otherwise sit in the private media folder and be handed out to the next reader.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".txt"}
)


def upload_name(upload: UploadedFile, default: str = "file") -> str:
    """The file's own name, without any folder a client put before it (`../../x.pdf`, `C:\\x.pdf` -> `x.pdf`)."""
    return PureWindowsPath(PurePosixPath(upload.name or "").name).name or default


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX_LENGTH = 200  # the recorded file name's column


def check_document(upload: UploadedFile, *, field: str = "file", max_bytes: int | None = DOCUMENT_MAX_BYTES) -> str:
    """The name to record for the upload when it is a document of an accepted kind (and, with `max_bytes`, not
    larger), else a ValidationError on `field`: the file's own name, cut to NAME_MAX_LENGTH with its kind kept."""
    name = upload_name(upload)
    suffix = PurePosixPath(name).suffix
    if suffix.lower() not in DOCUMENT_SUFFIXES:
        raise ValidationError({field: _("%(name)s: this kind of file is not accepted.") % {"name": name}})
    if max_bytes is not None and (upload.size or 0) > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise ValidationError(
            {field: _("%(name)s: the file is larger than %(limit)d MB.") % {"name": name, "limit": limit}}
        )
    return name if len(name) <= NAME_MAX_LENGTH else name[: NAME_MAX_LENGTH - len(suffix)] + suffix
