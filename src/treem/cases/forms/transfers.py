"""Who works on a case and where it is held: assigning a worker, transferring the case (Luật Trẻ em Art. 52.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import model_choice_field, set_option_labels
from treem.core.text import NOTE_MAX_LENGTH

from .base import WhenForm, textarea

if TYPE_CHECKING:
    from treem.accounts.models import User


class AssignForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, label=_("Assign a worker"), empty_label="—"
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker").queryset = workers
        set_option_labels(
            self,
            "worker",
            lambda u: (
                f"{u.get_full_name() or u.username} · {u.role.name if u.role else ''} · {u.unit.name if u.unit else ''}"
            ),
        )


class TransferForm(WhenForm):
    """Luật Trẻ em Art. 52.2: the case goes to the commune where the child now lives, with its history."""

    to_commune: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Commune where the child now lives")
    )
    reason = forms.CharField(label=_("Why the case is transferred"), widget=textarea(3), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_commune").queryset = communes
        set_option_labels(self, "to_commune", lambda u: f"{u.name} · {u.parent.name if u.parent else ''}")
        self.order_fields(["to_commune", "reason", "on", "hour"])
