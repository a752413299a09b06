from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField

from .models import MAX_AMOUNT, FundingSource, SourceKind


class AllocationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ModelChoiceField(
        label=_("Source of funds"), queryset=FundingSource.objects.filter(is_active=True).exclude(kind=SourceKind.FUND)
    )
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=MAX_AMOUNT)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = VNDateField(label=_("Decision date"), required=False)

    def __init__(self, *args: object, current: FundingSource | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if current is not None and not current.is_active:  # an allocation keeps the source it was recorded with
            field = self.fields["source"]
            field.queryset = (field.queryset | FundingSource.objects.filter(pk=current.pk)).distinct()  # type: ignore[attr-defined]
