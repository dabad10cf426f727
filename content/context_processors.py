from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Snippet
from .navigation import MAIN_NAV


def _snippets_by_key() -> dict[str, Snippet]:
    # Templates cannot read keys with hyphens, so "isi-summary" becomes "isi_summary".
    return {snippet.key.replace("-", "_"): snippet for snippet in Snippet.objects.all()}


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
