"""The Editors group has exactly the content permissions; editors get a login command."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.editing.permissions import EDITORS_GROUP, editor_codenames
from content.models import Snippet, SnippetKey

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_migration_creates_the_editors_group_with_only_content_permissions():
    call_command("migrate", "content", "0002", verbosity=0)
    assert not Group.objects.filter(name=EDITORS_GROUP).exists()
    call_command("migrate", "content", verbosity=0)
    group = Group.objects.get(name=EDITORS_GROUP)
    permissions = group.permissions.select_related("content_type")
    assert {p.content_type.app_label for p in permissions} == {"content"}
    assert {p.codename for p in permissions} == editor_codenames()
    assert "delete_snippet" not in editor_codenames()
    assert {"change_page", "change_section", "view_guide", "add_externallink"} <= editor_codenames()


def test_editor_can_open_content_admin_but_not_users_groups_or_login_records(editor_client):
    assert editor_client.get(reverse("admin:content_page_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:content_guide_add")).status_code == 200
    for name in ("auth_user_changelist", "auth_group_changelist", "axes_accessattempt_changelist"):
        assert editor_client.get(reverse(f"admin:{name}")).status_code == 403


def test_editor_cannot_delete_a_site_wide_text(editor_client):
    snippet = Snippet.objects.create(key=SnippetKey.ISI_SUMMARY, title="Safety", body="Text.")
    url = reverse("admin:content_snippet_delete", args=[snippet.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Snippet.objects.filter(pk=snippet.pk).exists()


def test_create_editor_without_password_makes_a_staff_editor_with_no_usable_password(capsys):
    call_command("create_editor", "ana", "ana@example.org", "--no-password")
    user = User.objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert not user.has_usable_password()
    assert "manage.py changepassword ana" in capsys.readouterr().out


def test_create_editor_asks_twice_for_a_password_in_a_terminal(monkeypatch):
    answers = iter(["short", "different", "a-long-password-9", "a-long-password-9"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_editor", "ben", "ben@example.org")
    assert User.objects.get(username="ben").check_password("a-long-password-9")


def test_create_editor_refuses_an_address_that_is_not_an_email():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("create_editor", "cy", "not-an-email", "--no-password")
    assert not User.objects.filter(username="cy").exists()


def test_create_editor_for_an_existing_user_only_adds_the_group():
    user = User.objects.create_user("dee", "dee@example.org", "a-long-password-1")
    call_command("create_editor", "dee", "dee@example.org", "--no-password")
    user.refresh_from_db()
    assert user.is_staff and user.check_password("a-long-password-1")
    assert user.groups.filter(name=EDITORS_GROUP).exists()
