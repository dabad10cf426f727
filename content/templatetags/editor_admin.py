from django import template
from django.utils import timezone

from content.editing.reviews import reviews_due

register = template.Library()


@register.simple_tag(takes_context=True)
def reviews_due_count(context) -> dict:
    """How many items the logged-in editor can see are overdue for medical review."""
    today = timezone.localdate()
    return {"overdue": len(reviews_due(context["request"].user, today))}
