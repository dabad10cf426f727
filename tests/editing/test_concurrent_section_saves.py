"""A section saved from its page's form and on its own admin page at the same moment, for real:
two threads, two database connections, PostgreSQL's row locks. Neither change may be lost."""

import os
import threading

import pytest
from django.db import connection
from django.test import Client

from content.models import Section

from .conftest import as_draft, change_url, open_change_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent writers need a server database (CI's PostgreSQL run)",
    ),
]
ROUNDS = 40


@pytest.fixture
def safety_page(safety_page):
    """Edited directly, as a draft: a live page's section changes only through its page's
    pending change (tests/editing/test_workflow.py)."""
    return as_draft(safety_page)


def post_together(requests: list[tuple[Client, str, dict]]) -> list[int]:
    barrier, statuses = threading.Barrier(len(requests)), {}

    def post(index: int, client: Client, url: str, data: dict) -> None:
        barrier.wait()
        statuses[index] = client.post(url, data).status_code
        connection.close()  # this thread's connection

    threads = [
        threading.Thread(target=post, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [statuses[index] for index in range(len(requests))]


def test_saving_a_section_from_both_forms_at_once_never_loses_a_change(make_editor, safety_page):
    page_editor, section_editor = Client(), Client()
    page_editor.force_login(make_editor("editor1"))
    section_editor.force_login(make_editor("editor2"))
    section = Section.objects.get(page=safety_page, order=10)
    lost, outcomes = 0, []
    for round_number in range(ROUNDS):
        page_form = open_change_form(page_editor, safety_page)
        section_form = open_change_form(section_editor, section)
        from_page, alone = f"From the page form {round_number}.", f"Alone {round_number}."
        statuses = post_together(
            [
                (page_editor, change_url(safety_page), page_form | {"sections-0-body": from_page}),
                (section_editor, change_url(section), section_form | {"body": alone}),
            ]
        )
        section.refresh_from_db()
        outcomes.append(tuple(statuses))
        # A 302 is "saved"; a 200 is the form again with the conflict. Both "saved" means one
        # change silently replaced the other.
        if statuses == [302, 302]:
            lost += 1
        elif statuses[0] == 302:
            assert section.body == from_page
        elif statuses[1] == 302:
            assert section.body == alone
    assert lost == 0, outcomes
    assert {status for pair in outcomes for status in pair} <= {200, 302}, outcomes
    assert all(302 in pair for pair in outcomes), outcomes  # one of the two always saves
