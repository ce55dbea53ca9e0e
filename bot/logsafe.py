"""Log lines that hold no secret and cannot be forged: every record `lobby serve` writes goes
through `RedactSecrets`, which removes `response_url`s (a capability to post in a channel),
tokens, signatures and the calendar feed's token, and puts the record on one line."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

_PATTERNS = (
    # A response_url (also percent-encoded inside a form body, or quoted in JSON).
    re.compile(r"(response_url\W{1,6})[^\s\"'&,}]+", re.IGNORECASE),
    re.compile(r"https?(?::|%3A)(?://|%2F%2F)hooks\.slack(?:-gov)?\.com[^\s\"'&,}]*",
               re.IGNORECASE),
    # Slack tokens (bot, user, app, config, refresh) and signatures.
    re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+"),
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),
    re.compile(r"\bv0=[0-9a-f]{16,}", re.IGNORECASE),
    # `token=…`, `"token": "…"`, `x-slack-signature: …`, `signing_secret=…`, `authorization: …`
    re.compile(r"((?:token|signature|secret|authorization)[\"']?\s*[:=]\s*[\"']?)"
               r"[^\s\"'&,}]+", re.IGNORECASE),
)


def redact(text: str) -> str:
    """`text` without secrets, and on one line (CR/LF shown as \\r \\n)."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text.replace("\r", "\\r").replace("\n", "\\n")


class RedactSecrets(logging.Filter):
    """A handler filter: the record's message (and its traceback) with secrets removed."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: log what was given, still redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info:
            # Tracebacks stay multi-line (readable), but without secrets in them.
            text = self._formatter.formatException(record.exc_info)
            record.exc_text = "\n".join(redact(line) for line in text.splitlines())
            record.exc_info = None
        return True


def install(root: logging.Logger | None = None) -> None:
    """Put `RedactSecrets` on every handler of the root logger (after logging is configured)."""
    for handler in (root or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
