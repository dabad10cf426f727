"""The front end's structure, as the server sends it: the header's menu, the home page's ways in,
urgent advice set apart, the pages about the site, and what only print shows."""

import re

import pytest

from content.models import DosingSchedule, ExternalLink, Section, Snippet, Status


@pytest.fixture
def visitor(us_client, seeded):
    return us_client


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_main_menu_is_a_disclosure_that_needs_no_script(visitor):
    html = html_of(visitor, "/safety/")
    menu = html[html.index('<details class="menu">') : html.index("</details>")]
    assert '<summary class="menu__button">' in menu
    assert '<nav class="main-nav" aria-label="Main">' in menu
    assert 'href="/taking-pomalyst/"' in menu


def test_the_home_page_opens_with_four_ways_in_and_the_safety_line_beside_them(visitor):
    html = html_of(visitor, "/")
    tasks = html[html.index('<nav class="tasks"') :]
    links = re.findall(r'<a class="task[^"]*" href="([^"]+)"', tasks)
    assert links == ["/taking-pomalyst/", "/safety/", "/understanding-relapse/", "/support/"]
    after_tasks = tasks[tasks.index("</nav>") :]
    assert after_tasks.index('class="safety-line"') < 200
    assert 'href="/safety/"' in after_tasks[:600]
    assert 'class="toc"' not in html  # the cards are the way in, not an "On this page" box


def test_a_short_page_has_no_contents_box_and_a_long_one_has_ways_back_to_the_top(visitor):
    assert 'class="toc"' not in html_of(visitor, "/contact/")
    long_page = html_of(visitor, "/taking-pomalyst/")
    assert 'class="toc"' in long_page
    assert long_page.count('class="back-to-top"><a href="#main-content">') >= 3


def test_boxed_warnings_are_a_labelled_box(visitor):
    html = html_of(visitor, "/safety/")
    box = html[html.index('class="section section--boxed-warnings"') :]
    assert box.index("Boxed warning</p>") < box.index("</section>")


def test_the_pages_about_the_site_are_linked_from_every_footer(visitor):
    footer = html_of(visitor, "/support/").split('<footer class="site-footer">')[1]
    for url, words in [
        ("/about/", "About this site"),
        ("/contact/", "Contact"),
        ("/privacy/", "Privacy"),
        ("/accessibility/", "Accessibility"),
    ]:
        assert f'href="{url}">{words}</a>' in footer
        assert "<h1>" in html_of(visitor, url)


def test_the_privacy_page_names_the_one_cookie_a_visitor_gets(visitor):
    html = html_of(visitor, "/privacy/")
    assert "one small file in your browser, called a cookie" in html
    assert "We store nothing else about you" in html
    assert set(visitor.get("/privacy/").cookies) <= {"us_audience"}


def test_a_printed_page_shows_its_full_address(visitor):
    html = html_of(visitor, "/safety/")
    printed_from = r'class="print-meta[^"]*">Printed from <span[^>]*>http://testserver/safety/<'
    assert re.search(printed_from, html)


def test_the_reader_picks_a_schedule_and_the_first_one_is_picked(visitor):
    html = html_of(visitor, "/taking-pomalyst/")
    radios = re.findall(r'<input type="radio" name="schedule" value="([^"]+)"( checked)?>', html)
    assert radios == [("multiple-myeloma", " checked"), ("kaposi-sarcoma", "")]


def test_with_one_schedule_there_is_nothing_to_pick(visitor):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").delete()
    assert 'name="schedule"' not in html_of(visitor, "/taking-pomalyst/")


def test_the_cycle_shows_week_rows_a_start_cue_and_legend_marks_made_like_the_days(visitor):
    html = html_of(visitor, "/taking-pomalyst/")
    figure = html[html.index('class="figure figure--cycle"') : html.index("</figure>")]
    assert [int(n) for n in re.findall(r'class="week__label">Week (\d)', figure)] == [1, 2, 3, 4]
    assert 'class="cycle__start">Start here<' in figure
    picture, legend = figure.split('<ul class="legend">')
    assert picture.count('<span class="companion-mark">D</span>') == 4  # days 1, 8, 15 and 22
    assert legend.count('<span class="companion-mark">D</span>') == 1
    assert 'class="day day--on day--key"' in legend and 'class="day day--off day--key"' in legend


def test_the_emergency_card_comes_first_with_its_label(visitor):
    html = html_of(visitor, "/safety/")
    card = html.index('class="section section--emergency"')
    assert card < html.index('class="toc"')
    assert html.index("Emergency</p>", card) < html.index("</section>", card)


def test_no_page_opens_by_saying_what_it_explains(visitor):
    for url in ("/", "/understanding-relapse/", "/taking-pomalyst/", "/safety/", "/support/"):
        lead = html_of(visitor, url).split('<div class="lead">', 1)[-1][:300]
        assert "This page explains" not in lead and "This page is about" not in lead, url


def test_the_printed_address_leaves_out_the_query_string(visitor):
    html = html_of(visitor, "/guides/?audience=caregivers")
    assert ">http://testserver/guides/</span>" in html


def test_the_contact_page_shows_only_what_the_publisher_text_says_about_the_publisher(visitor):
    """The facts list gives the publisher no address: the page shows the editable text, and
    whatever an editor adds to it (an address, say), and never an address of its own."""
    html = html_of(visitor, "/contact/")
    this_site = html[
        html.index('id="this-site"') : html.index("</section>", html.index('id="this-site"'))
    ]
    assert '<h3 id="publisher-heading">Who publishes this site</h3>' in this_site
    assert "patient education about POMALYST" in this_site
    assert "It has no contact form" in this_site

    publisher = Snippet.objects.get(key="site-publisher")
    publisher.body = "Published by Example Health, 1 Main Street, Springfield."
    publisher.save()
    assert "1 Main Street, Springfield" in html_of(visitor, "/contact/")
    assert "1 Main Street, Springfield" in html_of(visitor, "/about/")


def test_links_to_other_sites_in_the_text_carry_their_address_for_print(visitor):
    """Their href is the leaving notice, so print needs the address they stand for; a link that
    already reads as its address (MedWatch's on Contact) needs none."""
    html = html_of(visitor, "/contact/")
    assert 'www.fda.gov%2Fmedwatch">www.fda.gov/medwatch</a>' in html
    section = Section.objects.get(page__slug="contact", anchor="side-effects")
    section.body = "Report it on [the FDA's MedWatch page](https://www.fda.gov/medwatch)."
    section.save()
    html = html_of(visitor, "/contact/")
    assert 'data-address="https://www.fda.gov/medwatch">the FDA’s MedWatch page</a>' in html


PI_ADDRESS = (
    "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2b25ef01-5c9e-11e1-b86c-0800200c9a66"
)


def test_the_frames_links_to_other_sites_carry_their_address_for_print(visitor):
    """The safety summary's Prescribing Information link and the REMS panel's website link are
    written in templates, not Markdown, so they get their address from their external link."""
    html = html_of(visitor, "/support/")
    pi_link = html[html.index('<p class="isi__full">') :]
    assert f'data-address="{PI_ADDRESS}">Prescribing Information' in pi_link[:400]
    panel = html[html.index('<div class="rems-panel">') :]
    assert 'data-address="https://www.ps-pomalidomiderems.com/">The ' in panel[:600]


def test_the_printed_frame_addresses_follow_the_editors_links(visitor):
    link = ExternalLink.objects.get(key="rems-program")
    link.url = "https://www.example.org/rems"
    link.save()
    html = html_of(visitor, "/support/")
    assert 'data-address="https://www.example.org/rems">The ' in html
    assert "ps-pomalidomiderems" not in html


def test_with_its_link_unpublished_the_prescribing_information_still_prints_the_official_address(
    visitor,
):
    """The notice falls back to the official address (BUILT_IN_LINKS), so print does too."""
    ExternalLink.objects.filter(key="prescribing-information").update(status=Status.DRAFT)
    assert f'data-address="{PI_ADDRESS}">Prescribing Information' in html_of(visitor, "/safety/")


def test_an_unpublished_rems_link_prints_no_address(visitor):
    """A draft link leads nowhere yet, so print does not vouch for its address."""
    ExternalLink.objects.filter(key="rems-program").update(status=Status.DRAFT)
    html = html_of(visitor, "/support/")
    panel = html[html.index('<div class="rems-panel">') :]
    assert "data-address" not in panel[:600]
