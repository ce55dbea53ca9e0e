"""The console renders like Slack: emphasis, emoji, code, quotes and controls."""

from __future__ import annotations

from bot.render.as_text import Style, blocks_to_text, mrkdwn_to_text

TTY = Style(tty=True)


def test_bold_italics_and_strike_are_styles_on_a_tty_and_clean_text_otherwise() -> None:
    text = "Over 7 dagen: *Kamerdebat MIRT* — _1 dag later_ ~oud~"
    assert mrkdwn_to_text(text) == "Over 7 dagen: Kamerdebat MIRT — 1 dag later oud"
    styled = mrkdwn_to_text(text, TTY)
    assert "\x1b[1mKamerdebat MIRT\x1b[22m" in styled and "\x1b[3m1 dag later\x1b[23m" in styled
    assert "\x1b[9moud\x1b[29m" in styled and "*" not in styled


def test_markers_inside_words_are_left_alone() -> None:
    assert mrkdwn_to_text("lobby_demo_db en 2*3*4") == "lobby_demo_db en 2*3*4"
    assert mrkdwn_to_text("<https://x.org/a_b_c|de link>") == "de link (https://x.org/a_b_c)"


def test_emoji_names_become_emoji() -> None:
    shown = mrkdwn_to_text(":bell: :double_vertical_bar: :white_check_mark: :large_green_circle:")
    assert ":" not in shown and "🔔" in shown and "🟢" in shown and "✅" in shown
    assert mrkdwn_to_text(":geen_emoji_naam:") == ":geen_emoji_naam:"


def test_code_blocks_and_quotes_stand_on_their_own_lines() -> None:
    shown = mrkdwn_to_text("Zie:```lobby demo --interactive```daarna\n&gt; citaat *vet*")
    assert shown.splitlines() == ["Zie:", "    lobby demo --interactive", "daarna",
                                  "│ citaat vet"]


def test_controls_are_labelled_as_slack_shows_them() -> None:
    blocks = [{"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Afgerond"}},
        {"type": "datepicker", "initial_date": "2023-09-28",
         "placeholder": {"type": "plain_text", "text": "Verzetten…"}},
        {"type": "datepicker", "placeholder": {"type": "plain_text", "text": "Kies een datum"}},
        {"type": "static_select", "placeholder": {"type": "plain_text", "text": "Dossier"}},
        {"type": "overflow", "options": []}]}]
    assert blocks_to_text(blocks) == ("  [Afgerond] [do 28 sep 2023 📅] [Kies een datum 📅] "
                                      "[Dossier ▾] [⋯]")
