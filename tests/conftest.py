"""Shared fixtures: small hand-made content for most tests, the shipped seed where facts matter."""

import datetime

import pytest

from content.loader import load_content
from content.models import Page, Section, Snippet, Status


@pytest.fixture
def make_page(db):
    def make(
        slug="safety", status=Status.PUBLISHED, sections=(("Blood clots", "Clot text."),), **fields
    ):
        page = Page.objects.create(
            slug=slug,
            title=fields.pop("title", slug.replace("-", " ").title()),
            summary=fields.pop("summary", "A summary."),
            status=status,
            medically_reviewed_on=fields.pop("medically_reviewed_on", datetime.date(2026, 1, 2)),
            **fields,
        )
        for order, (heading, body) in enumerate(sections, start=1):
            Section.objects.create(page=page, order=order, heading=heading, body=body)
        return page

    return make


@pytest.fixture
def isi(db):
    return Snippet.objects.create(
        key="isi-summary", title="Important Safety Information", body="**Boxed warning text.**"
    )


@pytest.fixture
def seeded(db):
    """The whole shipped starting content, loaded as `make run` loads it."""
    load_content()
