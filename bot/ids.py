"""Action, callback and block IDs shared by renderers and listeners."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """`action_id`s of interactive elements; the value carries the record id and version."""

    REMINDER_DONE = "reminder_done"            # "Afgerond"
    REMINDER_SNOOZE = "reminder_snooze"        # "Herinner morgen" (snooze; the date stays)
    REMINDER_MOVE = "reminder_move"            # "Verzetten…" (date picker)
    OPEN_DOSSIER = "open_dossier"              # "Dossier"
    DOSSIER_PAGE = "dossier_page"              # next page of /dossier list
    DIGEST_POST = "digest_post"                # "Plaats in kanaal"
    EDIT_DOSSIER = "edit_dossier"              # "Bewerken" on the dossier card → edit modal
    CHANGE_STATUS = "change_status"            # "Status wijzigen" → status modal
    ADD_DEADLINE = "add_deadline"              # "Deadline toevoegen" → add-deadline modal
    DOSSIER_SEARCH = "dossier_search"          # add-deadline form, > 100 dossiers: search as you type


class CallbackId(StrEnum):
    """`callback_id`s of modals."""

    DOSSIER_NEW = "dossier_new"
    DOSSIER_EDIT = "dossier_edit"
    DEADLINE_ADD = "deadline_add"
    DOSSIER_STATUS = "dossier_status"
