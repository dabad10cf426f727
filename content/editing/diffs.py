"""Readable differences between two versions of a text, for the history and conflict views.

Lines are matched first and, inside changed lines, words, so a changed word shows as one word
struck out and one added, not as a whole paragraph. Every piece of text is escaped.
"""

import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class FieldChange:
    label: str
    diff: SafeString


def _mark(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _word_diff(old: str, new: str) -> str:
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[i1:i2])))
        else:
            parts.append(_mark("del", "".join(old_tokens[i1:i2])))
            parts.append(_mark("ins", "".join(new_tokens[j1:j2])))
    return "".join(parts)


def text_diff(old: str, new: str) -> SafeString:
    """HTML showing `old` turned into `new`: removed text in <del>, added text in <ins>."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            parts.append(escape(before))
        elif op == "replace":
            parts.append(_word_diff(before, after))
        else:
            parts.append(_mark("del", before) + _mark("ins", after))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def display_value(field: models.Field, value) -> str:
    """The value as an editor knows it: choice labels, Yes/No, dates as written in the form."""
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).replace("\r\n", "\n")


def field_changes(
    model: type[models.Model], old: dict, new: dict, names: list[str]
) -> list[FieldChange]:
    """The fields whose value differs between `old` and `new` (both keyed by field name)."""
    changes = []
    for name in names:
        field = model._meta.get_field(name)
        before, after = display_value(field, old.get(name)), display_value(field, new.get(name))
        if before != after:
            label = capfirst(str(field.verbose_name))
            changes.append(FieldChange(label=label, diff=text_diff(before, after)))
    return changes
