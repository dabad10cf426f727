"""The one Markdown pipeline: render, then sanitise with an allow-list (hostile input:
test_hostile_markdown.py)."""

import pytest

from content.markdown.render import render_markdown


def test_renders_headings_lists_links_and_tables_exactly():
    source = (
        "### Warning signs\n\n"
        "- chest pain\n- shortness of breath\n\n"
        "Read [the safety page](/safety/#blood-clots).\n\n"
        "| Day | Dose |\n|---|---|\n| 1 | 4 mg |\n"
    )
    assert render_markdown(source) == (
        '<h3 id="warning-signs">Warning signs</h3>\n'
        "<ul>\n<li>chest pain</li>\n<li>shortness of breath</li>\n</ul>\n"
        '<p>Read <a href="/safety/#blood-clots">the safety page</a>.</p>\n'
        "<table>\n<thead>\n<tr>\n<th>Day</th>\n<th>Dose</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>4&nbsp;mg</td>\n</tr>\n</tbody>\n</table>"
    )


def test_heading_anchor_prefix_keeps_ids_unique_across_sections():
    html = render_markdown("### What to do", anchor_prefix="blood-clots--")
    assert html == '<h3 id="blood-clots--what-to-do">What to do</h3>'


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_markdown_renders_nothing(source):
    assert render_markdown(source) == ""


def test_safe_text_inside_removed_markup_is_kept_as_text():
    assert render_markdown("<div>Call your doctor.</div>") == "Call your doctor."


def test_markup_in_text_is_escaped_not_executed():
    html = render_markdown("Use `<script>` tags? No: 1 < 2 & 3 > 2.")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
