"""Dosing schedules for tests, unsaved, with the values the shipped content gives them."""

from content.models import DosingSchedule, Status

MULTIPLE_MYELOMA = {
    "key": "multiple-myeloma",
    "condition": "Multiple myeloma",
    "dose_mg": 4,
    "cycle_length_days": 28,
    "first_dose_day": 1,
    "last_dose_day": 21,
    "order": 1,
    "companion_medicine": "dexamethasone",
    "companion_days": "1, 8, 15, 22",
    "companion_dose_mg": 40,
    "companion_older_dose_mg": 20,
    "companion_age_limit": 75,
    "allowed_doses_mg": "1, 2, 3, 4",
    "blood_test_early_every_days": 7,
    "blood_test_early_weeks": 8,
    "blood_test_later_every_days": 28,
    "status": Status.PUBLISHED,
}
KAPOSI_SARCOMA = {
    "key": "kaposi-sarcoma",
    "condition": "Kaposi sarcoma",
    "dose_mg": 5,
    "order": 2,
    "allowed_doses_mg": "1, 2, 3, 4, 5",
    "blood_test_early_every_days": 14,
    "blood_test_early_weeks": 12,
    "blood_test_later_every_days": 28,
    "blood_tests_need_verification": True,
    "status": Status.PUBLISHED,
}


def mm_schedule(**fields) -> DosingSchedule:
    """Multiple myeloma's schedule; `fields` change any of its values."""
    return DosingSchedule(**(MULTIPLE_MYELOMA | fields))


def ks_schedule(**fields) -> DosingSchedule:
    """Kaposi sarcoma's schedule; `fields` change any of its values."""
    return DosingSchedule(**(KAPOSI_SARCOMA | fields))
