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
    DEADLINE_ADD_ANYWAY = "deadline_add_anyway"  # "Toch toevoegen" after "bestaat al als #19"
    CONFIRM_DONE = "confirm_done"              # confirmation round: "Afgerond"
    CONFIRM_MISSED = "confirm_missed"          # confirmation round: "Niet gehaald"
    CONFIRM_MOVE = "confirm_move"              # confirmation round: "Verzetten…" (date picker)
    KAMER_FOLLOW = "kamer_follow"              # "Volg als mijlpaal" on a Tweede Kamer suggestion
    KAMER_IGNORE = "kamer_ignore"              # "Negeer"
    KAMER_UNLINK = "kamer_unlink"              # "Ontkoppel" on a moved/cancelled notice
    KAMER_VIEW = "kamer_view"                  # "Bekijk" (a link to tweedekamer.nl)
    KAMER_FOLLOW_ACTIVITY = "kamer_follow_activity"  # "Volg" on a /kamer zoek result
    KAMER_SEARCH = "kamer_search"              # add-deadline form: coming activities as you type


class CallbackId(StrEnum):
    """`callback_id`s of modals."""

    DOSSIER_NEW = "dossier_new"
    DOSSIER_EDIT = "dossier_edit"
    DEADLINE_ADD = "deadline_add"
    DOSSIER_STATUS = "dossier_status"
