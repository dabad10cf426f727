"""The editor's endpoints beside each Markdown text box, under /markdownx/ (pomsite/urls.py).

The names stay global: markdownx's script looks up `markdownx_markdownify` and `markdownx_upload`.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path

from . import views
from .uploads import SafeImageUploadView

# The editor's preview, reading grade and image upload are for logged-in staff only.
urlpatterns = [
    path("markdownify/", views.markdown_preview, name="markdownx_markdownify"),
    path("reading-grade/", views.reading_grade_view, name="reading_grade"),
    path(
        "upload/",
        staff_member_required(SafeImageUploadView.as_view()),
        name="markdownx_upload",
    ),
]
