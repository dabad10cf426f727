"""When a fact changes, every text that uses its tag is stored again and goes back to review.

A fact's record (the REMS site-wide text, a dosing schedule, the drug facts, an external link) is
read before and after each save or delete; the facts whose values differ are the changed ones.
In the same transaction, every Markdown text with one of their tags is rendered and stored again
(its "last changed" date and history follow), and its item is sent back to review. Each save
also invalidates the page cache, so the public sees the new value on the next request.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from content.facts import FACTS_BY_KEY, fact_values, is_fact_source, texts_using
from content.markdown.facts import tags_in
from content.models import Section, relink_page, relinking_active

from .reviews import history_reason, send_back_to_review


def _date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def change_reason(keys: set[str]) -> str:
    labels = [FACTS_BY_KEY[key].label for key in sorted(keys)]
    today = _date(timezone.localdate())
    if len(labels) == 1:
        return f"Fact {labels[0]} changed on {today}: check this text."
    return f"Facts {'; '.join(labels)} changed on {today}: check this text."


def _rerender(obj, reason: str) -> None:
    """Store the text's HTML again with the current values (a new version in its history)."""
    text = obj.markdown_text
    fields = [text.html_name, "reading_grade"]
    if hasattr(obj, "updated_at"):
        fields.append("updated_at")
    obj._change_reason = history_reason(reason)
    obj.save(update_fields=fields)


def refresh_texts_using(keys: set[str]) -> list:
    """Render again every text that uses one of the fact `keys` and send it back to review.
    Returns the items sent back."""
    with transaction.atomic():
        texts = texts_using(keys)
        page_ids, owners = set(), {}
        for obj in texts:
            reason = change_reason(tags_in(getattr(obj, obj.markdown_text.name)) & keys)
            _rerender(obj, reason)
            owner = obj.page if isinstance(obj, Section) else obj
            if isinstance(obj, Section) or hasattr(obj, "intro"):
                page_ids.add(owner.pk)
            owners.setdefault((type(owner), owner.pk), (owner, set()))[1].update(
                tags_in(getattr(obj, obj.markdown_text.name)) & keys
            )
        for page_id in page_ids:
            relink_page(page_id)  # the glossary links, across the page's texts
        for owner, used in owners.values():
            owner.refresh_from_db()
            send_back_to_review(owner, change_reason(used))
    return [owner for owner, _ in owners.values()]


def _note_facts_before(sender, instance, raw=False, **kwargs) -> None:
    if raw or not is_fact_source(sender) or not relinking_active():
        return
    instance._facts_before = fact_values()


def _facts_may_have_changed(sender, instance, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_facts_before", None)
    if before is None:
        return
    after = fact_values()
    changed = {key for key, value in after.items() if value != before.get(key)}
    if changed:
        refresh_texts_using(changed)


def connect_signals() -> None:
    pre_save.connect(_note_facts_before, dispatch_uid="facts_pre_save")
    post_save.connect(_facts_may_have_changed, dispatch_uid="facts_post_save")
    pre_delete.connect(_note_facts_before, dispatch_uid="facts_pre_delete")
    post_delete.connect(_facts_may_have_changed, dispatch_uid="facts_post_delete")
