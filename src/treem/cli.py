"""The `treem` command: Django's management commands with Treem's settings.

A file that cannot be written or read (the disk full, a missing directory, no permission) ends the command with one
line saying what and where, and exit status 1, not a traceback; any other error keeps its traceback. The commands
write their output files through `treem.core.outfile.replaced_atomically`, so a failed write leaves no partial file
at the destination."""

from __future__ import annotations

import os
import sys

from treem.core.outfile import disk_full


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.config.settings.base")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["treem", *sys.argv[1:]])
    except OSError as exc:
        if not (exc.filename or disk_full(exc)):
            raise  # not a file: a network or a programming error, shown whole
        sys.stderr.write(f"treem: error: {file_error(exc)}\n")
        sys.exit(1)


def file_error(exc: OSError) -> str:
    """One line for a person: the system's reason, the file, and for a full disk what became of the output."""
    text = exc.strerror or str(exc)
    if exc.filename:
        text += f": {exc.filename}"
    if disk_full(exc):
        text += (
            ". The disk is full: nothing was written to the output file (no partial file is left)."
            " Free some space and run the command again."
        )
    return text


if __name__ == "__main__":
    main()
