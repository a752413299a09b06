"""Django's own messages that its Vietnamese catalogue lacks (Django 6), so the Vietnamese UI never shows English.

Nothing imports this module: it only carries the msgids to `make messages`, and the project catalogue
(LOCALE_PATHS, which Django reads before its own) gives them their Vietnamese text."""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

MSGIDS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not "
        "exist."
    ),
    gettext_noop("No %s matches the given query."),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("Date out of range"),
    gettext_noop("- Select an option -"),  # Django 6.1's blank choice label (BLANK_CHOICE_LABEL), in every form
)
