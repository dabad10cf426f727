"""Checks an editor's Markdown before it is saved, with messages a non-technical editor can act on.

Errors stop the save (the form is shown again with the editor's text and the message); warnings
are shown after saving. The checks read the rendered HTML, so they see exactly what visitors get.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from content.facts import values_for
from content.markdown.claims import ClaimRule, find_claims
from content.markdown.readability import readable_html_text
from content.markdown.render import render_with_fact_problems
from content.models import ExternalLink, Guide, Page, Section, Status, active_claim_rules

EXAMPLE_IMAGE = "![A pill box with seven compartments](/media/editor-images/box.png)"
# Put in by the editor when a picture is uploaded, so the editor sees where the description goes.
ALT_PLACEHOLDER = "Describe the picture here"


# Fields whose words no reader sees as a claim: addresses, names used in addresses, review notes.
CLAIM_SKIPPED_FIELDS = {
    "slug", "key", "anchor", "url", "related_link", "other_forms", "reviewed_by", "review_note",
    "status", "figure", "audience", "topic", "urgency", "generic_available", "edit_version",
    "edit_seen", "seed_fingerprint",
}  # fmt: skip


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Words that may not be published: a draft may keep them, a public text may not.
    claims: list[str] = field(default_factory=list)


def claim_messages(*texts: str, rules: list[ClaimRule] | None = None) -> list[str]:
    """Each forbidden claim found in the texts (plain text, as a reader sees it), once. The
    active claims are read from the database unless `rules` are given."""
    texts = tuple(text for text in texts if text and text.strip())
    if not texts:
        return []
    rules = active_claim_rules() if rules is None else rules
    found = (hit.message for text in texts for hit in find_claims(text, rules))
    return list(dict.fromkeys(found))


def plain_texts(values: dict) -> list[str]:
    """The words of an item's one-line and plain fields that readers see (not its Markdown)."""
    return [
        value
        for name, value in values.items()
        if isinstance(value, str) and value.strip() and name not in CLAIM_SKIPPED_FIELDS
    ]


class _Outline(HTMLParser):
    """Collects the links, pictures and headings of rendered HTML, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str | None, str]] = []
        self.images: list[tuple[str, str]] = []
        self.headings: list[tuple[int, str]] = []
        self._open: tuple[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append((values.get("src") or "", (values.get("alt") or "").strip()))
        elif tag == "a" or (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456"):
            self._open = (tag, values.get("href"))
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[0] == tag:
            text = " ".join("".join(self._text).split())
            if tag == "a":
                self.links.append((self._open[1], text))
            else:
                self.headings.append((int(tag[1]), text))
            self._open = None


def _hashes(level: int) -> str:
    return "#" * level


def check_headings(headings: list[tuple[int, str]], parent_level: int) -> list[str]:
    """Headings must nest under the heading the text sits under, one level at a time."""
    errors = []
    previous = parent_level
    for level, text in headings:
        if level <= parent_level:
            errors.append(
                f"The heading “{text}” is written with {_hashes(level)}, as big as the heading "
                f"above this text. Start sub-headings here with {_hashes(parent_level + 1)}."
            )
        elif level > previous + 1:
            errors.append(
                f"The heading “{text}” jumps from {_hashes(previous)} to {_hashes(level)}. Use "
                f"{_hashes(previous + 1)} so people using screen readers can follow the outline."
            )
        previous = max(level, parent_level)
    return errors


def check_images(images: list[tuple[str, str]]) -> list[str]:
    errors = []
    for src, alt in images:
        if not alt or alt == ALT_PLACEHOLDER:
            errors.append(
                "A picture has no description (alt text) for people who cannot see it. Write "
                f"what it shows between the square brackets, like this: {EXAMPLE_IMAGE}"
            )
        if not src.startswith(settings.MEDIA_URL):
            errors.append(
                f"The picture “{alt or src}” is not stored on this site. Drag the picture file "
                "into the text box to upload it (PNG, JPEG or WebP)."
            )
    return errors


def _published_status(model, **lookup) -> str | None:
    return model.objects.filter(**lookup).values_list("status", flat=True).first()


def check_internal_link(href: str, text: str) -> Findings:
    """A link to a page of this site must lead to a page that exists (and, ideally, is public)."""
    found = Findings()
    parts = urlsplit(href)
    if parts.path.startswith((settings.MEDIA_URL, settings.STATIC_URL)):
        return found
    try:
        match = resolve(parts.path)
    except Resolver404:
        found.errors.append(
            f"The link “{text}” goes to {href}, and there is no page at that address. "
            "Check the address (it starts and ends with /, like /safety/)."
        )
        return found
    targets = {
        "content:page_detail": (Page, "slug", "slug"),
        "content:guide_detail": (Guide, "slug", "slug"),
        "content:leaving": (ExternalLink, "key", "key"),
    }
    if match.view_name == "content:leaving_address":
        # The pipeline points links to other sites here; only listed sites lead on.
        address = parse_qs(parts.query).get("to", [""])[0]
        if not ExternalLink.published_key_for(address):
            found.warnings.append(
                f"The link “{text}” goes to another website ({address}) that is not a published "
                "External link, so visitors are told the link is not available. Add the site "
                "under External links: visitors then reach it through the leaving-the-site notice."
            )
        return found
    if match.view_name not in targets:
        return found
    model, kwarg, lookup = targets[match.view_name]
    status = _published_status(model, **{lookup: match.kwargs[kwarg]})
    if status is None:
        found.errors.append(
            f"The link “{text}” goes to {href}, and there is no page at that address. "
            "Check the address, or create that page first."
        )
    elif status != Status.PUBLISHED:
        found.warnings.append(
            f"The link “{text}” goes to {href}, which is still a draft: visitors cannot open "
            "it until it is published."
        )
    elif parts.fragment and model is Page:
        slug = match.kwargs["slug"]
        marker = f'id="{parts.fragment}"'
        known = (
            Section.objects.filter(page__slug=slug, anchor=parts.fragment).exists()
            or Section.objects.filter(page__slug=slug, body_html__contains=marker).exists()
            or Page.objects.filter(slug=slug, intro_html__contains=marker).exists()
        )
        if not known:
            found.warnings.append(
                f"The link “{text}” points to the part #{parts.fragment} of {parts.path}, and "
                "that page has no part with this name. Visitors land at the top of the page."
            )
    return found


def check_links(links: list[tuple[str | None, str]]) -> Findings:
    found = Findings()
    for href, text in links:
        if href and "[[fact:" in href.lower():
            continue  # the fact tag check says what is wrong
        if not href:
            found.errors.append(
                f"The link “{text}” has an address the site does not allow. Use an address of "
                "this site (/safety/), or a secure web address (https://...)."
            )
        elif href.startswith("/") and not href.startswith("//"):
            result = check_internal_link(href, text)
            found.errors += result.errors
            found.warnings += result.warnings
        elif href.startswith(("http://", "https://", "//")):
            found.warnings.append(
                f"The link “{text}” goes straight to another website, so visitors do not see "
                "the leaving-the-site notice. Add the site under External links and link to "
                "its notice page (/leaving/short-name/) instead."
            )
        elif not href.startswith(("#", "mailto:", "tel:")):
            found.errors.append(
                f"The link “{text}” goes to “{href}”. Links to pages of this site start with /, "
                "like /safety/."
            )
    return found


def check_length(text: str) -> list[str]:
    limit = settings.MARKDOWN_MAX_CHARS
    if len(text) > limit:
        return [
            f"This text has {len(text):,} characters; a text can hold at most {limit:,}. "
            "Split it into sections or shorter guides."
        ]
    return []


def check_markdown(text: str, parent_heading_level: int) -> Findings:
    """Every check for one Markdown text that sits under a heading of `parent_heading_level`:
    its fact tags, headings, pictures and links, and the claims that may not be published."""
    found = Findings(errors=check_length(text or ""))
    if found.errors or not (text or "").strip():
        return found
    html, fact_problems = render_with_fact_problems(text, values_for(text))
    outline = _Outline()
    outline.feed(html)
    outline.close()
    links = check_links(outline.links)
    found.errors += fact_problems
    found.claims += claim_messages(readable_html_text(html))
    found.errors += check_headings(outline.headings, parent_heading_level)
    found.errors += check_images(outline.images)
    found.errors += links.errors
    found.warnings += links.warnings
    return found
