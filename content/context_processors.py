from django.conf import settings
from django.db.models import Case, CharField, Subquery, Value, When
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import preview
from .facts import medwatch_contact
from .markdown.links import normalise_address
from .models import ExternalLink, Snippet, SnippetKey, Status
from .navigation import MAIN_NAV
from .views import BUILT_IN_LINKS

# The link to another site that the frame shows with a site-wide text: the safety summary's full
# Prescribing Information, the REMS panel's website. On paper a link cannot be followed, so each
# prints the address it leads to (`link_address`), read in the same query as the texts.
FRAME_LINKS = {
    SnippetKey.ISI_SUMMARY: "prescribing-information",
    SnippetKey.REMS_PROGRAM: "rems-program",
}
MEDWATCH_LINK = "fda-medwatch"


def _frame_link_url() -> Case:
    """Each text's frame link's address, from its published external link (a subquery)."""
    published = ExternalLink.objects.published()
    return Case(
        *(
            When(key=snippet_key, then=Subquery(published.filter(key=link_key).values("url")[:1]))
            for snippet_key, link_key in FRAME_LINKS.items()
        ),
        default=Value(""),
        output_field=CharField(),
    )


def _site_texts() -> list[Snippet]:
    """The site-wide texts, each carrying its frame link's and the MedWatch link's addresses: one
    query for the frame."""
    link = ExternalLink.objects.filter(key=MEDWATCH_LINK, status=Status.PUBLISHED)
    texts = Snippet.objects.filter(public=True)  # a new text waits for its first approval
    return list(
        texts.annotate(link_url=_frame_link_url(), medwatch_url=Subquery(link.values("url")[:1]))
    )


def _link_address(snippet: Snippet) -> str | None:
    # The notice falls back to the official address when an editor unpublishes a built-in link
    # (BUILT_IN_LINKS), so the printed address does too.
    built_in = BUILT_IN_LINKS.get(FRAME_LINKS.get(snippet.key, ""))
    url = getattr(snippet, "link_url", "") or (built_in.url if built_in else "")
    return normalise_address(url) if url else None


def _snippets_by_key(texts: list[Snippet]) -> dict[str, Snippet]:
    shown = preview.shown_item()
    if isinstance(shown, Snippet) and not shown.public:  # staff preview a new text
        texts = [*texts, shown]
    by_key = {}
    for snippet in texts:
        text = preview.swap(snippet)
        text.link_address = _link_address(snippet)
        # Templates cannot read keys with hyphens, so "isi-summary" becomes "isi_summary".
        by_key[snippet.key.replace("-", "_")] = text
    return by_key


def _medwatch(texts: list[Snippet]) -> dict[str, str]:
    shown = preview.shown_item()
    if isinstance(shown, ExternalLink) and shown.key == MEDWATCH_LINK:
        return medwatch_contact(shown.url if shown.status == Status.PUBLISHED else None)
    # With no site-wide text at all (a bare site) the FDA's own address, without another query.
    return medwatch_contact(texts[0].medwatch_url if texts else None)


def site_chrome(request: HttpRequest) -> dict:
    """What every page's frame needs: the menu, the site-wide texts and the MedWatch line (one
    query, when used)."""
    path = request.path
    current = next(
        (item.url for item in MAIN_NAV[1:] if path.startswith(item.url)),
        "/" if path == "/" else None,
    )
    texts = SimpleLazyObject(_site_texts)
    return {
        "site_name": settings.SITE_NAME,
        "main_nav": MAIN_NAV,
        "current_nav_url": current,
        "snippets": SimpleLazyObject(lambda: _snippets_by_key(texts)),
        "medwatch": SimpleLazyObject(lambda: _medwatch(texts)),
        "medwatch_standard": medwatch_contact(None),  # no query: for pages made without one
    }
