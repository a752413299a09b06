"""Import forms: the upload (file and commune) and the column mapping. Parsing only; the services decide."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from treem.core.forms import model_choice_field
from treem.units.models import Unit

from .mapping import FIELD_LABELS_VI, FIELDS, REQUIRED_FIELDS

ACCEPT = ".xlsx,.xls,.ods,.csv"
SKIP = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("Excel (xlsx, xls), OpenDocument (ods) or CSV; one row per child."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune or ward"), queryset=Unit.objects.none(), empty_label=_("— choose —")
    )

    def __init__(self, *args: Any, communes: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        """`communes`: the communes to choose from, or None when the user's own commune is the only choice."""
        super().__init__(*args, **kwargs)
        if communes is None:
            del self.fields["commune"]
        else:
            model_choice_field(self, "commune").queryset = communes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.TREEM_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. Split it into smaller files."),
                code="file_too_big",
                params={"mb": limit // (1024 * 1024)},
            )
        return upload


def field_choices() -> list[tuple[str, StrOrPromise]]:
    return [(SKIP, _("— skip —")), *((f, FIELD_LABELS_VI[f]) for f in FIELDS)]


class MappingForm(forms.Form):
    """One select per column of the workbook, named `col_<index>`, preset from the job's mapping."""

    def __init__(
        self, *args: Any, headers: list[str], mapping: dict[str, str], columns: list[int] | None = None, **kwargs: Any
    ) -> None:
        """`columns`: the indexes of the columns to offer (those with a header or data), else every header's."""
        super().__init__(*args, **kwargs)
        choices = field_choices()
        for index in range(len(headers)) if columns is None else columns:
            header = headers[index] if index < len(headers) else ""
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(no header)"), choices=choices, required=False, initial=mapping.get(str(index), SKIP)
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = Counter(f for f in self.mapping_from(data).values())
        twice = [FIELD_LABELS_VI[f] for f, n in chosen.items() if n > 1]
        if twice:
            raise forms.ValidationError(
                _("Each field can be chosen for one column only: %(fields)s"), params={"fields": ", ".join(twice)}
            )
        missing = [FIELD_LABELS_VI[f] for f in REQUIRED_FIELDS if f not in chosen]
        if missing:
            raise forms.ValidationError(
                _("Choose the column for: %(fields)s"), params={"fields": ", ".join(missing)}, code="required"
            )
        return data

    @staticmethod
    def mapping_from(data: dict[str, Any]) -> dict[int, str]:
        return {int(name.removeprefix("col_")): value for name, value in data.items() if value}

    def mapping(self) -> dict[int, str]:
        return self.mapping_from(self.cleaned_data)
