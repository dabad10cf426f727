from django.contrib.auth.management import create_permissions
from django.db import migrations

from content.editing.permissions import (
    REVIEWERS_GROUP,
    sync_editors_group,
    sync_reviewers_group,
)


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_editors_group(apps)  # editors now also see pending changes and the audit trail
    sync_reviewers_group(apps)


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0013_review_workflow")]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
