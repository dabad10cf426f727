"""Links to other websites always pass through the leaving-the-site notice.

Editors may write links to other sites inside Markdown. The pipeline points each one at
/leaving/?to=<address> instead. That page sends the visitor on only when the address is one an
editor entered as a published ExternalLink (to its notice, /leaving/<key>/; the model compares
addresses with `normalise_address`); for any other address it says the link is not available,
without linking to it or showing it. So the site never vouches for an address that only arrived
in a URL.

On paper a link cannot be followed, so each such link also carries the address it stands for
(`data-address`, from the editor's own text); the print stylesheet writes it after the link.
"""

import re
from html import escape, unescape
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.urls import reverse

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Browsers drop these anywhere in a URL (WHATWG URL standard), so "java\tscript:" is "javascript:".
_DROPPED_INSIDE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def _as_browser_reads(href: str) -> str:
    """The href as a browser reads it: no edge control characters or tabs, `\\` read as `/`."""
    return _DROPPED_INSIDE.sub("", href.strip(_C0_AND_SPACE)).replace("\\", "/")


def normalise_address(url: str) -> str | None:
    """An absolute http(s) address in one spelling (for comparing), or None if it is not one."""
    cleaned = _as_browser_reads(url)
    if cleaned.startswith("//"):
        cleaned = "https:" + cleaned
    try:
        parts = urlsplit(cleaned)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES or not parts.hostname:
        return None
    netloc = parts.hostname if port in (None, DEFAULT_PORTS[scheme]) else f"{parts.hostname}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def goes_to_another_site(href: str) -> bool:
    cleaned = _as_browser_reads(href)
    return cleaned.startswith("//") or urlsplit(cleaned).scheme.lower() in WEB_SCHEMES


def published_href(href: str) -> str:
    """The href to publish for an editor's link: another site's address goes via the notice."""
    try:
        external = goes_to_another_site(href)
    except ValueError:
        external = True  # unreadable: never link it directly
    if not external:
        return href
    address = normalise_address(href) or _as_browser_reads(href)
    return f"{reverse('content:leaving_address')}?{urlencode({'to': address})}"


_LEAVING_LINK = re.compile(r'<a href="(?P<href>[^"]*)"')


def mark_print_addresses(html: str) -> str:
    """Give each link to another site in sanitised HTML a `data-address` (the address it stands
    for, so print can show it), unless its text already is that address."""
    leaving = reverse("content:leaving_address") + "?"

    def mark(match: re.Match) -> str:
        href = unescape(match["href"])
        if not href.startswith(leaving):
            return match[0]
        address = normalise_address(parse_qs(href[len(leaving) :]).get("to", [""])[0])
        if address is None or _shows_address(html, match.end(), address):
            return match[0]
        return f'{match[0]} data-address="{escape(address)}"'

    return _LEAVING_LINK.sub(mark, html)


def _shows_address(html: str, tag_end: int, address: str) -> bool:
    """True when the link's text is its own address (www.fda.gov/medwatch), give or take the
    scheme, "www." and a closing slash."""
    start = html.find(">", tag_end) + 1
    text = unescape(html[start : html.find("</a>", start)])

    def bare(value: str) -> str:
        value = re.sub(r"^https?://", "", value.strip().lower())
        return value.removeprefix("www.").rstrip("/")

    return bare(text) == bare(address)
