from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content.editing.history import recently_deleted_view
from content.editing.reviews import review_overdue
from content.editing.views import fact_tags_view
from content.sitemaps import SITEMAPS
from pomsite import audience, views

admin.site.site_header = "POMALYST patient guide: editors"
admin.site.site_title = "POMALYST editors"
admin.site.index_title = "Site content"


def admin_page(route: str, view, name: str):
    """An editors' page of our own under the admin's address, behind the admin's login."""
    return path(f"{settings.ADMIN_URL}{route}/", admin.site.admin_view(view), name=name)


urlpatterns = [
    admin_page("reviews-due", review_overdue, "review_overdue"),
    admin_page("recently-deleted", recently_deleted_view, "recently_deleted"),
    admin_page("fact-tags", fact_tags_view, "fact_tags"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("markdownx/", include("content.editing.urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("health/", views.health, name="health"),
    path("audience-check/", audience.question, name="audience_question"),
    path("audience-check/outside-us/", audience.not_us, name="audience_not_us"),
    path("", include("content.urls")),
]

# Error pages that need no database (pomsite/errors.py).
handler400 = "pomsite.errors.bad_request"
handler404 = "pomsite.errors.page_not_found"
handler500 = "pomsite.errors.server_error"
