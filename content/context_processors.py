from django.conf import settings
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import preview
from .facts import medwatch_contact
from .models import ExternalLink, Snippet, Status
from .navigation import MAIN_NAV

MEDWATCH_LINK = "fda-medwatch"


def _site_texts() -> list[Snippet]:
    """The site-wide texts, each carrying the MedWatch link's address: one query for the frame."""
    link = ExternalLink.objects.filter(key=MEDWATCH_LINK, status=Status.PUBLISHED)
    texts = Snippet.objects.filter(public=True)  # a new text waits for its first approval
    return list(texts.annotate(medwatch_url=Subquery(link.values("url")[:1])))


def _snippets_by_key(texts: list[Snippet]) -> dict[str, Snippet]:
    shown = preview.shown_item()
    if isinstance(shown, Snippet) and not shown.public:  # staff preview a new text
        texts = [*texts, shown]
    # Templates cannot read keys with hyphens, so "isi-summary" becomes "isi_summary".
    return {snippet.key.replace("-", "_"): preview.swap(snippet) for snippet in texts}


def _medwatch(texts: list[Snippet]) -> dict[str, str]:
    shown = preview.shown_item()
    if isinstance(shown, ExternalLink) and shown.key == MEDWATCH_LINK:
        return medwatch_contact(shown.url if shown.status == Status.PUBLISHED else None)
    if texts:
        return medwatch_contact(texts[0].medwatch_url)
    # No site-wide text at all (a bare site): read the link on its own.
    link = ExternalLink.objects.published().filter(key=MEDWATCH_LINK).first()
    return medwatch_contact(link.url if link else None)


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
