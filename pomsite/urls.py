from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from markdownx.views import ImageUploadView

from content import views as content_views
from content.sitemaps import SITEMAPS

admin.site.site_header = "POMALYST patient guide: editors"
admin.site.site_title = "POMALYST editors"
admin.site.index_title = "Site content"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The editor's preview and image upload are for logged-in staff only.
    path("markdownx/markdownify/", content_views.markdown_preview, name="markdownx_markdownify"),
    path(
        "markdownx/upload/",
        staff_member_required(ImageUploadView.as_view()),
        name="markdownx_upload",
    ),
    path("robots.txt", content_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("health/", content_views.health, name="health"),
    path("", include("content.urls")),
]

# Error pages that need no database (pomsite/errors.py).
handler400 = "pomsite.errors.bad_request"
handler404 = "pomsite.errors.page_not_found"
handler500 = "pomsite.errors.server_error"
