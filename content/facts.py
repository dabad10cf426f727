"""The facts that Markdown refers to by tag (`[[fact:rems-phone]]`): one registry, one source each.

Each fact names the structured field it is read from; nothing here is a second copy of a value,
except the FDA's MedWatch phone number, which is the FDA's own standard line (FACTS.md) and has no
field of its own. Values are read at save and preview time only (`fact_values`: four queries);
public pages show the stored HTML, which already holds them.

Models are looked up through the app registry, not imported: content/models.py renders with these
values, so importing it here would make an import loop.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.db.models import Q

from .markdown.facts import OPENER, tag_for, tags_in
from .preview import swap, swap_all

MEDWATCH_PHONE = "1-800-FDA-1088"
# The FDA's own MedWatch address: the line beside the safety summary falls back to it when the
# editors' link (short name fda-medwatch) is missing or offline, so the line is never empty.
MEDWATCH_URL = "https://www.fda.gov/medwatch"
# Letters on a US phone keypad, for the `tel:` link of a number written with letters.
KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")
# The models a fact is read from: saving or deleting one of them may change a fact.
SOURCE_MODELS = {"snippet", "externallink", "drugfacts", "dosingschedule"}


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # what an editor calls it
    where: str  # where an editor changes it, in the admin's words
    source: str  # which loaded record it is read from (see `_load_sources`)
    read: Callable[[Any], str | None]

    @property
    def tag(self) -> str:
        return tag_for(self.key)


def _mg(value: int | None) -> str | None:
    return f"{value} mg" if value else None


def _listed(items: list[str]) -> str | None:
    """1, 8, 15, and 22: the way the site's text lists things."""
    if not items:
        return None
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _date(day: datetime.date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def _address(url: str) -> str | None:
    """A web address as people write it, as the editor spelled it: www.fda.gov/medwatch."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    path = "" if parts.path in ("", "/") else parts.path
    return parts.netloc + path + (f"?{parts.query}" if parts.query else "")


def _generic_status(facts) -> str | None:
    if not facts.generic_available:
        return None
    answer = facts.get_generic_available_display()
    checked = _date(facts.generic_as_of)
    return f"{answer} (checked on {checked})" if checked else answer


FACTS: tuple[Fact, ...] = (
    Fact(
        "rems-name",
        "REMS program: name",
        "Site-wide texts › The REMS program: its title",
        "snippet:rems-program",
        lambda snippet: snippet.title.strip() or None,
    ),
    Fact(
        "rems-phone",
        "REMS program: phone number",
        "Site-wide texts › The REMS program: its phone number",
        "snippet:rems-program",
        lambda snippet: snippet.phone.strip() or None,
    ),
    Fact(
        "rems-website",
        "REMS program: website",
        "External links › The REMS program website (short name rems-program): its address",
        "link:rems-program",
        lambda link: _address(link.url),
    ),
    Fact(
        "mm-dose",
        "Usual daily dose for multiple myeloma",
        "Dosing schedules › Multiple myeloma: daily dose",
        "dosing:multiple-myeloma",
        lambda schedule: _mg(schedule.dose_mg),
    ),
    Fact(
        "ks-dose",
        "Usual daily dose for Kaposi sarcoma",
        "Dosing schedules › Kaposi sarcoma: daily dose",
        "dosing:kaposi-sarcoma",
        lambda schedule: _mg(schedule.dose_mg),
    ),
    Fact(
        "strengths",
        "Capsule strengths",
        "Drug facts: strengths",
        "drugfacts",
        lambda facts: _listed([f"{mg} mg" for mg in facts.strengths]),
    ),
    Fact(
        "dex-days",
        "Dexamethasone days of each cycle (multiple myeloma)",
        "Dosing schedules › Multiple myeloma: days for the other medicine",
        "dosing:multiple-myeloma",
        lambda schedule: _listed([str(day) for day in schedule.companion_day_list]),
    ),
    Fact(
        "dex-dose",
        "Dexamethasone dose",
        "Dosing schedules › Multiple myeloma: dose of the other medicine",
        "dosing:multiple-myeloma",
        lambda schedule: _mg(schedule.companion_dose_mg),
    ),
    Fact(
        "dex-older-dose",
        "Dexamethasone dose for older people",
        "Dosing schedules › Multiple myeloma: dose of the other medicine for older people",
        "dosing:multiple-myeloma",
        lambda schedule: _mg(schedule.companion_older_dose_mg),
    ),
    Fact(
        "dex-age",
        "Age above which the lower dexamethasone dose is used",
        "Dosing schedules › Multiple myeloma: age for the lower dose",
        "dosing:multiple-myeloma",
        lambda schedule: str(schedule.companion_age_limit or "") or None,
    ),
    Fact(
        "generic-status",
        "Generic version available (with the date it was checked)",
        "Drug facts: generic version available, and the date it was checked",
        "drugfacts",
        _generic_status,
    ),
    Fact(
        "medwatch-website",
        "FDA MedWatch: website",
        "External links › FDA MedWatch (short name fda-medwatch): its address",
        "link:fda-medwatch",
        lambda link: _address(link.url),
    ),
    Fact(
        "medwatch-phone",
        "FDA MedWatch: phone number",
        "Fixed: the FDA's own standard number (a developer changes it)",
        "fixed",
        lambda _: MEDWATCH_PHONE,
    ),
)
FACTS_BY_KEY = {fact.key: fact for fact in FACTS}


def _load_sources() -> dict[str, Any]:
    """The records the facts are read from, as the public site shows them: four queries."""
    model = apps.get_model
    links = model("content", "ExternalLink").objects.published()
    schedules = model("content", "DosingSchedule").objects.published()
    sources: dict[str, Any] = {"fixed": True}
    # While staff preview a pending change to one of these records, its values count (swap).
    sources["snippet:rems-program"] = swap(
        model("content", "Snippet").objects.filter(key="rems-program", public=True).first()
    )
    for link in swap_all(links.filter(key__in=["rems-program", "fda-medwatch"])):
        sources[f"link:{link.key}"] = link
    for schedule in swap_all(schedules):
        sources[f"dosing:{schedule.key}"] = schedule
    drug_facts = model("content", "DrugFacts").objects.published().order_by("-updated_at")
    sources["drugfacts"] = swap(drug_facts.first())
    return sources


def fact_values() -> dict[str, str | None]:
    """Every fact's current value; None when its record is missing, unpublished or empty."""
    sources = _load_sources()
    values: dict[str, str | None] = {}
    for fact in FACTS:
        record = sources.get(fact.source)
        values[fact.key] = fact.read(record) if record is not None else None
    return values


def medwatch_contact(link_url: str | None) -> dict[str, str]:
    """The MedWatch line beside the safety summary, read from the two MedWatch facts.

    The caller brings the address of the published fda-medwatch link (the site's frame reads it
    in the same query as the site-wide texts), so the line costs no query of its own."""
    link = apps.get_model("content", "ExternalLink")(url=link_url or MEDWATCH_URL)
    website = FACTS_BY_KEY["medwatch-website"].read(link) or _address(MEDWATCH_URL)
    phone = FACTS_BY_KEY["medwatch-phone"].read(None)
    return {"website": website, "phone": phone, "phone_link": "+" + phone.upper().translate(KEYPAD)}


def values_for(*texts: str) -> Mapping[str, str | None] | None:
    """The fact values, loaded only when one of the texts has a fact tag (no query otherwise)."""
    if any(OPENER in (text or "").lower() for text in texts):
        return fact_values()
    return None


def markdown_models() -> list:
    """Every model with a Markdown text (`MarkdownText`)."""
    models = apps.get_app_config("content").get_models()
    return [model for model in models if hasattr(model, "markdown_text")]


def texts_using(keys: set[str]) -> list:
    """Every item whose Markdown uses one of the fact `keys`, read from the source now.

    Read at change time rather than kept in a field: a tag written, restored from history or
    loaded from the seed is always found, and nothing can fall out of step (docs/decisions.md).
    """
    found = []
    for model in markdown_models():
        name = model.markdown_text.name
        query = Q()
        for key in keys:
            query |= Q(**{f"{name}__icontains": tag_for(key)})
        for obj in model._default_manager.filter(query).order_by("pk"):
            if tags_in(getattr(obj, name)) & keys:
                found.append(obj)
    return found


def is_fact_source(model) -> bool:
    return model._meta.app_label == "content" and model._meta.model_name in SOURCE_MODELS
