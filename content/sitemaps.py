from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Guide, Page


class PublishedSitemap(Sitemap):
    """Every published page or guide, with when it last changed."""

    model: type[Page] | type[Guide]

    def items(self):
        return self.model.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Page | Guide):
        return item.updated_at


class PageSitemap(PublishedSitemap):
    model = Page


class GuideSitemap(PublishedSitemap):
    model = Guide


class ListSitemap(Sitemap):
    def items(self):
        # The tools' empty forms; never a personal answer (those have a query string).
        return [
            "content:guide_list",
            "content:my_calendar",
            "content:glossary",
            "content:search",
            "content:sheets",
            "content:questions_sheet",
            "content:diary_sheet",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "guides": GuideSitemap, "lists": ListSitemap}
