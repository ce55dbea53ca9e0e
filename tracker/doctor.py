"""`lobby doctor`: which database and which `.env` are in use, then one line per check —
settings, database, migrations, deliveries, and the checks adapters add through the
`lobbytracker.doctor` entry-point group (Slack's auth.test). Every line says `ok`, `warn` or
`FAIL`, in LOBBY_LANGUAGE, and for a problem what to do about it."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points

from sqlalchemy import func, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from tracker.db import is_sqlite, make_engine
from tracker.migrate import current_revision, head_revision
from tracker.models import Delivery, DeliveryStatus
from tracker.settings import Settings

PLUGIN_GROUP = "lobbytracker.doctor"
# The name printed for each check, per language (the key stays the same for scripts and tests).
NAMES = {"nl": {"settings": "instellingen", "migrations": "migraties",
                "deliveries": "verzendingen", "env": ".env"},
         "en": {"env": ".env"}}
# Exit codes (DESIGN): 2 wrong settings, 3 database unreachable or behind.
EXIT_SETTINGS, EXIT_DATABASE = 2, 3


@dataclass(frozen=True)
class Check:
    """The outcome of one check: ok, a warning (ok=False, warning=True) or a failure."""

    name: str
    ok: bool
    detail: str
    warning: bool = False
    lang: str = "en"

    @property
    def mark(self) -> str:
        """`ok`, `warn` or `FAIL`."""
        return "ok" if self.ok and not self.warning else ("warn" if self.warning else "FAIL")

    @property
    def failed(self) -> bool:
        """True for a FAIL (a warning is not a failure)."""
        return self.mark == "FAIL"

    def line(self) -> str:
        """`ok   database: …` / `warn …` / `FAIL …`."""
        name = NAMES.get(self.lang, {}).get(self.name, self.name)
        return f"{self.mark:<4} {name}: {self.detail}"


CheckFn = Callable[[Settings], Iterator[Check]]


def _t(settings: Settings, nl: str, en: str) -> str:
    return nl if settings.lobby_language == "nl" else en


def check_database(settings: Settings) -> Iterator[Check]:
    """The database answers, its schema is at head, and no delivery failed for good."""
    from tracker.app import sqlite_path, unreachable

    lang = settings.lobby_language
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        # Opening it would create it: say what will happen instead of doing it.
        from tracker.settings import default_database_url

        if not path.parent.is_dir() and settings.database_url != default_database_url():
            yield Check("database", False, _t(
                settings, f"{shown}: de map {path.parent} bestaat niet; maak hem aan "
                f"(mkdir -p {path.parent}) of kies een ander pad in DATABASE_URL",
                f"{shown}: the directory {path.parent} does not exist; create it "
                f"(mkdir -p {path.parent}) or choose another path in DATABASE_URL"), lang=lang)
            return
        yield Check("database", True, _t(
            settings, f"{shown} (bestaat nog niet; wordt bij het eerste gebruik aangemaakt)",
            f"{shown} (does not exist yet; created on first use)"), lang=lang)
        yield Check("migrations", True, _t(
            settings, "SQLite wordt bij het eerste gebruik automatisch bijgewerkt",
            "SQLite is upgraded automatically on first use"), lang=lang)
        return
    extra = {} if is_sqlite(settings.database_url) else {"connect_args": {"connect_timeout": 5}}
    engine = make_engine(settings.database_url, **extra)
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means: not reachable
            yield Check("database", False, unreachable(settings.database_url, exc).message(lang),
                        lang=lang)
            return
        yield Check("database", True, shown, lang=lang)
        current, head = current_revision(engine), head_revision()
        if current == head:
            yield Check("migrations", True, _t(settings, f"op {head} (nieuwste)",
                                               f"at {head} (newest)"), lang=lang)
        elif path is not None:
            yield Check("migrations", True, _t(
                settings, f"op {current or 'leeg'}, code verwacht {head}: SQLite wordt bij het "
                "eerste gebruik automatisch bijgewerkt",
                f"at {current or 'empty'}, code expects {head}: SQLite is upgraded "
                "automatically on first use"), lang=lang)
            return
        else:
            yield Check("migrations", False, _t(
                settings, f"op {current or 'leeg'}, code verwacht {head}: voer `lobby db upgrade` "
                "uit", f"at {current or 'empty'}, code expects {head}: run `lobby db upgrade`"),
                lang=lang)
            return
        yield from _deliveries(settings, engine)
    finally:
        engine.dispose()


def _deliveries(settings: Settings, engine: object) -> Iterator[Check]:
    from tracker.scheduling.plan import SKIP_EMPTY  # an empty agenda is no downtime

    with Session(engine) as session:  # type: ignore[arg-type]
        counts = dict(session.exec(
            select(Delivery.status, func.count())
            .where(func.coalesce(Delivery.last_error, "") != SKIP_EMPTY)
            .group_by(Delivery.status)).all())
        failed = list(session.exec(select(Delivery).where(
            Delivery.status == DeliveryStatus.FAILED.value).limit(5)))
    bad = counts.get(DeliveryStatus.FAILED.value, 0)
    retry = counts.get(DeliveryStatus.RETRY.value, 0)
    skipped = counts.get(DeliveryStatus.SKIPPED.value, 0)
    sent = counts.get(DeliveryStatus.SENT.value, 0)
    detail = _t(settings, f"{sent} verzonden, {retry} wachten op een nieuwe poging, {bad} mislukt, "
                          f"{skipped} overgeslagen na uitval",
                f"{sent} sent, {retry} waiting to retry, {bad} failed, "
                f"{skipped} skipped after downtime")
    if failed:
        detail += _t(settings, "; mislukt: ", "; failed: ") + ", ".join(
            f"{d.key} in {d.channel} ({d.last_error})" for d in failed)
        detail += _t(settings, " — nodig de bot uit in die kanalen of kies een ander kanaal",
                     " — invite the bot to those channels or choose another channel")
    yield Check("deliveries", True, detail, warning=bad > 0, lang=settings.lobby_language)


def check_settings(settings: Settings) -> Iterator[Check]:
    """Which Slack settings are present (no values are ever printed)."""
    lang = settings.lobby_language
    mode = "Socket Mode" if settings.slack_app_token else _t(settings, "HTTP-modus", "HTTP mode")
    needed = ["SLACK_BOT_TOKEN"] + (["SLACK_APP_TOKEN"] if settings.slack_app_token
                                    else ["SLACK_SIGNING_SECRET"])
    values = {"SLACK_BOT_TOKEN": settings.slack_bot_token, "SLACK_APP_TOKEN": settings.slack_app_token,
              "SLACK_SIGNING_SECRET": settings.slack_signing_secret}
    missing = [name for name in needed if not values[name]]
    if missing:
        yield Check("settings", False, _t(
            settings, f"{mode}, ontbreekt: {', '.join(missing)}; zet ze in .env of de omgeving "
            "(zie .env.example); zonder deze start `lobby serve` niet",
            f"{mode}, missing: {', '.join(missing)}; set them in .env or the environment "
            "(see .env.example); `lobby serve` will not start without"), lang=lang)
    else:
        yield Check("settings", True, _t(settings, f"{mode}, alle Slack-instellingen aanwezig",
                                         f"{mode}, all Slack settings present"), lang=lang)
    if not settings.lobby_default_channel:
        yield Check("LOBBY_DEFAULT_CHANNEL", True, _t(
            settings, "niet gezet: herinneringen van dossiers zonder kanaal (zoals die van de "
            "voorbeelddataset) en de weekagenda worden nergens geplaatst",
            "not set: reminders of dossiers without a channel (such as the example dataset's) "
            "and the weekly agenda are posted nowhere"), warning=True, lang=lang)
    if not settings.lobby_digest_channel:
        yield Check("LOBBY_DIGEST_CHANNEL", True, _t(
            settings, "niet gezet: de halfjaarrapportage wordt niet automatisch geplaatst",
            "not set: the half-year digest is not posted automatically"), warning=True,
            lang=lang)


def check_sources(settings: Settings) -> Iterator[Check]:
    """Which database and which `.env` are in use (always printed first)."""
    from tracker.settings import env_file

    lang = settings.lobby_language
    chosen = env_file()
    yield Check("env", True, str(chosen) if chosen else _t(
        settings, "geen (alleen de omgeving)", "none (the environment only)"), lang=lang)


def run_checks(settings: Settings, *, skip_database: bool = False) -> list[Check]:
    """Every check, the built-in ones first; a check that crashes is itself a FAIL line."""
    checks: list[CheckFn] = [check_sources, check_settings]
    if skip_database:
        checks.append(_database_not_checked)
    else:
        checks.append(check_database)
    checks += [entry.load() for entry in sorted(entry_points(group=PLUGIN_GROUP),
                                                key=lambda e: e.name)]
    results: list[Check] = []
    for fn in checks:
        try:
            results.extend(fn(settings))
        except Exception as exc:  # a doctor never crashes on what it examines
            results.append(Check(getattr(fn, "__name__", "check").removeprefix("check_"), False,
                                 f"{type(exc).__name__}: {exc}"[:300],
                                 lang=settings.lobby_language))
    return results


def _database_not_checked(settings: Settings) -> Iterator[Check]:
    yield Check("database", True, _t(settings, "niet gecontroleerd: DATABASE_URL is ongeldig (zie "
                                     "boven)", "not checked: DATABASE_URL is invalid (see above)"),
                warning=True, lang=settings.lobby_language)


def exit_code(results: list[Check]) -> int:
    """0 all ok or warnings; 3 when the database failed; 2 when another check failed."""
    failed = {c.name for c in results if c.failed}
    if failed & {"database", "migrations"}:
        return EXIT_DATABASE
    return EXIT_SETTINGS if failed else 0


def _settings_despite_errors() -> tuple[Settings, list[Check]]:
    """The settings; a wrong one is reported and replaced by its default so the other checks
    still run (a doctor is most needed when something is wrong)."""
    import os

    from pydantic import ValidationError

    from tracker.settings import describe_problems, env_file, load_settings

    lang = os.environ.get("LOBBY_LANGUAGE", "").strip().lower()
    lang = lang if lang in ("nl", "en") else "nl"
    problems: list[Check] = []
    overrides: dict[str, object] = {}
    chosen = env_file()
    if chosen is not None and not chosen.is_file():
        problems.append(Check("env", False, (
            f"LOBBY_ENV_FILE wijst naar {chosen}, dat niet bestaat; maak het aan of haal "
            "LOBBY_ENV_FILE weg" if lang == "nl" else
            f"LOBBY_ENV_FILE points at {chosen}, which does not exist; create it or unset "
            "LOBBY_ENV_FILE"), lang=lang))
        overrides["_env_file"] = None
    for _attempt in range(len(Settings.model_fields) + 1):
        try:
            return load_settings(**overrides), problems
        except ValidationError as exc:
            for error, sentence in zip(exc.errors(), describe_problems(exc, lang), strict=True):
                field = str(error["loc"][0]) if error.get("loc") else ""
                problems.append(Check("settings", False, sentence, lang=lang))
                info = next((f for n, f in Settings.model_fields.items()
                             if field in (n, f.alias)), None)
                if info is None:
                    raise
                overrides[info.alias or field] = info.get_default(call_default_factory=True)
    raise RuntimeError("settings could not be loaded")


def doctor_command(args: argparse.Namespace) -> int:
    """`lobby doctor`: print every check; exit 0 (ok, warnings), 2 (settings) or 3 (database)."""
    settings, problems = _settings_despite_errors()
    bad_url = any("DATABASE_URL" in c.detail for c in problems)
    results = problems + run_checks(settings, skip_database=bad_url)
    for check in results:
        print(check.line())
    return exit_code(results)
