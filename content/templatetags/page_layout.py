"""Template helpers for laying out a public page."""

from django import template

register = template.Library()

# About four phone screens: below this a page is read straight through, so it gets no "On this
# page" box and no back-to-top links. A picture counts as much as a screen of text.
LONG_PAGE_CHARACTERS = 2000
FIGURE_CHARACTERS = 1500


@register.filter
def is_long(sections) -> bool:
    """Whether a page's sections together are long enough to need ways around them."""
    size = sum(len(s.body_html) + (FIGURE_CHARACTERS if s.figure else 0) for s in sections)
    return len(sections) > 3 and size > LONG_PAGE_CHARACTERS
