"""Claims that may not be published: find an outdated phrase in what a reader would see.

A pure function of text and rules; it imports no model (the rules are the `ForbiddenClaim` records,
content/models.py). Matching ignores capitals, extra spaces and line breaks, and curly versus
straight quotes; `*` in a phrase stands for any one word ("one * mg capsule" finds "one 5 mg
capsule"). Phrases are matched word for word, never as regular expressions, so an editor's phrase
cannot make matching slow.
"""

import re
from collections.abc import Iterable
from typing import NamedTuple

WILDCARD = "*"
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


class ClaimRule(NamedTuple):
    phrase: str
    reason: str
    current_fact: str
    source: str


class ClaimHit(NamedTuple):
    found: str  # the words as the text has them (spaces tidied)
    rule: ClaimRule

    @property
    def message(self) -> str:
        reason = _sentence(self.rule.reason)
        fact = self.rule.current_fact.strip().rstrip(".")
        return f"“{self.found}”: {reason} Current fact: {fact}. (Source: {self.rule.source})"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def normalise(text: str) -> str:
    """Straight quotes and single spaces, so line breaks and typography do not hide a phrase."""
    return " ".join(text.translate(QUOTES).split())


def phrase_words(phrase: str) -> list[str]:
    return normalise(phrase).split(" ") if phrase.strip() else []


def pattern_of(phrase: str) -> re.Pattern | None:
    """The phrase as a pattern over normalised text, or None if it has no real word."""
    words = phrase_words(phrase)
    if not words or all(word == WILDCARD for word in words):
        return None
    parts = [r"[^ ]+" if word == WILDCARD else re.escape(word) for word in words]
    start = r"(?<!\w)" if re.match(r"\w", words[0]) or words[0] == WILDCARD else ""
    end = r"(?!\w)" if re.search(r"\w$", words[-1]) or words[-1] == WILDCARD else ""
    return re.compile(start + " ".join(parts) + end, re.IGNORECASE)


def find_claims(text: str, rules: Iterable[ClaimRule]) -> list[ClaimHit]:
    """Each rule's first match in `text` (plain text, as a reader sees it)."""
    plain = normalise(text or "")
    hits = []
    for rule in rules:
        pattern = pattern_of(rule.phrase)
        match = pattern.search(plain) if pattern else None
        if match:
            hits.append(ClaimHit(match.group(0), rule))
    return hits
