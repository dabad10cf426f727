"""Every link to another site passes through the leaving-the-site notice; no open redirect."""

from html.parser import HTMLParser

import pytest

from content.loader import load_content
from content.markdown.links import goes_to_another_site, normalise_address
from content.markdown.render import render_markdown
from content.models import ExternalLink, Status
from tests.request_guard import refused_up_front


@pytest.fixture
def brand_link(db) -> ExternalLink:
    return ExternalLink.objects.create(
        key="brand-site", title="The brand website", url="https://www.pomalyst.com",
        description="The maker's site.", status=Status.PUBLISHED,
    )  # fmt: skip


def test_a_markdown_link_to_another_site_points_to_the_notice():
    html = render_markdown("See [the maker](https://www.Example.org/a?b=1&c=2).")

    assert html == (
        '<p>See <a href="/leaving/?to=https%3A%2F%2Fwww.example.org%2Fa%3Fb%3D1%26c%3D2" '
        'data-address="https://www.example.org/a?b=1&amp;c=2">the maker</a>.</p>'
    )


@pytest.mark.parametrize(
    "source",
    [
        "[x](//evil.example/page)",
        '<a href="/\\evil.example">x</a>',
        '<a href="\\\\evil.example">x</a>',
        '<a href="HTTP://evil.example">x</a>',
        '<a href=" https://evil.example">x</a>',
        '<a href="ht&#9;tps://evil.example">x</a>',
        '<a href="https:evil.example">x</a>',
    ],
)
def test_disguised_links_to_other_sites_also_point_to_the_notice(source):
    html = render_markdown(source)

    assert 'href="/leaving/?to=' in html
    assert 'href="/\\' not in html and 'href="//' not in html and 'href="http' not in html


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[Safety](/safety/)", "/safety/"),
        ("[clots](#blood-clots)", "#blood-clots"),
        ("[guides](guides/)", "guides/"),
        ("[mail](mailto:help@example.org)", "mailto:help@example.org"),
        ("[call](tel:+18005551234)", "tel:+18005551234"),
    ],
)
def test_links_within_the_site_and_mail_or_phone_links_are_unchanged(source, href):
    assert f'href="{href}"' in render_markdown(source)


@pytest.mark.parametrize(
    "to",
    [
        "https://www.pomalyst.com",
        "https://www.pomalyst.com/",
        "HTTPS://WWW.POMALYST.COM:443/",
        "//www.pomalyst.com",
        " https://www.pomalyst.com",
    ],
)
def test_an_address_an_editor_entered_leads_to_its_notice(client, brand_link, to):
    response = client.get("/leaving/", {"to": to})

    assert response.status_code == 302
    assert response["Location"] == "/leaving/brand-site/"


def test_the_notice_says_where_to_and_offers_continue_and_go_back(client, brand_link):
    client.cookies["us_audience"] = "yes"
    html = client.get("/leaving/brand-site/").content.decode()

    assert "You are leaving this site" in html
    assert 'href="https://www.pomalyst.com" rel="noopener noreferrer external"' in html
    assert "Go back" in html


def test_a_draft_external_link_is_not_a_destination(client, brand_link):
    brand_link.status = Status.DRAFT
    brand_link.save()

    assert client.get("/leaving/", {"to": "https://www.pomalyst.com"}).status_code == 404
    assert client.get("/leaving/brand-site/").status_code == 404


ARBITRARY_TO = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "https://www.pomalyst.com.evil.example/",
    "https://www.pomalyst.com@evil.example/",
    "https://evil.example/?https://www.pomalyst.com",
    "http://www.pomalyst.com:8080/",
    "https://[::1",
    "https://www.pomalyst.com:99999/",
    "\x00",
    "",
    "x" * 5000,
]


@pytest.mark.parametrize("to", ARBITRARY_TO)
def test_an_arbitrary_address_is_never_redirected_to_linked_or_shown(client, brand_link, to):
    client.cookies["us_audience"] = "yes"
    response = client.get("/leaving/", {"to": to})
    html = response.content.decode()

    assert "Location" not in response
    assert "evil.example" not in html
    if refused_up_front(to):
        assert response.status_code in (400, 414)
    else:
        assert response.status_code == 404
        assert "This link is not available" in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


@pytest.mark.django_db
def test_no_public_page_links_straight_to_another_site_except_the_notices(client):
    from content.models import Guide, Page

    load_content()
    client.cookies["us_audience"] = "yes"
    paths = [page.get_absolute_url() for page in Page.objects.published()]
    paths += ["/guides/"] + [guide.get_absolute_url() for guide in Guide.objects.published()]
    for path in paths:
        parser = _Links()
        parser.feed(client.get(path).content.decode())
        assert parser.hrefs, path
        assert not [href for href in parser.hrefs if goes_to_another_site(href)], path
    for link in ExternalLink.objects.published():
        parser = _Links()
        parser.feed(client.get(link.get_absolute_url()).content.decode())
        outside = [href for href in parser.hrefs if goes_to_another_site(href)]
        assert outside == [link.url]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.org", "https://example.org/"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a?b#c", "https://example.org:8443/a?b#c"),
        ("/safety/", None),
        ("mailto:a@example.org", None),
        ("https://", None),
    ],
)
def test_addresses_are_compared_in_one_spelling(url, expected):
    assert normalise_address(url) == expected
