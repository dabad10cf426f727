from django.urls import reverse
from django.utils.html import format_html
from markdownx.widgets import AdminMarkdownxWidget

from content.models import MarkdownText


class EditorMarkdownWidget(AdminMarkdownxWidget):
    """The Markdown editor with its live preview, the live reading grade and upload messages.

    The preview gives headings the same ids as the public page, as the model's `MarkdownText`
    declares them: a fixed anchor ("intro"), or the sibling inputs the anchor comes from
    ("anchor heading" for a section: its anchor, else its heading), which
    static/content/admin/editor.js reads.
    """

    def __init__(self, text: MarkdownText, attrs=None):
        super().__init__(attrs)
        self.anchor = text.anchor
        self.anchor_fields = text.anchor_fields

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        preview_url = reverse("markdownx_markdownify")
        if self.anchor:
            preview_url += f"?anchor={self.anchor}"
        context["widget"]["attrs"].update(
            {
                "data-markdownx-urls-path": preview_url,
                "data-preview-url": reverse("markdownx_markdownify"),
                "data-anchor-fields": " ".join(self.anchor_fields),
                "data-reading-grade-url": reverse("reading_grade"),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """markdownx's editor, with a link to the fact tags under it."""
        editor = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<p class="fact-tags-link"><a href="{}" target="_blank" rel="noopener">Fact tags '
            "you can use, with their current values</a> (opens in a new tab)</p>",
            editor,
            reverse("fact_tags"),
        )

    class Media:
        css = {"all": ["content/admin/editor.css"]}
        js = ["content/admin/editor.js"]
