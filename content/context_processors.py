from django.conf import settings
from django.db.models import Case, CharField, Subquery, Value, When
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .markdown.links import normalise_address
from .models import ExternalLink, Snippet, SnippetKey
from .navigation import MAIN_NAV
from .views import BUILT_IN_LINKS

# The link to another site that the frame shows with a site-wide text: the safety summary's full
# Prescribing Information, the REMS panel's website. On paper a link cannot be followed, so each
# prints the address it leads to (`link_address`), read in the same query as the texts.
FRAME_LINKS = {
    SnippetKey.ISI_SUMMARY: "prescribing-information",
    SnippetKey.REMS_PROGRAM: "rems-program",
}


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


def _snippets_by_key() -> dict[str, Snippet]:
    snippets = {}
    for snippet in Snippet.objects.annotate(link_url=_frame_link_url()):
        # The notice falls back to the official address when an editor unpublishes a built-in
        # link (BUILT_IN_LINKS), so the printed address does too.
        built_in = BUILT_IN_LINKS.get(FRAME_LINKS.get(snippet.key, ""))
        url = snippet.link_url or (built_in.url if built_in else "")
        snippet.link_address = normalise_address(url) if url else None
        # Templates cannot read keys with hyphens, so "isi-summary" becomes "isi_summary".
        snippets[snippet.key.replace("-", "_")] = snippet
    return snippets


def site_chrome(request: HttpRequest) -> dict:
    """What every page's frame needs: the menu and the site-wide texts (one query, when used)."""
    path = request.path
    current = next(
        (item.url for item in MAIN_NAV[1:] if path.startswith(item.url)),
        "/" if path == "/" else None,
    )
    return {
        "site_name": settings.SITE_NAME,
        "main_nav": MAIN_NAV,
        "current_nav_url": current,
        "snippets": SimpleLazyObject(_snippets_by_key),
    }
