from django import template
from django.utils import timezone

from content.editing.reviews import expired_items, reviews_awaited, reviews_due, scheduled_count

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
def schedule_counts(context) -> dict:
    """How many drafts the editor can see are scheduled to go live, and how many items expired."""
    user = context["request"].user
    return {"scheduled": scheduled_count(user), "expired": len(expired_items(user))}
