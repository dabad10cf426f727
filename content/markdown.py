"""The one Markdown pipeline: render with Python-Markdown, then sanitise with an nh3 allow-list.

Pages store the result beside their source on save, and the admin's live preview
(MARKDOWNX_MARKDOWNIFY_FUNCTION) calls `render_markdown` too, so preview and page never differ.
"""

from collections.abc import Iterable

import markdown
import nh3
from django.utils.text import slugify

from .glossary import GlossaryEntry, link_terms
from .links import published_href

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ol": {"start"},
    "th": {"scope"},
}  # fmt: skip
# No javascript:, data: or vbscript: URLs; relative links (/safety/, #anchor) are kept.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_EXTENSIONS = ["tables", "sane_lists", "toc"]


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Every link to another site goes through the leaving-the-site notice (content/links.py).
    if tag == "a" and attribute == "href":
        return published_href(value)
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
    text: str, anchor_prefix: str = "", glossary: Iterable[GlossaryEntry] = ()
) -> str:
    """Turn editor Markdown into safe HTML. Raw HTML in the source is sanitised, not trusted.

    Headings get anchors (ids) from their text. Several sections share one page, so each passes
    its own `anchor_prefix` ("blood-clots--") to keep the ids on a page unique; the admin preview
    passes none, which changes no visible text. `glossary` terms get linked on first use.
    """
    return render_with_glossary(text, anchor_prefix, glossary)[0]


def render_with_glossary(
    text: str,
    anchor_prefix: str = "",
    glossary: Iterable[GlossaryEntry] = (),
    already: Iterable[str] = (),
) -> tuple[str, set[str]]:
    """`render_markdown`, also returning the glossary terms linked (with those in `already`),
    so the texts of one page can each link a term only if no earlier text on it did."""
    if not text or not text.strip():
        return "", set(already)
    toc = {"slugify": lambda value, separator: anchor_prefix + slugify(value)}
    html = markdown.markdown(text, extensions=_EXTENSIONS, extension_configs={"toc": toc})
    return link_terms(sanitise_html(html), glossary, already)
