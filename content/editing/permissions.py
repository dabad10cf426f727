"""The "Editors" and "Medical reviewers" groups: exactly the permissions each role needs.

Editors may not see or change users, groups, login records or settings. Site-wide texts
(snippets) are used on every page, so editors change them but never delete them. Editors see
pending changes and the audit trail, but only medical reviewers approve (`approve_revision`);
reviewers see everything, keep the list of claims that may not be published, and change no
content themselves.
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
    "revision": ("view",),
    "auditevent": ("view",),
    "approval": ("view",),
}

REVIEWERS_GROUP = "Medical reviewers"
VIEWED_BY_REVIEWERS = (
    "page",
    "section",
    "guide",
    "snippet",
    "drugfacts",
    "dosingschedule",
    "externallink",
    "glossaryterm",
    "warningsign",
    "suggestedquestion",
    "searchsynonym",
    "revision",
    "auditevent",
    "approval",
)
REVIEWER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    **{model: ("view",) for model in VIEWED_BY_REVIEWERS},
    "revision": ("view", "approve"),
    # The list of claims that may not be published is theirs to keep.
    "forbiddenclaim": ALL_ACTIONS,
}


def codenames_of(permissions: dict[str, tuple[str, ...]], apps=global_apps) -> set[str]:
    """The permission codenames, for the models that exist at this point of the migrations."""
    existing = {model._meta.model_name for model in apps.get_app_config("content").get_models()}
    return {
        f"{action}_{model}"
        for model, actions in permissions.items()
        if model in existing
        for action in actions
    }


def editor_codenames(apps=global_apps) -> set[str]:
    return codenames_of(EDITOR_PERMISSIONS, apps)


def sync_editors_group(apps=global_apps):
    """Create the group if needed and give it exactly the editor permissions (idempotent)."""
    return _sync_group(apps, EDITORS_GROUP, editor_codenames(apps))


def sync_reviewers_group(apps=global_apps):
    """The same for the medical reviewers."""
    return _sync_group(apps, REVIEWERS_GROUP, codenames_of(REVIEWER_PERMISSIONS, apps))


def _sync_group(apps, name: str, codenames: set[str]):
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = list(
        permission_model.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
    missing = codenames - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Permissions not created yet: {sorted(missing)}. Run migrate first.")
    group, _ = group_model.objects.get_or_create(name=name)
    group.permissions.set(permissions)
    return group
