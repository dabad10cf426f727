"""Fixtures for the content's tests."""

import pytest

from content.models import DosingSchedule
from tests.content.schedules import ks_schedule, mm_schedule


@pytest.fixture
def schedules(db) -> tuple[DosingSchedule, DosingSchedule]:
    """Both conditions' published dosing schedules, saved."""
    mm, ks = mm_schedule(), ks_schedule()
    mm.save()
    ks.save()
    return mm, ks
