"""manage.py create_editor <username> <email>: a login for a content editor.

The editor gets the admin (staff) but not superuser powers, and joins the "Editors" group; with
--reviewer, the "Medical reviewers" group instead (they approve changes, and edit nothing).
Asked for a password when run in a terminal; with --no-password (or no terminal) the login gets
no usable password until someone runs `manage.py changepassword <username>`.
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from content.editing.permissions import (
    EDITORS_GROUP,
    REVIEWERS_GROUP,
    sync_editors_group,
    sync_reviewers_group,
)


class Command(BaseCommand):
    help = (
        "Create a login for a content editor or medical reviewer (or add an existing user to "
        "the group)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Do not ask for a password; set one later with manage.py changepassword.",
        )
        parser.add_argument(
            "--reviewer",
            action="store_true",
            help="A medical reviewer, who approves changes, instead of an editor.",
        )

    def handle(
        self, *args, username: str, email: str, no_password: bool, reviewer: bool, **options
    ):
        self.reviewer = reviewer
        role = "Medical reviewer" if reviewer else "Editor"
        group = REVIEWERS_GROUP if reviewer else EDITORS_GROUP
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not an email address.") from error
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            self._add_to_group(user)
            self.stdout.write(f"{username} already exists: now staff and in the {group} group.")
            return
        user = user_model(username=username, email=email, is_staff=True, is_superuser=False)
        if no_password or not sys.stdin.isatty():
            user.set_unusable_password()
            note = f"Set a password with: python manage.py changepassword {username}"
        else:
            user.set_password(self._ask_password(user))
            note = "They can log in now."
        with transaction.atomic():
            user.full_clean(exclude=["password"])
            user.save()
            self._add_to_group(user)
        self.stdout.write(self.style.SUCCESS(f"{role} {username} created. {note}"))

    def _add_to_group(self, user) -> None:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(sync_reviewers_group() if self.reviewer else sync_editors_group())

    def _ask_password(self, user) -> str:
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password set. Run the command again.")
