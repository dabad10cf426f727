"""The one Markdown pipeline: render with Python-Markdown, then sanitise with an nh3 allow-list.

Typography is part of rendering (typography.py): curly quotes, dashes, numbers kept with their
units and en dashes in number ranges.

Pages store the result beside their source on save, and the admin's live preview
(MARKDOWNX_MARKDOWNIFY_FUNCTION) calls `render_markdown` too, so preview and page never differ.

Python-Markdown takes quadratic time on some texts (thousands of unmatched `[`, `<a `, `![`...),
so rendering has a budget of CPU time (`RENDER_BUDGET_SECONDS`): a text that has not rendered
within it is shown as plain paragraphs instead, escaped and sanitised like everything else.
Ordinary text renders in milliseconds and never meets the budget (docs/decisions.md says why a
budget rather than another renderer).
"""

import ctypes
import html
import re
import threading
import time
from collections.abc import Iterable, Mapping

import markdown
import nh3
from django.utils.text import slugify

from . import facts as fact_tags
from .glossary import GlossaryEntry, link_terms
from .links import mark_print_addresses, published_href
from .typography import TypographyExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # data-address: the address a link to another site stands for, set by the pipeline for
    # print (links.mark_print_addresses); an editor's own is dropped by `_filter_attribute`.
    "a": {"href", "title", "data-address"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ol": {"start"},
    "th": {"scope"},
}  # fmt: skip
# No javascript:, data: or vbscript: URLs; relative links (/safety/, #anchor) are kept.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_EXTENSIONS = ["tables", "sane_lists", "toc", TypographyExtension()]
# Longer than any ordinary text takes (a 50,000-character page: about 0.2 s), far shorter than a
# pathological one (8,000 unmatched `[`: 10 s; 50,000: minutes).
RENDER_BUDGET_SECONDS = 0.5
# How often the budget's watcher looks at the CPU time used.
_WATCH_SECONDS = 0.02


class _OverBudget(Exception):
    pass


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in another thread at its next bytecode (None clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


def _cpu_clock(thread_id: int):
    """A clock of `thread_id`'s own CPU time (Linux and most Unixes), else the wall clock."""
    if hasattr(time, "pthread_getcpuclockid"):
        clock = time.pthread_getcpuclockid(thread_id)
        return lambda: time.clock_gettime(clock)
    return time.monotonic


def _within_budget(render, seconds: float) -> str | None:
    """`render()`, or None if it has used `seconds` of CPU without finishing (it is then
    interrupted). The thread's own CPU time, not the wall clock: on a loaded machine an ordinary
    text waits for a CPU, and that wait must not make a save store the plain-paragraph fallback."""
    thread_id, lock, state = threading.get_ident(), threading.Lock(), {"done": False}
    used = _cpu_clock(thread_id)
    started, finished = used(), threading.Event()

    def watch() -> None:
        while not finished.wait(min(seconds, _WATCH_SECONDS)):
            if used() - started >= seconds:
                with lock:
                    if not state["done"]:
                        _raise_in_thread(thread_id, _OverBudget)
                return

    watcher = threading.Thread(target=watch, name="markdown-budget", daemon=True)
    watcher.start()
    try:
        try:
            return render()
        finally:
            with lock:
                state["done"] = True
                _raise_in_thread(thread_id, None)  # one that fired too late goes nowhere
            finished.set()
            watcher.join()
    except _OverBudget:
        return None


def _plain_paragraphs(text: str) -> str:
    blocks = (block.strip() for block in re.split(r"\n\s*\n", text))
    return "\n".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks if block)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Every link to another site goes through the leaving-the-site notice (links.py).
    if tag == "a" and attribute == "href":
        return published_href(value)
    if attribute == "data-address":
        return None
    return value


def sanitise_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; drop script and style blocks."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(
    text: str,
    anchor_prefix: str = "",
    glossary: Iterable[GlossaryEntry] = (),
    facts: Mapping[str, str | None] | None = None,
) -> str:
    """Turn editor Markdown into safe HTML. Raw HTML in the source is sanitised, not trusted.

    Headings get anchors (ids) from their text. Several sections share one page, so each passes
    its own `anchor_prefix` ("blood-clots--") to keep the ids on a page unique; the admin preview
    passes none, which changes no visible text. `glossary` terms get linked on first use, and
    fact tags (`[[fact:rems-phone]]`) become the values in `facts` (facts.py).
    """
    return render_with_glossary(text, anchor_prefix, glossary, facts=facts)[0]


def render_with_glossary(
    text: str,
    anchor_prefix: str = "",
    glossary: Iterable[GlossaryEntry] = (),
    already: Iterable[str] = (),
    facts: Mapping[str, str | None] | None = None,
) -> tuple[str, set[str]]:
    """`render_markdown`, also returning the glossary terms linked (with those in `already`),
    so the texts of one page can each link a term only if no earlier text on it did."""
    if not text or not text.strip():
        return "", set(already)
    safe, _ = render_with_fact_problems(text, facts, anchor_prefix)
    return link_terms(safe, glossary, already)


def render_with_fact_problems(
    text: str, facts: Mapping[str, str | None] | None, anchor_prefix: str = ""
) -> tuple[str, list[str]]:
    """Safe HTML without glossary links, and what is wrong with the text's fact tags."""
    if not text or not text.strip():
        return "", []
    values = facts or {}
    expansion = fact_tags.protect(text)

    def heading_id(value: str, separator: str) -> str:
        return anchor_prefix + slugify(fact_tags.plain_value(expansion, value, values))

    source = expansion.text
    rendered = _within_budget(
        lambda: markdown.markdown(
            source, extensions=_EXTENSIONS, extension_configs={"toc": {"slugify": heading_id}}
        ),
        RENDER_BUDGET_SECONDS,
    )
    if rendered is None:
        rendered = _plain_paragraphs(source)
    fact_tags.classify(expansion, rendered)
    safe = sanitise_html(fact_tags.restore(expansion, rendered, values))
    return mark_print_addresses(safe), fact_tags.problems(expansion, values)
