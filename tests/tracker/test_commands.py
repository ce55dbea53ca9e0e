"""The shared slash-command grammar: Dutch and English keywords, every form, bad input."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from tests.conftest import AMS, PINNED_NOW
from tracker.commands import parse_command
from tracker.errors import InvalidInput


def parse(command: str, text: str, now: datetime = PINNED_NOW):
    return parse_command(command, text, now=now, tz=AMS)


@pytest.mark.parametrize(("command", "text", "area", "action"), [
    ("/lobby", "", "help", "help"),
    ("/lobby", "help", "help", "help"),
    ("/lobby", "hulp", "help", "help"),
    ("/dossier", "", "dossier", "list"),
    ("/dossier", "lijst", "dossier", "list"),
    ("/dossier", "list rood", "dossier", "list"),
    ("/dossier", "toon N35", "dossier", "show"),
    ("/dossier", "show n35", "dossier", "show"),
    ("/lobby", "dossier show N35", "dossier", "show"),
    ("/dossier", "nieuw", "dossier", "new_modal"),
    ("/dossier", "new ABC Een nieuw dossier", "dossier", "new"),
    ("/dossier", "bewerk N35", "dossier", "edit"),
    ("/dossier", "archiveer N35", "dossier", "archive"),
    ("/deadline", "", "deadline", "list"),
    ("/deadline", "nieuw", "deadline", "add_modal"),
    ("/deadline", "klaar 42", "deadline", "done"),
    ("/deadline", "done #42", "deadline", "done"),
    ("/deadline", "annuleer 42", "deadline", "cancel"),
    ("/programma", "", "programma", "list"),
    ("/programma", "lijst economie", "programma", "list"),
    ("/digest", "", "digest", "show"),
    ("/digest", "post 2023H1", "digest", "post"),
    ("/lobby", "team", "team", "list"),
    ("/lobby", "team lijst", "team", "list"),
])
def test_keywords_in_dutch_and_english(command, text, area, action):
    parsed = parse(command, text)
    assert (parsed.area, parsed.action) == (area, action)


def test_status_takes_a_multi_word_reference_and_a_reason():
    parsed = parse("/dossier", "status zwolle meppel rood MIRT-brief pauzeert het project")
    assert parsed.args == {"ref": "zwolle meppel", "rag": "red",
                           "reason": "MIRT-brief pauzeert het project"}
    assert parse("/dossier", "status N35 amber: wacht op besluit").args["rag"] == "amber"


def test_status_without_reason_is_refused_with_an_example():
    with pytest.raises(InvalidInput) as err:
        parse("/dossier", "status N35 rood")
    assert "reden" in err.value.nl and err.value.example.startswith("/dossier status")


def test_owner_and_channel_read_slack_escapes():
    assert parse("/dossier", "owner N35 <@U012ABCDEF|anna>").args == {"ref": "N35", "user": "U012ABCDEF"}
    assert parse("/dossier", "eigenaar N35 geen").args["user"] is None
    assert parse("/dossier", "kanaal N35 <#C0123ABCD|lobby-n35>").args["channel"] == "C0123ABCD"


def test_note_splits_reference_and_text():
    assert parse("/dossier", "notitie N35 Gesprek met gedeputeerde").args == {
        "ref": "N35", "text": "Gesprek met gedeputeerde"}
    assert parse("/dossier", "note zwolle meppel | Brief verstuurd").args == {
        "ref": "zwolle meppel", "text": "Brief verstuurd"}
    assert parse("/dossier", 'note "zwolle meppel" Brief verstuurd').args["ref"] == "zwolle meppel"


@pytest.mark.parametrize(("text", "due", "at", "title"), [
    ("N35 20 nov 2023 Kamerdebat MIRT", date(2023, 11, 20), None, "Kamerdebat MIRT"),
    ("N35 2023-11-20 Kamerdebat MIRT", date(2023, 11, 20), None, "Kamerdebat MIRT"),
    ("N35 20-11-2023 14:00 Kamerdebat MIRT", date(2023, 11, 20), time(14), "Kamerdebat MIRT"),
    ("N35 maandag 20 november Kamerdebat", date(2023, 11, 20), None, "Kamerdebat"),
    ("N35 volgende vrijdag Overleg", date(2023, 11, 17), None, "Overleg"),
    ("N35 over 2 weken Brief", date(2023, 11, 29), None, "Brief"),
    ("N35 20 nov | 2 Kamervragen", date(2023, 11, 20), None, "2 Kamervragen"),
    ("RD5 31 okt 2024 Indienen Regio Deal", date(2024, 10, 31), None, "Indienen Regio Deal"),
    ("N35 next friday Call", date(2023, 11, 17), None, "Call"),
])
def test_deadline_add_finds_the_date_between_reference_and_title(text, due, at, title):
    parsed = parse("/deadline", f"add {text}")
    assert parsed.args["when"].date == due
    assert parsed.args["when"].time == at
    assert parsed.args["title"] == title


@pytest.mark.parametrize("text", [
    "add N35", "add N35 Kamerdebat", "add N35 20 nov", "add N35 31 februari Debat",
    "add N35 | Debat", "move 42", "move x 20 nov", "done", "done 42 extra", "remind 42",
    "remind 42 veertien", "remind 42 -1", "cancel #abc", "remind 42 1,2,3,4,5,6,7,8,9,10,11",
])
def test_deadline_bad_input_is_refused(text):
    with pytest.raises(InvalidInput) as err:
        parse("/deadline", text)
    assert err.value.nl and err.value.en


def test_deadline_list_reads_ref_and_horizon():
    assert parse("/deadline", "list N35 60d").args["ref"] == "N35"
    assert parse("/deadline", "lijst 3 maanden").args["until"] == date(2024, 2, 15)
    assert parse("/deadline", "").args["until"] == date(2023, 12, 15)
    assert parse("/deadline", "zwolle meppel Q4").args["ref"] == "zwolle meppel"


def test_deadline_remind_parses_the_ladder():
    assert parse("/deadline", "herinner 42 14,7,1").args == {"id": 42, "offsets": (14, 7, 1)}
    assert parse("/deadline", "remind 42 geen").args["offsets"] == ()


def test_programme_status_finds_the_status_word():
    parsed = parse("/programma", "status Groei Vooruit op-schema loopt volgens plan")
    assert parsed.args == {"ref": "Groei Vooruit", "status": "on-track", "note": "loopt volgens plan"}
    assert parse("/programma", "status Mobiliteitstransitie stilgelegd").args["status"] == "paused"
    assert parse("/programma", "status Upgrade jezelf at risk te weinig aanmeldingen").args[
        "status"] == "at-risk"


def test_digest_periods():
    assert parse("/digest", "2023H1").args["period"].key == "2023H1"
    assert parse("/digest", "post Q3 2023").args["period"].key == "2023Q3"
    assert parse("/digest", "").args["period"].key == "2023H2"


def test_team_commands():
    assert parse("/lobby", "team add <@U0ABC123|piet> editor").args == {"user": "U0ABC123", "role": "editor"}
    assert parse("/lobby", "team remove <@U0ABC123>").args == {"user": "U0ABC123"}
    with pytest.raises(InvalidInput):
        parse("/lobby", "team add <@U0ABC123> koning")
    with pytest.raises(InvalidInput):
        parse("/lobby", "team add piet editor")


@pytest.mark.parametrize(("command", "text"), [
    ("/lobby", "onzin"), ("/dossier", "status"), ("/dossier", "owner N35 anna"),
    ("/dossier", "channel N35 lobby"), ("/dossier", "new ABC"), ("/dossier", "note N35"),
    ("/programma", "status Groei Vooruit"), ("/digest", "2023H3"), ("/digest", "post Q5"),
    ("/lobby", "x" * 5000), ("/onbekend", "iets"),
])
def test_malformed_commands_get_a_clear_message(command, text):
    with pytest.raises(InvalidInput) as err:
        parse(command, text)
    assert len(err.value.nl) < 400


def test_control_characters_are_stripped():
    assert parse("/dossier", "show\x00 N35\x07").args["ref"] == "N35"


def test_deadline_add_names_the_impossible_date():
    with pytest.raises(InvalidInput) as err:
        parse("/deadline", "add N35 31 februari Overleg")
    assert "31 februari bestaat niet" in err.value.nl


def test_a_weekday_that_disagrees_with_the_date_is_refused_saying_which_day_it_is():
    # PINNED_NOW lies in November 2023: 20 November 2023 is a Monday, 24 November a Friday.
    with pytest.raises(InvalidInput) as err:
        parse("/deadline", "add N35 maandag 24 november Kamerdebat MIRT")
    assert "24 november 2023 is een vrijdag, geen maandag" in err.value.nl
    command = parse("/deadline", "add N35 maandag 20 november Kamerdebat MIRT")
    assert command.args["when"].date == date(2023, 11, 20)
    assert command.args["title"] == "Kamerdebat MIRT"


@pytest.mark.parametrize(("text", "due", "title"), [
    ("add N35 20 nov 27 Test", date(2027, 11, 20), "Test"),
    ("add N35 20-11-27 Test", date(2027, 11, 20), "Test"),
    ("add N35 20 nov 2027 27 gemeenten", date(2027, 11, 20), "27 gemeenten"),
])
def test_two_digit_years_are_this_century_and_never_part_of_the_title(text, due, title):
    command = parse("/deadline", text)
    assert (command.args["when"].date, command.args["title"]) == (due, title)


@pytest.mark.parametrize("text", [
    "add N35 20 nov 2101 Ver weg", "add N35 20 nov 1999 Oud overleg",
    'add N35 "1 dec 2101" "Ver weg"', "add N35 20 november 3000 Ver",
])
def test_a_year_outside_the_window_is_refused_never_the_next_year_and_a_title(text):
    with pytest.raises(InvalidInput) as err:
        parse("/deadline", text)
    assert "valt buiten 2000–2100" in err.value.nl


@pytest.mark.parametrize(("text", "title"), [
    ('add N35 "20 nov 2027" "Kamerdebat MIRT"', "Kamerdebat MIRT"),
    ('add N35 20 nov 2027 "Regel een *twee*"', "Regel een *twee*"),
    ('add "zwolle meppel" 20 nov 2027 "Overleg ProRail"', "Overleg ProRail"),
    ('add N35 20 nov 2027 Debat "MIRT"', 'Debat "MIRT"'),
])
def test_a_title_quoted_as_a_whole_loses_its_quotes(text, title):
    command = parse("/deadline", text)
    assert (command.args["when"].date, command.args["title"]) == (date(2027, 11, 20), title)


@pytest.mark.parametrize(("text", "precision", "qualifier", "part", "title"), [
    ("add N35 voorjaar 2024 Lobbyplan", "season", "", "", "Lobbyplan"),
    ("add N35 Q3 2024 Rapportage", "quarter", "", "", "Rapportage"),
    ("add N35 eind 2024 Akkoord", "year", "", "end", "Akkoord"),
    ("add N35 in juni Verkiezingen", "month", "", "", "Verkiezingen"),
    ("add N35 week 47 Overleg", "week", "", "", "Overleg"),
    ("add N35 op z'n vroegst eind 2024 Akkoord TEN-T", "year", "vroegst", "end", "Akkoord TEN-T"),
    ("add N35 uiterlijk 1 oktober Zienswijze", "day", "uiterlijk", "", "Zienswijze"),
    ("add N35 medio 2024 | Ondertekening", "year", "", "mid", "Ondertekening"),
])
def test_deadline_add_keeps_how_precisely_the_date_is_known(text, precision, qualifier, part,
                                                             title):
    when = parse("/deadline", text).args["when"]
    assert (when.precision, when.qualifier, when.part) == (precision, qualifier, part)
    assert parse("/deadline", text).args["title"] == title
