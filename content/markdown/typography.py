"""Typography a reader expects from print, in the words of a rendered Markdown text:
- curly quotes and apostrophes ("Day 1" reads “Day 1”, it's reads it’s);
- `--` as an en dash, `---` as an em dash, `...` as an ellipsis;
- an en dash in a range of small numbers ("days 1-21" reads "days 1–21"); phone numbers
  ("1-888-423-5436"), dates and codes are left alone;
- a non-breaking space between a number and its unit ("20 mg", "28 days"), so a line never ends
  between them.

It changes only the words a reader sees: text inside code is left as written, attributes (link
addresses, heading ids) never change, and a backslash-escaped character (`\\"`, `1\\-21`) stays as
typed. It runs after the heading ids are made, so an existing link to `#days-1-21` keeps working.

Python-Markdown's own `smarty` extension does the quotes and dashes too, but as sixteen inline
patterns that more than doubled the time to render a long text (docs/decisions.md); here each
piece of text goes through a few regular expressions once.
"""

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

NO_BREAK_SPACE = "\u00a0"
EN_DASH, EM_DASH, ELLIPSIS = "\u2013", "\u2014", "\u2026"
UNITS = (
    "mg", "mcg", "g", "kg", "mL", "ml", "L",
    "day", "days", "week", "weeks", "month", "months", "year", "years",
    "hour", "hours", "minute", "minutes", "cycle", "cycles",
    "capsule", "capsules", "dose", "doses", "time", "times",
)  # fmt: skip
NUMBER_AND_UNIT = re.compile(
    rf"(?<![\w.,])(\d+(?:[.,]\d+)?(?:{EN_DASH}\d+)?)[ \t]+(?=(?:{'|'.join(UNITS)})\b)"
)
# Two numbers of one to three digits joined by a hyphen, not part of a longer chain of them.
NUMBER_RANGE = re.compile(r"(?<![\w\-.])(\d{1,3})-(\d{1,3})(?![\w\-]|\.\d)")
# A quote opens after these (or at the very start of the text); anywhere else it closes.
OPENS_AFTER = " \t\n\u00a0([{<‘“" + EN_DASH + EM_DASH + "/"
DOUBLE = re.compile(r'"')
SINGLE = re.compile(r"'")
SKIPPED = {"code", "pre", "kbd", "samp", "script", "style"}


def _curly(text: str, before: str) -> str:
    """Quotes made curly; `before` is the character just before `text` ("" at the start)."""

    def opens(match: re.Match) -> bool:
        at = match.start()
        previous = text[at - 1] if at else before
        return previous == "" or previous in OPENS_AFTER

    text = DOUBLE.sub(lambda m: "“" if opens(m) else "”", text)

    def single(match: re.Match) -> str:
        at = match.start()
        following = text[at + 1 : at + 4]
        if re.match(r"\d\ds", following):  # the '90s
            return "’"
        return "‘" if opens(match) else "’"

    return SINGLE.sub(single, text)


def set_text(text: str, before: str = "") -> str:
    """One piece of text as it should read (see the module docstring)."""
    text = text.replace("---", EM_DASH).replace("--", EN_DASH).replace("...", ELLIPSIS)
    text = _curly(text, before)
    text = NUMBER_RANGE.sub(rf"\1{EN_DASH}\2", text)
    return NUMBER_AND_UNIT.sub(rf"\1{NO_BREAK_SPACE}", text)


class _Typesetter:
    """Walks the tree in reading order, so a quote at the start of a piece of text knows what
    came before it (`*word*"` closes, `"*word*` opens)."""

    def __init__(self) -> None:
        self.last = ""

    def _piece(self, text: str | None) -> str | None:
        if not text:
            return text
        text = set_text(text, self.last)
        self.last = text[-1]
        return text

    def element(self, element: etree.Element) -> None:
        if element.tag in SKIPPED:
            self.last = "x"  # what follows code reads as following a word
            return
        if element.tag in {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "br"}:
            self.last = ""  # a new block (or line) starts afresh
        element.text = self._piece(element.text)
        for child in element:
            self.element(child)
            child.tail = self._piece(child.tail)


class _TypographyProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        _Typesetter().element(root)


class TypographyExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        # After "toc" (5), which makes the heading ids from the text as written; before
        # "unescape" (0), so backslash-escaped characters are still hidden from the patterns.
        md.treeprocessors.register(_TypographyProcessor(md), "typography", 4)
