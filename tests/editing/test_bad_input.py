"""Bad input in the editors' admin: clear messages, no server error, nothing lost."""

import pytest
from django.test import Client

from content.models import Guide, Status

from .conftest import change_url, open_change_form, publish_pending, read_form

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def guide(db) -> Guide:
    return Guide.objects.create(
        slug="guide", title="A guide", summary="S", published_on="2026-01-01", body="Some text.",
        status=Status.PUBLISHED,
    )  # fmt: skip


def test_a_one_megabyte_text_is_refused_clearly_and_the_saved_text_is_untouched(
    editor_client, guide
):
    huge = "A sentence of plain words. " * 40_000
    data = open_change_form(editor_client, guide) | {"body": huge}
    response = editor_client.post(change_url(guide), data)
    assert response.status_code == 200
    assert "a text can hold at most 50,000" in response.content.decode()
    assert read_form(response, "guide_form")["body"] == huge.replace("\r\n", "\n")
    guide.refresh_from_db()
    assert guide.body == "Some text."


@pytest.mark.parametrize(
    "bad_date", ["2026-02-30", "yesterday", "99999-01-01", "<script>", "2026-13-01"]
)
def test_invalid_dates_get_a_clear_message(editor_client, guide, bad_date):
    data = open_change_form(editor_client, guide) | {
        "medically_reviewed_on": bad_date,
        "next_review_due": bad_date,
        "published_on": bad_date,
    }
    response = editor_client.post(change_url(guide), data)
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_html_and_script_in_every_text_field_never_reach_visitors(editor_client, editor, guide):
    data = open_change_form(editor_client, guide)
    for name in ("title", "summary", "reviewed_by", "review_note"):
        data[name] = f"Text {SCRIPT}"
    data["body"] = "Text <script>alert('x')</script><b onmouseover=alert(1)>bold</b>"
    response = editor_client.post(change_url(guide), data)
    assert response.status_code == 302
    publish_pending(guide, editor)  # through medical review, as any change to a live guide
    public = Client().get("/guides/guide/").content.decode()
    assert "<script>alert" not in public and "<img src=x onerror" not in public
    assert "onmouseover" not in public and "<b>bold</b>" in public
    assert "Text &lt;script&gt;" in public  # the title and summary, shown as text
    admin_list = editor_client.get("/admin/content/guide/").content.decode()
    assert "<script>alert" not in admin_list


def test_a_script_in_markdown_with_a_picture_is_stopped_with_a_message(editor_client, guide):
    data = open_change_form(editor_client, guide) | {"body": f"Text {SCRIPT}"}
    response = editor_client.post(change_url(guide), data)
    assert response.status_code == 200
    assert "has no description (alt text)" in response.content.decode()
