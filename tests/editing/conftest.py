"""Fixtures for the editors' admin tests: editor logins, a small page, and a form reader that
turns an admin change page into the data a browser would post back."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from content.editing.permissions import sync_editors_group
from content.models import Page, Section, Status


class _FormReader(HTMLParser):
    """Reads the fields of the page's main admin form as a browser would submit them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
                return
            self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            self.data[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = self._select_value if self._select_value is not None else self._select_first
            self.data[self._select] = chosen or ""
            self._select = None


def read_form(response, form_id: str) -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return reader.data


def make_staff(username: str, sync_group, **names) -> User:
    """A staff login (password "a-long-password-1") in the group `sync_group` makes. The
    migrations make the groups; a transactional test elsewhere may have flushed them."""
    user = User.objects.create_user(
        username, f"{username}@example.org", "a-long-password-1", **names
    )
    user.is_staff = True
    user.save()
    user.groups.add(sync_group())
    return user


@pytest.fixture
def make_editor(db):
    def make(username: str = "editor1") -> User:
        return make_staff(username, sync_editors_group)

    return make


@pytest.fixture
def editor(make_editor) -> User:
    return make_editor("editor1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def safety_page(db) -> Page:
    page = Page.objects.create(
        slug="safety",
        title="Safety",
        summary="What is dangerous and when to call.",
        intro="Read this before you start.",
        status=Status.PUBLISHED,
        medically_reviewed_on=datetime.date(2026, 1, 10),
        next_review_due=datetime.date(2027, 1, 10),
    )
    Section.objects.create(
        page=page, order=10, heading="Blood clots", body="### Signs\n\nLeg pain or swelling."
    )
    Section.objects.create(page=page, order=20, heading="Low blood counts", body="Get tests.")
    return page


@pytest.fixture
def optional_page(safety_page) -> Page:
    """The same page at an address the site can do without (Home and Safety are required)."""
    Page.objects.filter(pk=safety_page.pk).update(slug="clots")
    safety_page.refresh_from_db()
    return safety_page


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def open_change_form(client, obj) -> dict[str, str]:
    """GET the change page, as an editor opening it, and return what Save would post."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return read_form(response, f"{obj._meta.model_name}_form")


def as_draft(page: Page) -> Page:
    """The same page as a draft, edited directly. A live page's edits wait for medical review
    (tests/editing/test_workflow.py tests the same protections on those)."""
    Page.objects.filter(pk=page.pk).update(status=Status.DRAFT)
    page.refresh_from_db()
    return page


def publish_pending(obj, editor) -> None:
    """Submit the item's pending change and have a medical reviewer approve it."""
    from content.editing import revisions, signoff
    from content.editing.permissions import sync_reviewers_group

    reviewer, _ = User.objects.get_or_create(username="signing-reviewer", is_staff=True)
    reviewer.groups.add(sync_reviewers_group())
    revision = revisions.pending_revision(obj)
    signoff.submit(revision, editor)
    signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))


def submit_and_approve(obj, go_live_at=None):
    """Submit a draft as saved for medical review and have a reviewer approve it (with no
    go-live time of their own, the draft's `publish_at` if it is still ahead). The Approval."""
    from content.editing import revisions, signoff
    from content.editing.permissions import sync_editors_group, sync_reviewers_group

    editor, _ = User.objects.get_or_create(username="submitting-editor", is_staff=True)
    editor.groups.add(sync_editors_group())
    reviewer, _ = User.objects.get_or_create(username="signing-reviewer", is_staff=True)
    reviewer.groups.add(sync_reviewers_group())
    revision = revisions.refresh_from_live(obj, editor)
    signoff.submit(revision, editor)
    return signoff.approve(
        revision.pk, reviewer, digest=revisions.data_digest(revision.data), go_live_at=go_live_at
    )
