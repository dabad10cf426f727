"""Fact tags in the Markdown pipeline: values go in as plain text, code keeps the tag as written,
an address cannot be a tag, and bad tags get a message an editor can act on."""

import time

from content.markdown.facts import tags_in
from content.markdown.render import render_markdown, render_with_fact_problems

VALUES = {"rems-phone": "1-888-423-5436", "mm-dose": "4 mg", "rems-name": "PS-Pomalidomide REMS"}


def render(text: str, values=VALUES) -> tuple[str, list[str]]:
    return render_with_fact_problems(text, values)


def test_a_tag_in_a_sentence_becomes_the_value():
    html, problems = render("Call [[fact:rems-phone]] to enroll.")
    assert html == "<p>Call 1-888-423-5436 to enroll.</p>"
    assert problems == []


def test_a_value_is_plain_text_never_markup():
    values = {"rems-name": '<script>alert(1)</script> *bold* [x](javascript:alert(1)) & "q"'}
    html, problems = render("The program: [[fact:rems-name]].", values)
    assert "<script" not in html and "<em>" not in html and "<a" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* [x](javascript:alert(1)) &amp;" in html
    assert problems == []


def test_tags_in_inline_code_and_code_blocks_are_left_as_written():
    text = (
        "Write `[[fact:rems-phone]]` like this.\n\n    [[fact:mm-dose]]\n\n```\n[[fact:nope]]\n```"
    )
    html, problems = render(text)
    assert "<code>[[fact:rems-phone]]</code>" in html
    assert "<pre><code>[[fact:mm-dose]]\n</code></pre>" in html
    assert "[[fact:nope]]" in html
    assert "1-888-423-5436" not in html and "4 mg" not in html
    assert problems == []


def test_a_tag_in_link_text_is_expanded_and_in_a_link_address_is_an_error():
    html, problems = render("[Call [[fact:rems-phone]]](/support/)")
    assert html == '<p><a href="/support/">Call 1-888-423-5436</a></p>'
    assert problems == []
    html, problems = render("[the program]([[fact:rems-phone]]) and ![a]([[fact:mm-dose]])")
    assert problems == [
        "“[[fact:rems-phone]]”: a fact tag cannot be a link address. Put the tag in the link's "
        "words instead, between the square brackets.",
        "“[[fact:mm-dose]]”: a fact tag cannot be a link address. Put the tag in the link's "
        "words instead, between the square brackets.",
    ]
    assert "1-888-423-5436" not in html


def test_a_tag_in_a_heading_gives_the_heading_its_value_and_its_id():
    html, _ = render("### Call [[fact:rems-phone]]")
    assert html == '<h3 id="call-1-888-423-5436">Call 1-888-423-5436</h3>'


def test_a_tag_in_a_picture_description_is_expanded():
    html, problems = render("![Dose: [[fact:mm-dose]]](/media/editor-images/a.png)")
    assert 'alt="Dose: 4 mg"' in html and problems == []


def test_an_unknown_tag_is_shown_as_written_and_named_with_close_matches():
    html, problems = render("Call [[fact:rems-phon]].")
    assert "[[fact:rems-phon]]" in html
    assert problems == [
        "“[[fact:rems-phon]]” is not a fact the site knows. Did you mean [[fact:rems-phone]]? "
        "The list of fact tags shows every name you can use."
    ]


def test_badly_written_tags_are_problems_with_an_example():
    _, problems = render("[[fact:]] and [[fact:Rems Phone]] and [[fact:rems-ph")
    assert len(problems) == 3
    assert problems[0].startswith("“[[fact:]]” is not written like a fact tag.")
    assert "Did you mean [[fact:rems-phone]]?" in problems[1]
    assert problems[2].startswith("The fact tag “[[fact:rems-ph…” is not closed.")


def test_a_known_fact_without_a_value_says_so():
    html, problems = render("Dose: [[fact:mm-dose]]", {"mm-dose": None})
    assert "[[fact:mm-dose]]" in html
    assert "has no value at the moment" in problems[0]


def test_fifty_thousand_characters_of_openers_render_quickly_with_one_problem():
    text = "[[fact:" * (50_000 // len("[[fact:"))
    start = time.perf_counter()
    html, problems = render(text)
    assert time.perf_counter() - start < 2
    assert problems == [
        "The fact tag “[[fact:…” is not closed. End it with ]] like this: [[fact:rems-phone]]."
    ]
    assert html.startswith("<p>[[fact:[[fact:")


def test_many_bad_tags_are_listed_up_to_ten_and_counted():
    text = " ".join(f"[[fact:nope-{n}]]" for n in range(25))
    _, problems = render(text)
    assert len(problems) == 11
    assert problems[-1] == "… and 15 more problems with fact tags."


def test_private_use_characters_in_the_text_cannot_forge_a_value():
    text = "\ue0000\ue001 and \ue000abc0\ue001 [[fact:mm-dose]]"
    html, _ = render(text)
    assert html.count("4 mg") == 1


def test_render_markdown_expands_only_when_given_values():
    assert render_markdown("[[fact:mm-dose]]") == "<p>[[fact:mm-dose]]</p>"
    assert render_markdown("[[fact:mm-dose]]", facts=VALUES) == "<p>4 mg</p>"


def test_tags_in_lists_the_well_written_keys():
    assert tags_in("[[fact:a-b]] `[[fact:c]]` [[fact:Bad Key]] [[fact:") == {"a-b", "c"}
