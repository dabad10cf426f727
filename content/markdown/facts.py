"""Fact tags: `[[fact:rems-phone]]` in an editor's Markdown becomes the fact's current value.

A pure function of the text and a mapping key -> plain text; it imports no model (the model layer
passes the values in: content/facts.py). A value is plain text, never markup: it is escaped.

How it works: before Markdown runs, every tag is swapped for a placeholder that Markdown leaves
alone (private-use characters and a random nonce, so an editor cannot forge one). Markdown then
decides what is code and what is a link, exactly as it does for the rest of the text, and the
placeholders are put back in its output:
- in ordinary text, link text, headings and picture descriptions: the escaped value;
- inside code (inline code, indented or fenced blocks): the tag as written;
- as a link or picture address: the tag as written, and a problem ("a fact tag cannot be a link
  address"), since an address is not plain text.
Unknown, badly written or unclosed tags are shown as written and reported as problems.

The scan is linear: a tag's name is at most `MAX_KEY_LENGTH` characters, so 50,000 characters of
`[[fact:` cost no more than any other text of that length.
"""

import difflib
import html
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

OPENER = "[[fact:"
MAX_KEY_LENGTH = 60
# A whole tag, or an opener with no end in reach (reported as not closed).
TAG = re.compile(rf"\[\[fact:(?:(?P<key>[^\[\]\n]{{0,{MAX_KEY_LENGTH}}})\]\])?", re.IGNORECASE)
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FOLLOWING = re.compile(r"[^\[\]\n]{0,20}")
ADDRESS_ATTRIBUTES = {"href", "src"}
CODE_TAGS = {"code", "pre"}
# At most this many problems are listed for one text; the rest are counted.
MAX_PROBLEMS = 10
_START, _END = "\ue000", "\ue001"


@dataclass
class _Tag:
    written: str  # the tag as the editor wrote it
    key: str | None  # None when the tag is not closed
    context: str = "text"  # text, code or address
    after: str = ""  # for a tag not closed: the words that follow it, to show where it is


@dataclass
class Expansion:
    """A text with its tags swapped for placeholders, ready for Markdown."""

    text: str
    tags: dict[str, _Tag] = field(default_factory=dict)
    nonce: str = ""

    def placeholder(self, index: int) -> str:
        return f"{_START}{self.nonce}{index}{_END}"

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(re.escape(_START + self.nonce) + r"(\d+)" + re.escape(_END))


def tags_in(text: str) -> set[str]:
    """The keys of the well-written tags in a text (wherever they are, code included)."""
    return {
        match["key"]
        for match in TAG.finditer(text or "")
        if match["key"] is not None and KEY.fullmatch(match["key"])
    }


def tag_for(key: str) -> str:
    return f"[[fact:{key}]]"


def protect(text: str) -> Expansion:
    """Swap each tag for a placeholder that Markdown passes through untouched."""
    if OPENER not in text.lower():
        return Expansion(text)
    expansion = Expansion("", nonce=secrets.token_hex(4))

    def swap(match: re.Match) -> str:
        index = len(expansion.tags)
        after = "" if match["key"] is not None else FOLLOWING.match(text, match.end()).group(0)
        expansion.tags[str(index)] = _Tag(match.group(0), match["key"], after=after)
        return expansion.placeholder(index)

    expansion.text = TAG.sub(swap, text)
    return expansion


class _Contexts(HTMLParser):
    """Notes where each placeholder landed in Markdown's output: text, code or an address."""

    def __init__(self, expansion: Expansion) -> None:
        super().__init__(convert_charrefs=True)
        self.expansion = expansion
        self.pattern = expansion.pattern
        self.code_depth = 0

    def _mark(self, value: str, context: str) -> None:
        for match in self.pattern.finditer(value or ""):
            tag = self.expansion.tags.get(match.group(1))
            if tag is not None and tag.context == "text":
                tag.context = context

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in CODE_TAGS:
            self.code_depth += 1
        for name, value in attrs:
            self._mark(value, "address" if name in ADDRESS_ATTRIBUTES else "text")

    def handle_startendtag(self, tag: str, attrs) -> None:
        for name, value in attrs:
            self._mark(value, "address" if name in ADDRESS_ATTRIBUTES else "text")

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE_TAGS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.code_depth:
            self._mark(data, "code")


def _close_matches(key: str, known: Mapping[str, str | None]) -> list[str]:
    wanted = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.75)


def _suggestion(key: str, known: Mapping[str, str | None]) -> str:
    matches = _close_matches(key, known)
    if not matches:
        return ""
    return " Did you mean " + " or ".join(tag_for(match) for match in matches) + "?"


def problem_of(tag: _Tag, values: Mapping[str, str | None]) -> str | None:
    """What is wrong with one tag, in words an editor can act on, or None."""
    if tag.context == "code":
        return None
    if tag.key is None:
        shown = tag.written + tag.after.strip() + "…"
        return (
            f"The fact tag “{shown}” is not closed. End it with ]] like this: "
            f"{tag_for('rems-phone')}."
        )
    if not KEY.fullmatch(tag.key):
        return (
            f"“{tag.written}” is not written like a fact tag. After [[fact: comes the fact's "
            "short name, in small letters, numbers and dashes, then ]], such as "
            f"{tag_for('rems-phone')}.{_suggestion(tag.key, values)}"
        )
    if tag.context == "address":
        return (
            f"“{tag.written}”: a fact tag cannot be a link address. Put the tag in the link's "
            "words instead, between the square brackets."
        )
    if tag.key not in values:
        return (
            f"“{tag.written}” is not a fact the site knows.{_suggestion(tag.key, values)} "
            "The list of fact tags shows every name you can use."
        )
    if values[tag.key] is None:
        return (
            f"“{tag.written}” has no value at the moment (the record it comes from is missing, "
            "empty or not published), so it cannot be shown. The list of fact tags says where "
            "it comes from."
        )
    return None


def _replacement(tag: _Tag, values: Mapping[str, str | None]) -> str:
    value = values.get(tag.key or "")
    if tag.context == "text" and value is not None:
        return html.escape(value)
    return html.escape(tag.written)


def classify(expansion: Expansion, rendered: str) -> None:
    """Note for each tag whether Markdown made it text, code or an address."""
    if expansion.tags:
        parser = _Contexts(expansion)
        parser.feed(rendered)
        parser.close()


def restore(expansion: Expansion, rendered: str, values: Mapping[str, str | None]) -> str:
    """Put each tag's value (or the tag as written) back where its placeholder landed."""
    if not expansion.tags:
        return rendered

    def put_back(match: re.Match) -> str:
        tag = expansion.tags.get(match.group(1))
        return _replacement(tag, values) if tag else ""

    return expansion.pattern.sub(put_back, rendered)


def plain_value(expansion: Expansion, text: str, values: Mapping[str, str | None]) -> str:
    """A placeholder-bearing plain string (a heading, before it becomes an id) with values in."""

    def put_back(match: re.Match) -> str:
        tag = expansion.tags.get(match.group(1))
        if tag is None:
            return ""
        value = values.get(tag.key or "")
        return tag.written if value is None else value

    return expansion.pattern.sub(put_back, text)


def problems(expansion: Expansion, values: Mapping[str, str | None]) -> list[str]:
    """Every problem with the text's tags, each once, at most `MAX_PROBLEMS` listed."""
    found = list(
        dict.fromkeys(
            problem
            for tag in expansion.tags.values()
            if (problem := problem_of(tag, values)) is not None
        )
    )
    if len(found) > MAX_PROBLEMS:
        more = len(found) - MAX_PROBLEMS
        found = [*found[:MAX_PROBLEMS], f"… and {more:,} more problems with fact tags."]
    return found
