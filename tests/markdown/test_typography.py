"""Typography in the Markdown step: curly quotes, dashes, numbers kept with their units, and
links to other sites that carry their address for print. Only the words a reader sees change:
code, link addresses and heading ids stay as written."""

import pytest

from content.markdown.render import render_markdown

NBSP = "&nbsp;"


def test_quotes_and_apostrophes_are_curly():
    html = render_markdown("Write \"Day 1\" on the calendar. It's the patient's first day.")
    assert html == "<p>Write “Day 1” on the calendar. It’s the patient’s first day.</p>"


def test_a_double_hyphen_is_an_en_dash_and_a_triple_one_an_em_dash():
    assert render_markdown("Rest -- then start --- again.") == "<p>Rest – then start — again.</p>"


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("Take it on days 1-21.", "Take it on days 1–21."),
        ("Ages 18-64 and 65-75.", "Ages 18–64 and 65–75."),
    ],
)
def test_a_range_of_numbers_gets_an_en_dash(source, shown):
    assert render_markdown(source) == f"<p>{shown}</p>"


@pytest.mark.parametrize(
    "source",
    [
        "Call 1-888-423-5436.",
        "Call 1-800-FDA-1088.",
        "Started 2026-03-01.",
        "Study 12-C-0047.",
        "Type COVID-19 or HHV-8.",
        r"Keep 1\-21 as written.",
    ],
)
def test_phone_numbers_dates_codes_and_escaped_hyphens_keep_their_hyphens(source):
    html = render_markdown(source)
    assert "–" not in html
    assert "-" in html


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("Take 4 mg a day.", f"4{NBSP}mg"),
        ("The dose is 20 mg or 40 mg.", f"20{NBSP}mg or 40{NBSP}mg"),
        (
            "A 28 day cycle: 21 days on, 7 days off.",
            f"28{NBSP}day cycle: 21{NBSP}days on, 7{NBSP}days off",
        ),
        ("Every 2 weeks for 12 weeks.", f"2{NBSP}weeks for 12{NBSP}weeks"),
        ("Take 1.5 mg.", f"1.5{NBSP}mg"),
        ("For 1-2 hours.", f"1–2{NBSP}hours"),
    ],
)
def test_a_number_and_its_unit_never_split_at_a_line_end(source, kept):
    assert kept in render_markdown(source)


def test_a_number_before_an_ordinary_word_may_still_wrap():
    assert render_markdown("Take 2 capsules with 8 friends.") == (
        f"<p>Take 2{NBSP}capsules with 8 friends.</p>"
    )


def test_code_is_left_exactly_as_written():
    html = render_markdown('Type `"20 mg" days 1-21 --` here.\n\n    it\'s 4 mg -- 1-2\n')
    assert '<code>"20 mg" days 1-21 --</code>' in html
    assert "<pre><code>it's 4 mg -- 1-2\n</code></pre>" in html


def test_link_addresses_and_titles_keep_their_characters():
    html = render_markdown(
        'See [the "dose" page, days 1-21](/taking-pomalyst/?a=1-2&b=4%20mg#x--y).'
    )
    assert 'href="/taking-pomalyst/?a=1-2&amp;b=4%20mg#x--y"' in html
    assert ">the “dose” page, days 1–21</a>" in html


def test_heading_ids_are_made_from_the_words_as_written():
    html = render_markdown("### What's next: days 1-21, 4 mg")
    assert html == (
        '<h3 id="whats-next-days-1-21-4-mg">What’s next: days 1–21, 4' + NBSP + "mg</h3>"
    )


def test_a_link_to_another_site_carries_its_address_for_print():
    html = render_markdown("Report it at [the FDA's MedWatch page](https://www.fda.gov/medwatch).")
    assert 'data-address="https://www.fda.gov/medwatch"' in html
    assert 'href="/leaving/?to=https%3A%2F%2Fwww.fda.gov%2Fmedwatch"' in html


@pytest.mark.parametrize(
    "source",
    [
        "Go to [www.fda.gov/medwatch](https://www.fda.gov/medwatch).",
        "Read [the safety page](/safety/).",
        "Write to [us](mailto:help@example.org).",
    ],
)
def test_a_link_that_already_shows_its_address_or_stays_on_this_site_gets_none(source):
    assert "data-address" not in render_markdown(source)


def test_an_address_with_markup_in_it_cannot_break_out_of_the_attribute():
    html = render_markdown('[x](https://example.org/"><script>alert(1)</script>)')
    assert "<script" not in html
    assert 'data-address="https://example.org/' in html


def test_an_editors_own_data_address_is_dropped_and_only_the_real_one_kept():
    html = render_markdown(
        '<a href="https://example.org/" data-address="https://evil.example/">x</a>'
    )
    assert html.count("data-address") == 1
    assert 'data-address="https://example.org/"' in html
