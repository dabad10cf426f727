"""The one Markdown pipeline: render, then sanitise with an allow-list."""

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
        "<tbody>\n<tr>\n<td>1</td>\n<td>4 mg</td>\n</tr>\n</tbody>\n</table>"
    )


def test_heading_anchor_prefix_keeps_ids_unique_across_sections():
    html = render_markdown("### What to do", anchor_prefix="blood-clots--")
    assert html == '<h3 id="blood-clots--what-to-do">What to do</h3>'


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_markdown_renders_nothing(source):
    assert render_markdown(source) == ""


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("Hi <script src=//evil.example/x.js></script>", "evil.example"),
        ('<img src="x.png" alt="a" onerror="alert(1)">', "onerror"),
        ('<p onclick="alert(1)">Tap</p>', "onclick"),
        ('<a href="#" onmouseover="alert(1)">x</a>', "onmouseover"),
        ("[tap](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript"),
        ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">', "data:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("<style>body{display:none}</style>", "display:none"),
        ('<p style="position:fixed">x</p>', "style="),
        ('<object data="x.swf"></object>', "<object"),
        ('<form action="https://evil.example"><input name="q"></form>', "<form"),
        ("<svg onload=alert(1)>", "onload"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ],
)
def test_dangerous_markup_does_not_survive(source, forbidden):
    assert forbidden.lower() not in render_markdown(source).lower()


def test_safe_text_inside_removed_markup_is_kept_as_text():
    assert render_markdown("<div>Call your doctor.</div>") == "Call your doctor."


def test_markup_in_text_is_escaped_not_executed():
    html = render_markdown("Use `<script>` tags? No: 1 < 2 & 3 > 2.")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
