"""The "Editors" group: exactly the permissions needed to edit the site's content.

Editors may not see or change users, groups, login records or settings. Site-wide texts
(snippets) are used on every page, so editors change them but never delete them.
"""

from django.apps import apps as global_apps

EDITORS_GROUP = "Editors"
ALL_ACTIONS = ("add", "change", "delete", "view")
EDITOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "page": ALL_ACTIONS,
    "section": ALL_ACTIONS,
    "guide": ALL_ACTIONS,
    "snippet": ("add", "change", "view"),
    "drugfacts": ALL_ACTIONS,
    "dosingschedule": ALL_ACTIONS,
    "externallink": ALL_ACTIONS,
}


# What medical reviewers may change besides what editors may: the list of claims that may not be
# published. The reviewers' group takes these; superusers have them already.
REVIEWER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "forbiddenclaim": ALL_ACTIONS,
}


def reviewer_codenames() -> set[str]:
    return {
        f"{action}_{model}" for model, actions in REVIEWER_PERMISSIONS.items() for action in actions
    }


def editor_codenames() -> set[str]:
    return {
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    }


def sync_editors_group(apps=global_apps):
    """Create the group if needed and give it exactly the editor permissions (idempotent)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    codenames = editor_codenames()
    permissions = list(
        permission_model.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
    missing = codenames - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Permissions not created yet: {sorted(missing)}. Run migrate first.")
    group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(permissions)
    return group
