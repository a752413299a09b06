"""Changes to the roster. Rows of people with an account follow the account (`worker_sync_user`); people without
an account are entered, corrected and ended here. Every change writes an audit row in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Worker


def on_user_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_kwargs: Any) -> None:
    """post_save of a user: placeholder until the roster rule lands."""
    return None
