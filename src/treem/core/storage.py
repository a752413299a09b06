"""Where uploaded files are kept: the media folder, under names every file system accepts."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage

NAME_BYTES = 120  # of the 255 bytes a file name may have, room left for Django's "_AbCdEf1" when the name is taken


class MediaStorage(FileSystemStorage):
    """The default storage, with file names cut to NAME_BYTES bytes (the kind kept): a Vietnamese name takes two
    or three bytes a letter, and a long one failed to save (ENAMETOOLONG) although the column had room for it."""

    def get_valid_name(self, name: str) -> str:
        valid = super().get_valid_name(name)
        suffix = PurePosixPath(valid).suffix
        stem = valid.removesuffix(suffix).encode()[: NAME_BYTES - len(suffix.encode())].decode(errors="ignore")
        return (stem or "file") + suffix
