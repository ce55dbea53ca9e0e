"""Domain errors. Each carries a Dutch and an English message and, where it helps, an example."""

from __future__ import annotations


class LobbyError(Exception):
    """Base of every error a user may see; the message is safe to show in Slack."""

    def __init__(self, nl: str, en: str | None = None, *, example: str | None = None) -> None:
        super().__init__(nl)
        self.nl = nl
        self.en = en or nl
        self.example = example

    def message(self, lang: str = "nl") -> str:
        """The message in `lang` ('nl' or 'en'), with the example when there is one."""
        text = self.en if lang == "en" else self.nl
        if self.example:
            label = "Example" if lang == "en" else "Voorbeeld"
            text = f"{text}\n{label}: `{self.example}`"
        return text


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
