"""Watch words → suggestions: which dossiers a text from the Tweede Kamer is about.

A watch word matches whole words, case and accents folded ("n35" matches "N35-verbreding",
"wijthmen" matches "Wijthmen–Nijverdal"); a watch phrase ("internationaal spoor") matches those
words in that order. The index looks words up in a dict, so a pass over 10,000 texts costs the
same with 5 or 5,000 watch words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.text import fold

WORD_RE = re.compile(r"[0-9a-z]+")
MAX_WORD = 100


def words_of(text: str) -> list[str]:
    """The folded words of `text`."""
    return WORD_RE.findall(fold(text or ""))


def normalise(word: str) -> str:
    """A watch word as stored for matching ("N35 " → "n35"); '' when it holds no letters."""
    return " ".join(words_of(word))[:MAX_WORD]


@dataclass(frozen=True)
class Hit:
    """A dossier a text matched, and the watch word that did it."""

    dossier_id: int
    word: str


class WatchIndex:
    """Watch words of every dossier, ready to match many texts."""

    def __init__(self, watches: Iterable[tuple[int, str, str]]) -> None:
        """`watches`: (dossier_id, word as typed, folded word)."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], int, str]]] = defaultdict(list)
        for dossier_id, word, folded in watches:
            parts = tuple(folded.split())
            if parts:
                self._by_first[parts[0]].append((parts, dossier_id, word))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def match(self, *texts: str) -> list[Hit]:
        """The dossiers whose watch words occur in `texts`, each dossier once."""
        if not self._by_first:
            return []
        hits: dict[int, Hit] = {}
        for text in texts:
            tokens = words_of(text)
            for i, token in enumerate(tokens):
                for parts, dossier_id, word in self._by_first.get(token, ()):
                    if dossier_id in hits:
                        continue
                    if len(parts) == 1 or tuple(tokens[i:i + len(parts)]) == parts:
                        hits[dossier_id] = Hit(dossier_id, word)
        return list(hits.values())
