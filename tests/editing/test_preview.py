"""The editor's live preview is exactly the public output, heading ids included."""

import pytest
from django.urls import reverse

from content.models import DrugFacts, Guide, Page, Section, Snippet, SnippetKey, Status

pytestmark = pytest.mark.django_db

RICH_TEXT = """Some **bold** words and a [link](/safety/#blood-clots).

### What to watch for

- leg pain
- shortness of breath

| Day | Capsule |
| --- | --- |
| 1 | yes |

<script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">bad</a>
"""


def preview(client, text: str, **params) -> str:
    url = reverse("markdownx_markdownify")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    response = client.post(url, {"content": text}, QUERY_STRING=query)
    assert response.status_code == 200
    return response.content.decode()


def test_preview_of_a_section_equals_the_html_the_page_stores(editor_client, safety_page):
    section = Section.objects.create(
        page=safety_page, order=30, heading="Serious side effects", anchor="serious", body=RICH_TEXT
    )
    shown = preview(editor_client, RICH_TEXT, anchor="serious", heading="Serious side effects")
    assert shown == section.body_html
    assert 'id="serious--what-to-watch-for"' in shown


def test_preview_uses_the_heading_when_the_section_has_no_anchor(editor_client, safety_page):
    section = Section.objects.create(
        page=safety_page, order=30, heading="Dose changes", body=RICH_TEXT
    )
    assert section.anchor == "dose-changes"
    assert preview(editor_client, RICH_TEXT, heading="Dose changes") == section.body_html


def test_preview_equals_stored_html_for_every_kind_of_markdown_text(editor_client):
    page = Page.objects.create(slug="p", title="P", summary="S", intro=RICH_TEXT)
    guide = Guide.objects.create(
        slug="g", title="G", summary="S", published_on="2026-01-01", body=RICH_TEXT
    )
    snippet = Snippet.objects.create(key=SnippetKey.ISI_SUMMARY, title="T", body=RICH_TEXT)
    facts = DrugFacts.objects.create(
        brand_name="B", generic_name="G", drug_class="C", company="Co", form="capsules",
        strengths_mg="1, 2", first_approved_year=2013, generic_available="no",
        generic_as_of="2026-01-01", how_it_works=RICH_TEXT, status=Status.PUBLISHED,
    )  # fmt: skip
    assert preview(editor_client, RICH_TEXT, anchor="intro") == page.intro_html
    assert preview(editor_client, RICH_TEXT) == guide.body_html
    assert preview(editor_client, RICH_TEXT, anchor="isi-summary") == snippet.body_html
    assert preview(editor_client, RICH_TEXT, anchor="how-it-works") == facts.how_it_works_html


def test_preview_sanitises_script_event_handlers_and_javascript_links(editor_client):
    shown = preview(editor_client, RICH_TEXT)
    assert "<script" not in shown and "onclick" not in shown and "javascript:" not in shown
    assert "<strong>bold</strong>" in shown


def test_preview_is_for_logged_in_staff_only(client, django_user_model):
    response = client.post(reverse("markdownx_markdownify"), {"content": "Hi"})
    assert response.status_code == 302 and "login" in response["Location"]
    visitor = django_user_model.objects.create_user("visitor", password="a-long-password-1")
    client.force_login(visitor)
    assert client.post(reverse("markdownx_markdownify"), {"content": "Hi"}).status_code == 302


def test_preview_without_text_is_a_clear_bad_request(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {})
    assert response.status_code == 400
    assert b"no text to preview" in response.content


def test_preview_of_a_one_megabyte_text_is_refused_with_a_clear_message(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": "word " * 210_000})
    assert response.status_code == 413
    assert "too long to preview" in response.content.decode()


def test_page_editor_preview_is_set_up_with_the_intro_ids_and_the_helpers(
    editor_client, safety_page
):
    response = editor_client.get(reverse("admin:content_page_change", args=[safety_page.pk]))
    html = response.content.decode()
    assert 'data-markdownx-urls-path="/markdownx/markdownify/?anchor=intro"' in html
    assert 'data-anchor-fields="anchor heading"' in html  # the inline sections' editors
    assert "content/admin/editor.js" in html and "content/admin/editor.css" in html
