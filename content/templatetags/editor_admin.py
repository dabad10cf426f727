from django import template
from django.utils import timezone

from content.editing.admin import time_zone_label
from content.editing.reviews import expired_items, reviews_awaited, reviews_due, scheduled_count
from content.editing.signoff import work_waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def reviews_due_count(context) -> dict:
    """How many items the logged-in editor can see are overdue for medical review, and how many
    have never had a signed one (or are marked to be verified)."""
    user = context["request"].user
    return {
        "overdue": len(reviews_due(user, timezone.localdate())),
        "awaiting": len(reviews_awaited(user)),
    }


@register.simple_tag(takes_context=True)
def waiting_for_me(context) -> dict:
    """What waits for the logged-in person: for a medical reviewer, the changes submitted for
    review (not their own); for an editor, their changes being edited or sent back."""
    return work_waiting_for(context["request"].user)


@register.simple_tag
def site_time_zone() -> str:
    """The zone every time in the admin is shown in, in words ("New York time")."""
    return time_zone_label()


@register.simple_tag(takes_context=True)
def schedule_counts(context) -> dict:
    """How many drafts the editor can see are scheduled to go live, and how many items expired."""
    user = context["request"].user
    return {"scheduled": scheduled_count(user), "expired": len(expired_items(user))}
