"""The team's side of `lobby demo`, simulated and labelled so: what the advisers of Regio Zwolle
would click and type between the reminders, taken from what the half-year report says happened
or was planned. Where the report is silent the simulated team does what a team would (confirm,
move or leave open) and says so; it invents no outcome.

Each action runs through the real services at its simulated moment, so the reminders that follow
and the 2023H2 digest show the consequences (a visit done gets no overdue nudge, a moved debate
gets a new reminder ladder, a status change is in the digest with its reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from tracker.models import Deadline, DeadlineStatus, Dossier
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds

TZ = ZoneInfo("Europe/Amsterdam")
ACTOR = "U0DEMOTEAM"  # the simulated adviser
LABEL = {"nl": "(gesimuleerd)", "en": "(simulated)"}


def _at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def _deadline(session: Session, title: str) -> Deadline:
    found = session.exec(select(Deadline).where(Deadline.title == title)).first()
    if found is None:
        raise LookupError(f"the dataset has no deadline {title!r}")
    return found


def _dossier(session: Session, code: str) -> Dossier:
    found = session.exec(select(Dossier).where(Dossier.code == code)).first()
    if found is None:
        raise LookupError(f"the dataset has no dossier {code!r}")
    return found


Act = Callable[[Session, datetime], tuple[str, str]]


@dataclass(frozen=True)
class TeamAction:
    """One simulated click or command at `at`; `act` returns what it did (nl, en)."""

    at: datetime
    act: Act


def done(title: str, why_nl: str, why_en: str) -> Act:
    """*Afgerond* on the milestone's reminder."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        deadline = _deadline(session, title)
        if deadline.status != DeadlineStatus.OPEN.value:
            return (f"#{deadline.id} {title} was al afgesloten.",
                    f"#{deadline.id} {title} was already closed.")
        dl.complete_deadline(session=session, now=now, actor=ACTOR, deadline=deadline)
        return (f"klikt *Afgerond* bij #{deadline.id} {title}: {why_nl}",
                f"clicks *Done* on #{deadline.id} {title}: {why_en}")
    return act


def left_open(code: str, title: str, note_nl: str, note_en: str) -> Act:
    """No click: the outcome is unknown, so the team notes why and leaves it open."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        deadline = _deadline(session, title)
        ds.add_note(session=session, now=now, actor=ACTOR, dossier=_dossier(session, code),
                    text=note_nl)
        return (f"laat #{deadline.id} {title} open en noteert bij {code}: {note_nl}",
                f"leaves #{deadline.id} {title} open and notes on {code}: {note_en}")
    return act


def moved(title: str, due: date, approximate: bool, why_nl: str, why_en: str) -> Act:
    """*Verzetten…*: the milestone gets a new date (and a new reminder ladder)."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        from tracker.dates import format_date

        deadline = _deadline(session, title)
        before, before_en = format_date(deadline.due_date, "nl"), format_date(deadline.due_date, "en")
        dl.move_deadline(session=session, now=now, actor=ACTOR, deadline=deadline, due=due,
                         approximate=approximate)
        return (f"verzet #{deadline.id} {title} van {before} naar {format_date(due, 'nl')}: "
                f"{why_nl}",
                f"moves #{deadline.id} {title} from {before_en} to "
                f"{format_date(due, 'en')}: {why_en}")
    return act


def status(code: str, rag: str, reason: str, reason_en: str) -> Act:
    """`/dossier status CODE rag reason`."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        from tracker.labels import rag_label

        dossier = _dossier(session, code)
        before = dossier.rag
        ds.set_status(session=session, now=now, actor=ACTOR, dossier=dossier, rag=rag,
                      reason=reason)
        return (f"`/dossier status {code} {rag_label(rag, 'nl')} …`: {rag_label(before, 'nl')} "
                f"→ {rag_label(rag, 'nl')}: {reason}",
                f"`/dossier status {code} {rag_label(rag, 'en')} …`: {rag_label(before, 'en')} "
                f"→ {rag_label(rag, 'en')}: {reason_en}")
    return act


def snooze(title: str) -> Act:
    """*Herinner morgen* on a reminder: one more reminder on the next working day at the
    reminder time (the demo's defaults: 09:00 Europe/Amsterdam); the date stays."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        from tracker.services.reminders import snooze_deadline
        from tracker.settings import Settings

        deadline = _deadline(session, title)
        snooze_deadline(session=session, now=now, deadline=deadline,
                        settings=Settings.model_construct())
        return (f"klikt *Herinner morgen* bij #{deadline.id} {title}: nog één herinnering op "
                "de volgende werkdag, de datum blijft",
                f"clicks *Remind tomorrow* on #{deadline.id} {title}: one more reminder on the "
                "next working day, the date stays")
    return act


def confirmation_round(period_end: date) -> Act:
    """The owners confirm their open actions of the half-year before the digest.

    The tick posts the round (tracker.scheduling.confirm) a few working days before the
    digest; the simulated team answers it here: it confirms nothing the report does not
    give, so every open action past its date is left open and the digest lists it as
    "niet afgemeld"."""
    def act(session: Session, now: datetime) -> tuple[str, str]:
        rows = session.exec(select(Deadline).where(
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.due_date <= period_end)).all()
        actions = [d for d in rows if getattr(d, "role", "action") == "action"]
        listed = ", ".join(f"#{d.id}" for d in actions[:12]) + (" …" if len(actions) > 12 else "")
        return (f"bevestigingsronde voor de halfjaarrapportage: {len(actions)} open acties van dit "
                f"halfjaar ({listed}); de rapportage zegt niet of ze gehaald zijn, dus het team "
                "laat ze open en de rapportage noemt ze ‘niet afgemeld’",
                f"confirmation round before the half-year digest: {len(actions)} open actions of "
                f"this half-year ({listed}); the report does not say whether they were met, so "
                "the team leaves them open and the digest lists them as ‘not confirmed’")
    return act


def team_actions() -> list[TeamAction]:
    """The simulated team of the second half of 2023, in time order (facts: the report)."""
    return sorted([
        TeamAction(_at(2023, 9, 28), done(
            "Werkbezoek minister Harbers over NOVEX-gebied Regio Zwolle",
            "het werkbezoek heeft plaatsgevonden (gepland op 28 september volgens de "
            "rapportage)", "the visit took place (planned for 28 September in the report)")),
        TeamAction(_at(2023, 10, 31), done(
            "Indienen aanvraag Regio Deal 5e tranche",
            "de aanvraag is ingediend vóór de termijn van 31 oktober (de rapportage noemt de "
            "termijn, niet de indiening: het team bevestigt)",
            "the application was filed before the 31 October deadline (the report gives the "
            "deadline, not the filing: the team confirms)")),
        TeamAction(_at(2023, 11, 6), done(
            "BO MIRT Noord", "het bestuurlijk overleg van 6 november heeft plaatsgevonden",
            "the administrative consultation of 6 November took place")),
        TeamAction(_at(2023, 11, 6, 17, 5), left_open(
            "LLO", "Werkbezoek minister Van Gennip (SZW) aan Regio Zwolle",
            "Vanwege de val van het kabinet is de status van het werkbezoek onduidelijk; "
            "nog niet afgemeld.",
            "Because the cabinet fell, the status of the visit is unclear (report); not "
            "confirmed yet.")),
        TeamAction(_at(2023, 11, 9), done(
            "BO MIRT Oost", "het bestuurlijk overleg van 9 november heeft plaatsgevonden",
            "the administrative consultation of 9 November took place")),
        TeamAction(_at(2023, 11, 27, 18), done(  # the Tweede Kamer moved it from 20 November
            "Kamerdebat MIRT", "het Kamerdebat MIRT van 27 november heeft plaatsgevonden",
            "the MIRT debate of 27 November took place")),
        TeamAction(_at(2023, 11, 23, 10), status(
            "ZTM", "amber",
            "Na de verkiezingen van 22 november moet het internationaal spoor opnieuw landen in "
            "verkiezingsprogramma's en regeerakkoord; het TEN-T-besluit volgt op z'n vroegst "
            "eind 2023. Beoordeling van het team (gesimuleerd).",
            "After the elections of 22 November the international rail link must land again in "
            "party programmes and the coalition agreement; the TEN-T decision follows at the "
            "earliest at the end of the year (report). The team's assessment (simulated).")),
        TeamAction(_at(2023, 11, 28, 9, 30), snooze(
            "Update evaluatie sectorale aanpak aan de Board Arbeidsmarkt")),
        TeamAction(_at(2023, 12, 1, 10), moved(
            "Commissiedebat internationaal spoor", date(2024, 3, 31), True,
            "de Kamer heeft het debat na de verkiezingen nog niet gepland; het team verwacht "
            "het in Q1 2024 (de rapportage noemt geen datum)",
            "the House has not scheduled the debate since the elections; the team expects it "
            "in Q1 2024 (the report gives no date)")),
        TeamAction(_at(2023, 12, 22, 10), confirmation_round(date(2023, 12, 31))),
    ], key=lambda a: a.at)


def describe(action_text: tuple[str, str], lang: str) -> str:
    """The printed line: the label first, so nobody mistakes it for a real record."""
    text = action_text[1] if lang == "en" else action_text[0]
    return f"{LABEL['en' if lang == 'en' else 'nl']} {text}"
