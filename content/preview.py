"""Showing staff a pending change to a site-wide record on the public pages that use it.

A page or a guide is previewed by building it from its revision (content/views.py). The other
staged kinds (a site-wide text, the drug facts, a dosing schedule, an external link) are read in
many places: the page frame, the pictures, the fact values in the text. For those, the preview
view puts the built item here for the length of one response (`showing`), and each place that
reads such a record asks `swap` for the version to show. Only the preview view sets it, and
only for staff; a public request finds nothing here, reads no revision and costs no query.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_shown: ContextVar[object | None] = ContextVar("pending_item_shown", default=None)


@contextmanager
def showing(item) -> Iterator[None]:
    """Show `item` (an unsaved instance built from a pending revision) in place of its live row
    while the response is rendered."""
    token = _shown.set(item)
    try:
        yield
    finally:
        _shown.reset(token)


def shown_item():
    """The pending item this response shows, if any."""
    return _shown.get()


def swap(record):
    """`record`, or its pending version when this response previews it."""
    item = _shown.get()
    if item is None or record is None:
        return record
    if type(item) is type(record) and item.pk == record.pk:
        return item
    return record


def swap_all(records) -> list:
    return [swap(record) for record in records]
