"""Template helpers for laying out a public page."""

from django import template
from django.utils.html import conditional_escape

from content.markdown.typography import set_text

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


@register.filter
def typeset(text) -> str:
    """Plain text an editor typed in a one-line field (a heading, a dose note) with the same
    typography as the Markdown texts: curly quotes, dashes, numbers kept with their units."""
    return conditional_escape(set_text(str(text)))
