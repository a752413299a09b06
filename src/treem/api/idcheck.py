"""ID verification with the population database (Đề án 06): send the children whose personal ID is to be verified,
read back what the commune police found for each (verified, corrected, not found), and apply it to the registry
with history.

`IdVerifier` is the interface; `FileVerifier` is the file exchange used today (a workbook or CSV the commune
police fill in); an HTTP adapter to the national population database implements the same two methods (its
documented shape is in docs/api.md). Applying answers goes through the registry's services: a correction is a
change of the child's record like any other, with its history row, and every applied answer is audited."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.errors import CleanError
from treem.core.ids import check_personal_id, normalize_personal_id
from treem.core.spreadsheet import safe_text, unquote_text
from treem.core.text import fold
from treem.imports.readers import cell_text, open_table
from treem.registry import selectors as registry
from treem.registry import services
from treem.registry.models import Child, ChildStatus, IdCheckOutcome

# The file's columns (Vietnamese: the commune police read and fill them in), in order.
COLUMNS = (
    "Mã Treem", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Xã/phường", "Thôn/bản",
    "Kết quả (đúng / sửa / không thấy)", "Số định danh đúng", "Ghi chú",
)  # fmt: skip


Outcome = IdCheckOutcome  # the police's answers, as the registry keeps them


# What the police may write in the result column (compared without case or diacritics).
OUTCOME_WORDS = {
    "dung": Outcome.VERIFIED, "verified": Outcome.VERIFIED, "da xac thuc": Outcome.VERIFIED,
    "sua": Outcome.CORRECTED, "corrected": Outcome.CORRECTED, "dieu chinh": Outcome.CORRECTED,
    "khong thay": Outcome.NOT_FOUND, "not found": Outcome.NOT_FOUND, "not_found": Outcome.NOT_FOUND,
    "khong tim thay": Outcome.NOT_FOUND,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Answer:
    child_id: int
    outcome: Outcome
    personal_id: str = ""  # the right number, for a correction
    note: str = ""
    # the number the police were asked about (None: not known); answered about another number, nothing is applied
    asked: str | None = field(default=None, compare=False)


@dataclass
class Applied:
    verified: int = 0
    corrected: int = 0
    not_found: int = 0
    problems: list[str] = field(default_factory=list)


class IdVerifier(Protocol):
    """Send the children to verify; receive the answers."""

    def request(self, children: Sequence[Child], out: IO[bytes]) -> None: ...

    def answers(self, received: Path) -> list[Answer]: ...


def children_to_verify(user: User) -> QuerySet[Child]:
    """The children living in the user's scope whose personal ID is missing or not yet verified."""
    qs = registry.children_for_user(user).filter(status=ChildStatus.ACTIVE, id_verified_on__isnull=True)
    return qs.select_related("commune", "village").order_by("unit_path", "name_key", "pk")


class FileVerifier:
    """The exchange by file: an xlsx workbook (or CSV) with one row per child; the police fill in the result."""

    def __init__(self, fmt: str = "xlsx") -> None:
        self.fmt = fmt

    def rows(self, children: Iterable[Child]) -> Iterable[list[str]]:
        for c in children:
            born = c.date_of_birth.strftime("%d/%m/%Y") if c.date_of_birth else ""
            yield [
                str(c.pk), c.full_name, born, c.get_sex_display(), c.personal_id or "", c.commune.name,
                c.village.name if c.village else "", "", "", "",
            ]  # fmt: skip

    def request(self, children: Sequence[Child], out: IO[bytes]) -> None:
        if self.fmt == "csv":
            text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(COLUMNS)
            writer.writerows([safe_text(v) for v in row] for row in self.rows(children))
            text.flush()
            text.detach()
            return
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = book.add_worksheet("Xac thuc so dinh danh")
        bold = book.add_format({"bold": True, "text_wrap": True})
        for col, label in enumerate(COLUMNS):
            sheet.write_string(0, col, label, bold)
        for r, row in enumerate(self.rows(children), start=1):
            for col, value in enumerate(row):
                sheet.write_string(r, col, safe_text(value))
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 6, 16)
        sheet.set_column(7, 9, 22)
        sheet.freeze_panes(1, 0)
        book.close()

    def answers(self, received: Path) -> list[Answer]:
        """The rows with a result; ValidationError naming the rows that cannot be read."""
        try:
            table = open_table(received)
            rows = list(table.rows(max_rows=100_000))
        except CleanError as exc:
            raise ValidationError(exc.message) from exc
        if not rows:
            raise ValidationError(_("The file is empty."))
        header = [fold(cell_text(v)) for v in rows[0][1]]
        expected = [fold(c) for c in COLUMNS]
        if header[: len(expected)] != expected:
            raise ValidationError(_("The columns are not those of the file Treem gave out."))
        found, errors = [], []
        for number, values in rows[1:]:
            cells = [unquote_text(cell_text(v)) for v in values] + [""] * len(COLUMNS)
            if not any(cells[: len(COLUMNS)]):
                continue
            result = fold(cells[7])
            if not result:
                continue  # not answered (yet)
            outcome = OUTCOME_WORDS.get(result)
            if outcome is None or not cells[0].isdigit():
                errors.append(_("row %(n)s: unreadable result %(value)s") % {"n": number, "value": cells[7]})
                continue
            corrected = "".join(cells[8].split())
            if outcome == Outcome.CORRECTED and not corrected:
                errors.append(_("row %(n)s: a correction needs the right ID number") % {"n": number})
                continue
            found.append(Answer(int(cells[0]), outcome, corrected, cells[9][:300], asked=cells[4]))
        if errors:
            raise ValidationError(errors)
        return found


def _check_asked(answer: Answer, child: Child) -> None:
    """The answer is about the number the child has now (not one changed since the list, nor another child's)."""
    if answer.asked is None:
        return
    try:
        asked = normalize_personal_id(answer.asked) or ""
    except CleanError:
        asked = answer.asked
    if asked != (child.personal_id or ""):
        raise ValidationError(_("the ID number is no longer the one the police were asked about"))


def _checked_id(raw: str, child: Child) -> str:
    """The corrected number, normalised, and consistent with the child's date of birth and sex (as the form checks)."""
    number = normalize_personal_id(raw)
    if number is None:
        raise ValidationError(_("a correction needs the right ID number"))
    problems = check_personal_id(number, date_of_birth=child.date_of_birth, sex=child.sex)
    if problems:
        raise ValidationError([p.message for p in problems])
    return number


@transaction.atomic
def apply_answers(*, actor: User, answers: Sequence[Answer], request: object = None) -> Applied:
    """Apply the police's answers: verified marks the day; corrected changes the ID through the registry's service
    (its history row says who and when) and marks the day; not found leaves the record unverified. Each answer is
    kept through `registry.services.id_check_record` (the Đề án 06 progress counts them). A child out of
    the actor's scope, or whose record the actor may not edit, is listed as a problem and left alone."""
    done = Applied()
    today = today_vn()
    for answer in answers:
        child = registry.children_for_user(actor).filter(pk=answer.child_id).first()
        if child is None:
            done.problems.append(_("child %(id)s: not found") % {"id": answer.child_id})
            continue
        try:
            with transaction.atomic():
                if answer.outcome != Outcome.NOT_FOUND:
                    _check_asked(answer, child)
                asked = child.personal_id or ""
                if answer.outcome == Outcome.VERIFIED:
                    if not child.personal_id:
                        raise ValidationError(_("no ID number to verify"))
                    services.child_update(actor=actor, child=child, id_verified_on=today)
                elif answer.outcome == Outcome.CORRECTED:
                    number = _checked_id(answer.personal_id, child)
                    services.child_update(actor=actor, child=child, personal_id=number, id_verified_on=today)
                # Every answer is kept (not found too), so the Đề án 06 progress can be counted per commune.
                services.id_check_record(
                    actor=actor, child=child, outcome=answer.outcome, on=today, personal_id=asked,
                    note=answer.note,
                )  # fmt: skip
            setattr(done, answer.outcome.value, getattr(done, answer.outcome.value) + 1)
        except (ValidationError, PermissionDenied, CleanError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            done.problems.append(f"{child.full_name} ({child.pk}): {message}")
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="id_verification", target_id=len(answers),
        unit_path=actor.unit.path if actor.unit else "", request=request,  # type: ignore[arg-type]
        summary=f"Áp dụng kết quả xác thực số định danh (Đề án 06): {done.verified} đúng, {done.corrected} sửa, "
        f"{done.not_found} không thấy, {len(done.problems)} không áp dụng được",
    )  # fmt: skip
    return done


def read_upload(upload: IO[bytes], verifier: IdVerifier) -> list[Answer]:
    """The answers of an uploaded file (kept in a temporary file only while it is read)."""
    with tempfile.NamedTemporaryFile(suffix=".upload") as tmp:
        for chunk in iter(lambda: upload.read(1 << 16), b""):
            tmp.write(chunk)
        tmp.flush()
        return verifier.answers(Path(tmp.name))
