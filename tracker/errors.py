"""Domain errors. Each carries a Dutch and an English message and, where it helps, an example."""

from __future__ import annotations


class LobbyError(Exception):
    """Base of every error a user may see; the message is safe to show in Slack."""

    def __init__(self, nl: str, en: str | None = None, *, example: str | None = None,
                 suggest: bool = False) -> None:
        super().__init__(nl)
        self.nl = nl
        self.en = en or nl
        self.example = example
        self.suggest = suggest  # the example is what the user probably meant: "Bedoelt u …?"

    def message(self, lang: str = "nl", surface: str = "slack") -> str:
        """The message in `lang` ('nl' or 'en'), with the example when there is one, written
        for `surface`: 'slack' (the slash command, in code style) or 'cli' (one line, the
        `lobby` command a shell user types)."""
        text = self.en if lang == "en" else self.nl
        if self.example:
            shown = cli_example(self.example) if surface == "cli" else f"`{self.example}`"
            if self.suggest:
                label = "Did you mean" if lang == "en" else "Bedoelt u"
                return f"{text} {label} {shown}?" if surface == "cli" else \
                    f"{text}\n{label} {shown}?"
            label = "Example" if lang == "en" else "Voorbeeld"
            if surface == "cli":
                return f"{text} {label}: {shown}"
            text = f"{text}\n{label}: {shown}"
        return text


# How the slash commands are typed on the command line (`lobby dossier show N35`).
_CLI_PREFIXES = (("/lobby help", "lobby --help"), ("/lobby team", "lobby team"),
                 ("/dossier", "lobby dossier"), ("/deadline", "lobby deadline"),
                 ("/programma", "lobby programma"), ("/digest post", "lobby digest --post CHANNEL --period"),
                 ("/digest", "lobby digest --period"), ("/lobby", "lobby"))


def cli_example(example: str) -> str:
    """A Slack-syntax example (`/deadline add N35 …`) as the `lobby` command line that does the
    same; words a shell would split are quoted."""
    for slash, cli in _CLI_PREFIXES:
        if example == slash or example.startswith(slash + " "):
            rest = example[len(slash):].split()
            if not rest:
                cli = cli.removesuffix(" --period")
            words = [f"'{w}'" if w.startswith("#") else w for w in rest]
            if cli.endswith("--period") and len(words) > 1:  # one argument: "H2 2023"
                words = [f"'{' '.join(words)}'"]
            return " ".join([cli, *words])
    return example


class InvalidInput(LobbyError):
    """The input could not be understood or breaks a rule; nothing was changed."""


class NotFound(LobbyError):
    """The record asked for does not exist."""

    def __init__(self, nl: str, en: str | None = None, *, example: str | None = None,
                 suggestion: str | None = None) -> None:
        super().__init__(nl, en, example=example)
        self.suggestion = suggestion


class Ambiguous(LobbyError):
    """The reference matches more than one record; `candidates` lists them."""

    def __init__(self, nl: str, en: str | None = None, *, candidates: list[str] | None = None,
                 example: str | None = None) -> None:
        super().__init__(nl, en, example=example)
        self.candidates = candidates or []


class Forbidden(LobbyError):
    """The user's role does not allow this."""


class Conflict(LobbyError):
    """Someone else changed the record in the meantime (optimistic version check)."""


class DatabaseUnavailable(LobbyError):
    """The database cannot be reached or opened (exit code 3 on the command line)."""
