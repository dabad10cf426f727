"""Fact tags and claims that may not be published, as an editor meets them in the admin."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from content.editing import revisions, signoff
from content.models import ForbiddenClaim, Guide, Revision, RevisionState, Snippet, Status

from .conftest import change_url, open_change_form, publish_pending

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claims")]

FOOD_WORDS = "Take it on an empty\nstomach."


@pytest.fixture
def rems(db) -> Snippet:
    return Snippet.objects.create(
        key="rems-program", title="PS-Pomalidomide REMS", phone="1-888-423-5436", body="Enroll."
    )


@pytest.fixture
def draft_guide(db) -> Guide:
    return Guide.objects.create(
        slug="new-guide", title="New guide", summary="S", published_on="2026-01-01",
        body="Some text.", status=Status.DRAFT,
    )  # fmt: skip


def save(client, obj, follow=False, **changes):
    data = open_change_form(client, obj) | changes
    return client.post(change_url(obj), data, follow=follow)


def test_an_unknown_fact_tag_is_refused_naming_the_tag_and_close_matches(
    editor_client, safety_page, rems
):
    response = save(editor_client, safety_page, intro="Call [[fact:rems-phon]] today.")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "“[[fact:rems-phon]]” is not a fact the site knows. Did you mean [[fact:rems-phone]]?"
        in html
    )
    safety_page.refresh_from_db()
    assert "rems-phon" not in safety_page.intro


def test_a_fact_tag_as_a_link_address_is_refused(editor_client, safety_page, rems):
    response = save(editor_client, safety_page, intro="[Call us]([[fact:rems-phone]])")
    assert "a fact tag cannot be a link address" in response.content.decode()


def test_a_known_fact_tag_is_saved_and_shown_with_its_value(
    editor_client, client, safety_page, rems
):
    response = save(editor_client, safety_page, intro="Call [[fact:rems-phone]] to enroll.")
    assert response.status_code == 302
    client.cookies["us_audience"] = "yes"
    assert "to enroll." not in client.get("/safety/").content.decode()  # waits for review
    publish_pending(safety_page, User.objects.get(username="editor1"))
    assert "Call 1-888-423-5436 to enroll." in client.get("/safety/").content.decode()


def test_the_fact_tags_page_lists_each_tag_its_value_and_where_it_is_changed(
    editor_client, safety_page, rems
):
    edit_form = editor_client.get(change_url(safety_page)).content.decode()
    assert f'href="{reverse("fact_tags")}"' in edit_form
    html = editor_client.get(reverse("fact_tags")).content.decode()
    assert "<code>[[fact:rems-phone]]</code>" in html and "1-888-423-5436" in html
    assert "Site-wide texts › The REMS program: its phone number" in html
    assert "No value now" in html  # the dosing schedules are not in this small database


def test_the_fact_tags_page_is_for_staff_only(client):
    response = client.get(reverse("fact_tags"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_claims_list_starts_with_the_outdated_wording_of_the_facts_list():
    phrases = set(ForbiddenClaim.objects.filter(active=True).values_list("phrase", flat=True))
    assert {
        "empty stomach", "always skip", "one * mg capsule", "POMALYST REMS",
        "lenalidomide or bortezomib", "no generic",
    } <= phrases  # fmt: skip
    for claim in ForbiddenClaim.objects.all():
        assert claim.reason and claim.current_fact and claim.source


def test_a_draft_with_a_forbidden_claim_is_saved_with_a_warning(editor_client, draft_guide):
    response = save(editor_client, draft_guide, follow=True, body=FOOD_WORDS)
    draft_guide.refresh_from_db()
    assert draft_guide.body.replace("\r\n", "\n") == FOOD_WORDS
    html = response.content.decode()
    assert "Saved as a draft, but it cannot be published with these words:" in html
    assert "“empty stomach”:" in html and "Current fact:" in html and "(Source:" in html


def test_save_and_submit_refuses_a_forbidden_claim(editor_client, draft_guide):
    response = save(editor_client, draft_guide, body=FOOD_WORDS, _submit="Save and submit")
    assert response.status_code == 200
    assert "“empty stomach”:" in response.content.decode()
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT and draft_guide.body == "Some text."
    assert revisions.pending_revision(draft_guide) is None


def test_a_published_text_keeps_a_forbidden_claim_only_as_a_change_that_cannot_be_submitted(
    editor_client, safety_page
):
    """The edit waits in a pending revision (the public page is unchanged), with a warning; the
    submission for medical review refuses it."""
    response = save(editor_client, safety_page, follow=True, title="Safety on an empty stomach")
    html = response.content.decode()
    assert "cannot be submitted or published with these words:" in html
    assert "“empty stomach”:" in html
    safety_page.refresh_from_db()
    assert safety_page.title == "Safety"
    response = save(editor_client, safety_page, follow=True, _submit="Save and submit")
    assert "Submitted for medical review" not in response.content.decode()
    assert revisions.pending_revision(safety_page).state == RevisionState.DRAFT
    safety_page.refresh_from_db()
    assert safety_page.title == "Safety"


def test_a_section_of_a_published_page_with_a_forbidden_claim_cannot_be_submitted(
    editor_client, safety_page
):
    data = open_change_form(editor_client, safety_page)
    data["sections-0-body"] = "Take one 5 mg capsule."
    data["_submit"] = "Save and submit"
    response = editor_client.post(change_url(safety_page), data, follow=True)
    assert "“one 5 mg capsule”:" in response.content.decode()
    assert not Revision.objects.filter(state=RevisionState.SUBMITTED).exists()


def test_a_reviewer_cannot_approve_a_forbidden_claim(editor, draft_guide):
    """Text changed behind the form's back is checked again at submission."""
    Guide.objects.filter(pk=draft_guide.pk).update(body="The POMALYST REMS program.")
    revision = revisions.refresh_from_live(draft_guide, editor)
    with pytest.raises(signoff.SignOffRefused, match="POMALYST REMS"):
        signoff.submit(revision, editor)
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT


def test_a_claim_turned_off_is_no_longer_checked(editor_client, draft_guide):
    ForbiddenClaim.objects.filter(phrase="empty stomach").update(active=False)
    response = save(
        editor_client, draft_guide, follow=True, body=FOOD_WORDS, _submit="Save and submit"
    )
    assert "Submitted for medical review" in response.content.decode()
    assert revisions.pending_revision(draft_guide).state == RevisionState.SUBMITTED


def test_editors_cannot_change_the_claims_list_and_superusers_can(editor_client, admin_client):
    assert editor_client.get(reverse("admin:content_forbiddenclaim_changelist")).status_code == 403
    add = reverse("admin:content_forbiddenclaim_add")
    data = {
        "phrase": "cures myeloma", "reason": "No medicine cures myeloma now.",
        "current_fact": "Multiple myeloma is currently incurable.", "source": "Facts list",
        "active": "on",
    }  # fmt: skip
    assert admin_client.post(add, data).status_code == 302
    assert ForbiddenClaim.objects.filter(phrase="cures myeloma").exists()


@pytest.mark.parametrize("phrase", ["*", "   ", "* *", "two\nlines"])
def test_a_claim_phrase_without_words_is_refused(admin_client, phrase):
    add = reverse("admin:content_forbiddenclaim_add")
    data = {"phrase": phrase, "reason": "r", "current_fact": "f", "source": "s", "active": "on"}
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert not ForbiddenClaim.objects.filter(phrase=phrase).exists()


def test_hostile_text_in_a_claim_is_shown_as_text(editor_client, draft_guide):
    ForbiddenClaim.objects.create(
        phrase="bad word", reason="<script>alert(1)</script>", current_fact="<b>x</b>", source="s"
    )
    response = save(editor_client, draft_guide, body="A bad word.", _submit="Save and submit")
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
