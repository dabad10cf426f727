"""Glossary links: the first use of each glossary term in a text links to its definition.

A pure function of sanitised HTML and the terms it is given; it imports no model. The model
layer passes the published terms in when it stores rendered HTML (content/models.py), so links
are made once on save, never per request.

Each linked term is followed, after the paragraph, list item or table cell it sits in, by a
`<details>` element holding its definition: the reader opens it in place, with or without
JavaScript, and screen readers announce it as a disclosure. Nothing is linked inside headings,
links, code, abbreviations or a definition already added.
"""

import re
from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

# Text inside these is never linked.
SKIP_INSIDE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "details", "summary"}
# A definition goes right after a closed paragraph, or at the end of these containers.
AFTER_CLOSE = {"p"}
AT_END_OF = {"li", "dd", "td", "th", "blockquote"}
VOID = {"br", "hr", "img"}


class GlossaryEntry(NamedTuple):
    term: str
    slug: str
    url: str  # where the glossary shows it, such as /glossary/#neuropathy
    forms: tuple[str, ...]  # the words that count as a use: the term and its other forms
    pronunciation: str
    definition_html: str  # already sanitised


def _pattern(form: str) -> re.Pattern:
    # Abbreviations (DVT, PE, REMS) match only in capitals; other words in any case.
    flags = 0 if form.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)


def _definition_markup(entry: GlossaryEntry, shown: str) -> str:
    say = (
        f' <span class="gloss__say">(say: {escape(entry.pronunciation)})</span>'
        if entry.pronunciation
        else ""
    )
    return (
        f'<details class="gloss" data-glossary="{escape(entry.slug)}">'
        f"<summary>What does “{escape(shown)}” mean?</summary>"
        f'<div class="gloss__body"><p class="gloss__term"><strong>{escape(entry.term)}</strong>'
        f"{say}</p>{entry.definition_html}"
        f'<p><a href="{escape(entry.url)}">See all the words in the glossary</a></p></div>'
        "</details>"
    )


class _Linker(HTMLParser):
    def __init__(self, entries: list[GlossaryEntry], already: set[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.open: list[str] = []
        self.pending: list[list[str]] = []  # definitions waiting for their block to close
        self.used = set(already)
        self.patterns = [
            (entry, [_pattern(form) for form in sorted(entry.forms, key=len, reverse=True)])
            for entry in entries
        ]

    def _block_depth(self) -> int | None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth] in AFTER_CLOSE | AT_END_OF:
                return depth
        return None

    def handle_starttag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text())
        if tag not in VOID:
            self.open.append(tag)
            self.pending.append([])

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            self.out.append(f"</{tag}>")
            return
        while self.open:
            closing = self.open.pop()
            waiting = self.pending.pop()
            if closing in AT_END_OF:
                self.out.extend(waiting)
                waiting = []
            self.out.append(f"</{closing}>")
            self.out.extend(waiting)
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        depth = self._block_depth()
        if depth is None or SKIP_INSIDE & set(self.open):
            self.out.append(data)
            return
        self.out.append(self._link(data, depth))

    def _link(self, text: str, depth: int) -> str:
        """Link the first unused term in `text`, then look again in what follows it."""
        best = None
        for entry, patterns in self.patterns:
            if entry.slug in self.used:
                continue
            for pattern in patterns:
                match = pattern.search(text)
                if match and (best is None or match.start() < best[1].start()):
                    best = (entry, match)
        if best is None:
            return text
        entry, match = best
        self.used.add(entry.slug)
        shown = match.group(0)
        self.pending[depth].append(_definition_markup(entry, shown))
        link = (
            f'<a class="gloss-term" href="{escape(entry.url)}" '
            f'data-glossary="{escape(entry.slug)}">{shown}</a>'
        )
        return text[: match.start()] + link + self._link(text[match.end() :], depth)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def result(self) -> str:
        self.close()
        while self.open:
            self.handle_endtag(self.open[-1])
        return "".join(self.out)


def link_terms(
    html: str, entries: Iterable[GlossaryEntry], already: Iterable[str] = ()
) -> tuple[str, set[str]]:
    """Link the first use of each term in `html` that is not in `already` (slugs of terms linked
    earlier on the same page). Returns the new HTML and the slugs linked so far."""
    entries = [entry for entry in entries if entry.forms]
    if not html or not entries:
        return html, set(already)
    linker = _Linker(entries, set(already))
    linker.feed(html)
    return linker.result(), linker.used
