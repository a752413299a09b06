"""Writes to the registry. Every write goes through here: it keeps paths, search text and history right.

Other apps call these functions; nothing else saves registry rows.
"""

from __future__ import annotations

from ._common import can_edit, check_can_edit, child_search_text, derive_child, derive_person, name_key
from .children import ChildInput, GuardianInput, child_register, child_set_status, child_update, guardian_add
from .circumstances import circumstance_add, circumstance_add_from_case, circumstance_end
from .households import (
    PovertyChange,
    household_create,
    household_edit,
    household_move,
    household_set_poverty,
    household_update,
)
from .incidents import incident_problem, incident_record, incident_update, incidents_import
from .quality import household_visit_record, id_check_record

__all__ = [
    "ChildInput",
    "GuardianInput",
    "PovertyChange",
    "can_edit",
    "check_can_edit",
    "child_register",
    "child_search_text",
    "child_set_status",
    "derive_child",
    "derive_person",
    "child_update",
    "circumstance_add",
    "circumstance_add_from_case",
    "circumstance_end",
    "guardian_add",
    "household_create",
    "household_edit",
    "household_move",
    "household_set_poverty",
    "household_update",
    "household_visit_record",
    "id_check_record",
    "incident_problem",
    "incident_record",
    "incident_update",
    "incidents_import",
    "name_key",
]
