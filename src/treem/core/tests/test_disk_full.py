"""The disk full while an export is written: the command says so and exits non-zero leaving nothing at the
destination (never a truncated file that looks complete); a web export answers a page saying so, not a traceback."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from treem import cli
from treem.accounts.tests.helpers import login
from treem.core.outfile import replaced_atomically

FULL = OSError(errno.ENOSPC, "No space left on device")
MATCH_HEADER = "record_id,full_name,date_of_birth,sex,ethnicity,personal_id,guardian_name,village,commune_code,"
MATCH_HEADER += "household_code,special_groups"
MATCH_ROWS = [
    "r1,Nguyễn Thị Lan,2015-03-07,F,Kinh,033315001234,Nguyễn Văn Hùng,Thôn Đông,10001,H1,",
    "r2,NGUYEN THI LAN,2015-03-07,F,Kinh,033315001234,Nguyen Van Hung,Thon Dong,10001,H1,a",
]


class FillingUp(io.BytesIO):
    """A file on a disk that fills up: the first `room` bytes go in, then every write fails with ENOSPC."""

    def __init__(self, room: int = 100) -> None:
        super().__init__()
        self.room, self.gone = room, False

    def write(self, data: Any) -> int:
        if self.gone:  # a writer's late clean-up (a zip closed when collected) after the file was given up
            return len(data)
        if self.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)

    def close(self) -> None:
        self.gone = True


def run_cli(*argv: str) -> tuple[int, str]:
    """`treem …` as from a shell: the exit status and what went to standard error."""
    err = io.StringIO()
    with mock.patch.object(sys, "argv", ["treem", *argv]), contextlib.redirect_stderr(err):
        try:
            cli.main()
        except SystemExit as exc:
            return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()


@contextlib.contextmanager
def disk_fills_after_header() -> Iterator[None]:
    """The CSV writer of `treem match file` writes the header, then the disk is full."""
    import csv

    real = csv.writer

    def writer(f: Any, *args: Any, **kwargs: Any) -> Any:
        inner = real(f, *args, **kwargs)
        rows = iter([True])

        class Full:
            def writerow(self, row: Any) -> Any:
                if next(rows, False):
                    return inner.writerow(row)
                f.flush()
                raise FULL

        return Full()

    with mock.patch("treem.matching.engine.csv.writer", side_effect=writer):
        yield


@pytest.mark.django_db  # the command's system checks ask the database what it supports
def test_a_command_on_a_full_disk_says_so_and_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("\n".join([MATCH_HEADER, *MATCH_ROWS]) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    with disk_fills_after_header():
        status, err = run_cli("match", "file", str(source), "--out", str(out))
    assert status == 1
    assert "No space left on device" in err and "Traceback" not in err
    assert "nothing was written" in err
    assert not out.exists()  # no truncated file at the destination
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # nor a temporary one beside it
    out.write_text("the pairs of last week\n")
    with disk_fills_after_header():
        assert run_cli("match", "file", str(source), "--out", str(out))[0] == 1
    assert out.read_text() == "the pairs of last week\n"  # an earlier file stays as it was
    assert run_cli("match", "file", str(source), "--out", str(out))[0] == 0  # with room on the disk
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("r1,r2,")


@pytest.mark.django_db
def test_an_unwritable_destination_is_a_clear_error_too(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("\n".join([MATCH_HEADER, *MATCH_ROWS]) + "\n", encoding="utf-8")
    status, err = run_cli("match", "file", str(source), "--out", str(tmp_path / "missing" / "pairs.csv"))
    assert status == 1 and "No such file or directory" in err and "Traceback" not in err


def test_replaced_atomically_writes_the_whole_file_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with replaced_atomically(target, newline=None) as out:
        json.dump({"a": 1}, out)
    assert json.loads(target.read_text()) == {"a": 1}
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    with pytest.raises(OSError, match="No space"), replaced_atomically(target) as out:
        out.write("{partial") and fail()
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def fail() -> None:
    raise FULL


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.django_db
def test_a_web_export_on_a_full_disk_shows_the_error_page(officer) -> None:  # noqa: ANN001
    client = Client(raise_request_exception=False)
    login(client, officer)
    with mock.patch("treem.accounts.web.tempfile.TemporaryFile", side_effect=lambda *a, **k: FillingUp()):
        response = client.get(reverse("registry:child_list_xlsx"))
    assert response.status_code == 503
    text = response.content.decode()
    assert "Máy chủ đã hết dung lượng ổ đĩa" in text and "Traceback" not in text
    assert response["Content-Type"].startswith("text/html")


def test_an_error_that_is_not_about_a_file_keeps_its_traceback() -> None:
    """Only file errors become one line: a refused connection (an OSError too) is not hidden behind "treem: error"."""
    refused = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    with (
        mock.patch("django.core.management.execute_from_command_line", side_effect=refused),
        pytest.raises(ConnectionRefusedError),
    ):
        cli.main()
