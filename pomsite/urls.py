from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content import views as content_views
from content.admin_views import recently_deleted_view, review_overdue
from content.sitemaps import SITEMAPS
from content.uploads import SafeImageUploadView
from pomsite import audience

admin.site.site_header = "POMALYST patient guide: editors"
admin.site.site_title = "POMALYST editors"
admin.site.index_title = "Site content"

urlpatterns = [
    path(
        f"{settings.ADMIN_URL}reviews-due/",
        admin.site.admin_view(review_overdue),
        name="review_overdue",
    ),
    path(
        f"{settings.ADMIN_URL}recently-deleted/",
        admin.site.admin_view(recently_deleted_view),
        name="recently_deleted",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    # The editor's preview, reading grade and image upload are for logged-in staff only.
    path("markdownx/markdownify/", content_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/reading-grade/", content_views.reading_grade_view, name="reading_grade"),
    path(
        "markdownx/upload/",
        staff_member_required(SafeImageUploadView.as_view()),
        name="markdownx_upload",
    ),
    path("robots.txt", content_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("health/", content_views.health, name="health"),
    path("audience-check/", audience.question, name="audience_question"),
    path("audience-check/outside-us/", audience.not_us, name="audience_not_us"),
    path("", include("content.urls")),
]

# Error pages that need no database (pomsite/errors.py).
handler400 = "pomsite.errors.bad_request"
handler404 = "pomsite.errors.page_not_found"
handler500 = "pomsite.errors.server_error"
