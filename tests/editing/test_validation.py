"""Markdown checks with messages an editor can act on."""

import pytest
from django.urls import reverse

from content.editing.checks import check_markdown
from content.editing.revisions import pending_revision
from content.models import ExternalLink, Guide, Page, Section, Status

from .conftest import change_url, open_change_form, read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(safety_page):
    Page.objects.create(slug="draft-page", title="Draft", summary="S")
    Guide.objects.create(
        slug="missed-doses", title="G", summary="S", published_on="2026-01-01", body="Text.",
        status=Status.PUBLISHED,
    )  # fmt: skip
    ExternalLink.objects.create(
        key="rems", title="REMS", url="https://example.org", description="D", status="published"
    )


def errors(text: str, level: int = 2) -> list[str]:
    return check_markdown(text, level).errors


def warnings(text: str, level: int = 2) -> list[str]:
    return check_markdown(text, level).warnings


def test_links_to_existing_public_pages_pass(pages):
    text = "[a](/safety/) [b](/guides/missed-doses/) [c](/leaving/rems/) [d](/guides/) [e](/)"
    assert errors(text) == [] and warnings(text) == []


def test_a_link_to_a_page_that_does_not_exist_is_an_error(pages):
    found = errors("See [the missing page](/no-such-page/).")
    assert found == [
        "The link “the missing page” goes to /no-such-page/, and there is no page at that "
        "address. Check the address, or create that page first."
    ]
    assert "no page at that address" in errors("[x](/guides/nope/)")[0]
    assert "no page at that address" in errors("[x](/leaving/nope/)")[0]
    assert "no page at that address" in errors("[x](/a/b/c/)")[0]


def test_a_link_to_a_draft_page_is_a_warning(pages):
    assert "still a draft" in warnings("[x](/draft-page/)")[0]


def test_a_link_to_a_missing_part_of_a_page_is_a_warning(pages):
    assert warnings("[x](/safety/#blood-clots)") == []
    assert warnings("[x](/safety/#blood-clots--signs)") == []
    assert "has no part with this name" in warnings("[x](/safety/#nothing-here)")[0]


def test_relative_and_unsafe_links_are_errors(pages):
    assert "start with /" in errors("[x](safety/)")[0]
    assert "address the site does not allow" in errors("[x](javascript:alert(1))")[0]


def test_a_link_to_an_unlisted_website_warns_that_visitors_cannot_follow_it(pages):
    found = warnings("[x](https://unlisted.example/)")
    assert "not a published External link" in found[0]
    assert "leaving-the-site notice" in found[0]


def test_a_link_to_a_listed_website_passes_through_its_notice_without_a_warning(pages):
    assert warnings("[x](https://example.org/)") == []


def test_pictures_need_a_description_and_must_be_uploaded_here():
    assert "has no description (alt text)" in errors("![](/media/editor-images/a.png)")[0]
    placeholder = "![Describe the picture here](/media/editor-images/a.png)"
    assert "has no description (alt text)" in errors(placeholder)[0]
    assert "is not stored on this site" in errors("![A chart](https://example.org/a.png)")[0]
    assert errors("![A pill box](/media/editor-images/a.png)") == []


def test_headings_must_not_skip_levels_or_be_as_big_as_the_section_heading():
    assert errors("### A\n\ntext\n\n#### B") == []
    assert (
        "as big as the heading above this text. Start sub-headings here with ###."
        in errors("## Too big")[0]
    )
    assert "jumps from ### to #####" in errors("### A\n\n##### B")[0]
    assert "jumps from ## to ####" in errors("#### Straight to four")[0]
    assert errors("## Guide heading", level=1) == []


def test_a_text_longer_than_the_limit_is_refused_before_anything_else():
    assert "a text can hold at most 50,000" in errors("x" * 1_000_001)[0]


def test_saving_a_section_with_a_broken_link_is_refused_and_keeps_the_text(
    editor_client, safety_page
):
    data = open_change_form(editor_client, safety_page)
    data["sections-0-body"] = "Read [this](/nowhere/)."
    response = editor_client.post(change_url(safety_page), data)
    assert response.status_code == 200
    assert "there is no page at that address" in response.content.decode()
    assert read_form(response, "page_form")["sections-0-body"] == "Read [this](/nowhere/)."
    assert Section.objects.get(page=safety_page, order=10).body.startswith("### Signs")


def test_an_empty_section_without_a_picture_is_refused(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page) | {"sections-1-body": "  "}
    response = editor_client.post(change_url(safety_page), data)
    assert response.status_code == 200
    assert (
        "This section is empty. Write its text, or choose a picture." in response.content.decode()
    )
    data["sections-1-figure"] = "drug-facts"
    assert editor_client.post(change_url(safety_page), data).status_code == 302


def test_saving_a_link_to_a_draft_saves_and_warns(editor_client, pages):
    guide = Guide.objects.get(slug="missed-doses")
    data = open_change_form(editor_client, guide) | {"body": "See [draft](/draft-page/)."}
    response = editor_client.post(change_url(guide), data, follow=True)
    assert "still a draft" in response.content.decode()
    # The guide is live: the text is saved as its pending change.
    assert pending_revision(guide).data["fields"]["body"] == "See [draft](/draft-page/)."


def test_a_new_guide_with_a_skipped_heading_is_refused(editor_client):
    data = {
        "title": "New", "slug": "new", "summary": "S", "audience": "patients",
        "published_on": "2026-05-01", "body": "## Start\n\n#### Skipped", "edit_version": "",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:content_guide_add"), data)
    assert response.status_code == 200
    assert "jumps from ## to ####" in response.content.decode()
    assert not Guide.objects.filter(slug="new").exists()
