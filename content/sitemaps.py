from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Guide, Page


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, page: Page):
        return page.updated_at


class GuideSitemap(Sitemap):
    def items(self):
        return Guide.objects.published().only("slug", "updated_at")

    def lastmod(self, guide: Guide):
        return guide.updated_at


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
