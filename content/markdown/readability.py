"""Plain-language help: the Flesch-Kincaid reading grade of an editor's Markdown text.

The grade is measured on what a reader sees (the rendered text), not on the Markdown source, so
link addresses and symbols do not count. Headings, list items and table cells usually end without
a full stop; each one is counted as its own sentence, as a reader takes it in.
"""

from collections.abc import Mapping
from html.parser import HTMLParser

import textstat
from django.conf import settings

from .render import render_markdown

# Below this many words the formula says little (a heading and a sentence can come out as grade
# 0); the editor is told the text is too short to grade instead.
MIN_WORDS = 30
BLOCK_TAGS = {
    "blockquote", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "li", "p", "pre", "td", "th",
}  # fmt: skip
SENTENCE_END = (".", "!", "?", ":", ";")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in BLOCK_TAGS:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._close_block()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def _close_block(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            self.blocks.append(text if text.endswith(SENTENCE_END) else text + ".")

    def text(self) -> str:
        self._close_block()
        return " ".join(self.blocks)


def readable_html_text(html: str) -> str:
    """The words a reader sees in HTML, one sentence per paragraph, heading, list item or cell."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()


def grade_of_html(html: str) -> float | None:
    """Flesch-Kincaid grade of rendered text in whole grades (1 at the lowest), or None when it
    is too short to grade. Tenths would claim a precision the formula does not have."""
    text = readable_html_text(html)
    if textstat.lexicon_count(text) < MIN_WORDS:
        return None
    return float(max(round(textstat.flesch_kincaid_grade(text)), 1))


def reading_grade(
    markdown_text: str, facts: Mapping[str, str | None] | None = None
) -> float | None:
    """Flesch-Kincaid grade of an editor's Markdown text (as a reader sees it once rendered)."""
    return grade_of_html(render_markdown(markdown_text or "", facts=facts))


def grade_target() -> int:
    return settings.READING_GRADE_TARGET


def is_above_target(grade: float | None) -> bool:
    return grade is not None and grade > grade_target()


def grade_text(grade: float) -> str:
    """A grade as an editor reads it: "6", or "1 or lower"."""
    return "1 or lower" if grade <= 1 else f"{grade:.0f}"


def describe_grade(grade: float | None) -> str:
    """The sentence an editor sees under a text as they write it."""
    target = grade_target()
    if grade is None:
        return f"Too short to grade (fewer than {MIN_WORDS} words)."
    if grade > target:
        return (
            f"Reading grade {grade_text(grade)}: above the target of {target}. "
            "Shorter sentences and everyday words make it easier to read."
        )
    return f"Reading grade {grade_text(grade)}: within the target of {target} or lower."


def describe_saved_grades(grades: list[tuple[str, float | None]]) -> str | None:
    """One short note after a save about the texts saved (name, grade): how many are above the
    target and which is hardest; None when every text is within the target."""
    target = grade_target()
    above = sorted(
        ((grade, name) for name, grade in grades if is_above_target(grade)), reverse=True
    )
    if not above:
        return None
    hardest, name = above[0]
    advice = "Shorter sentences and everyday words make it easier to read."
    if len(grades) == 1:
        return f"Reading grade {grade_text(hardest)}: above the target of {target}. {advice}"
    verb = "is" if len(above) == 1 else "are"
    return (
        f"Reading grade: {len(above)} of {len(grades)} texts {verb} above the target of "
        f"{target}. The hardest is {name} "
        f"(grade {grade_text(hardest)}). {advice}"
    )
