"""Load the starting content shipped in content/seed/ into the database.

Idempotent: running it again creates nothing twice. Each loaded item keeps a fingerprint of what
the loader wrote; if the item no longer matches it, an editor has changed it in the admin and the
loader leaves it alone (unless asked to reset). Untouched items follow changes to the seed files.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from . import models

SEED_DIR = Path(__file__).resolve().parent / "seed"

REVIEW_KEYS = {
    "reviewed_on": "medically_reviewed_on",
    "reviewed_by": "reviewed_by",
    "next_review_due": "next_review_due",
    "needs_verification": "needs_verification",
    "review_note": "review_note",
}
SECTION_FIELDS = ("order", "heading", "anchor", "body", "figure")
SECTION_HEADING = re.compile(r"^## +(?P<heading>.+?)(?: *\{(?P<attrs>[^}]*)\})? *$", re.MULTILINE)


class SeedError(Exception):
    """A seed file is malformed; the message names the file and the problem."""


@dataclass
class SeedItem:
    model: type[Model]
    lookup: dict
    values: dict
    source: str
    sections: list[dict] | None = None


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


# What a review field holds when a seed file leaves it out: never reviewed, nothing to verify.
REVIEW_DEFAULTS = {
    "medically_reviewed_on": None,
    "reviewed_by": "",
    "next_review_due": None,
    "needs_verification": False,
    "review_note": "",
}


def _review_values(meta: dict) -> dict:
    """Every review field, always: a reload can clear one, and the fingerprint keeps its shape."""
    values = dict(REVIEW_DEFAULTS)
    values.update({target: meta[key] for key, target in REVIEW_KEYS.items() if key in meta})
    values["reviewed_by"] = (values["reviewed_by"] or "").strip()
    values["review_note"] = (values["review_note"] or "").strip()
    values["needs_verification"] = bool(values["needs_verification"])
    return values


def split_sections(text: str, source: str) -> tuple[str, list[dict]]:
    """Split a page body into its intro and its `## Heading {#anchor figure=name}` sections."""
    matches = list(SECTION_HEADING.finditer(text))
    intro = text[: matches[0].start()] if matches else text
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        anchor, figure = "", ""
        for token in (match.group("attrs") or "").split():
            if token.startswith("#"):
                anchor = token[1:]
            elif token.startswith("figure="):
                figure = token.removeprefix("figure=")
            else:
                raise SeedError(f"{source}: unknown section attribute {token!r}")
        heading = match.group("heading").strip()
        sections.append(
            {
                "order": (index + 1) * 10,
                "heading": heading,
                "anchor": anchor or slugify(heading),
                "body": text[match.end() : end].strip() + "\n",
                "figure": figure,
            }
        )
    return intro.strip(), sections


def _read_markdown(path: Path) -> frontmatter.Post:
    try:
        return frontmatter.load(path)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SeedError(f"{path.name}: {error}") from error


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SeedError(f"{path.name}: {error}") from error


def read_seed(seed_dir: Path = SEED_DIR) -> list[SeedItem]:
    """Parse every seed file into the items it describes, without touching the database."""
    items: list[SeedItem] = []
    # The records fact tags are read from first (the REMS program's site-wide text among them),
    # so texts are stored with their values; the glossary before pages and guides, so they are
    # stored with its links.
    facts = _read_yaml(seed_dir / "drug-facts.yaml")
    items.append(
        _structured_item(
            models.DrugFacts, {"generic_name": facts["generic_name"]}, facts, "drug-facts.yaml"
        )
    )
    for filename, model, key_field in (
        ("dosing.yaml", models.DosingSchedule, "key"),
        ("links.yaml", models.ExternalLink, "key"),
        # The take-along sheets' content; optional, so a test's small seed can leave it out.
        ("warning-signs.yaml", models.WarningSign, "key"),
        ("questions.yaml", models.SuggestedQuestion, "key"),
    ):
        if filename not in ("dosing.yaml", "links.yaml") and not (seed_dir / filename).exists():
            continue
        for record in _read_yaml(seed_dir / filename) or []:
            items.append(
                _structured_item(model, {key_field: record.pop(key_field)}, record, filename)
            )
    for path in sorted((seed_dir / "snippets").glob("*.md")):
        post = _read_markdown(path)
        values = {"title": post["title"], "body": post.content.strip() + "\n"}
        if "phone" in post.metadata:
            values["phone"] = str(post["phone"])
        values.update(_review_values(post.metadata))
        items.append(SeedItem(models.Snippet, {"key": path.stem}, values, path.name))
    glossary = seed_dir / "glossary.yaml"
    for record in (_read_yaml(glossary) or []) if glossary.exists() else []:
        items.append(
            _structured_item(
                models.GlossaryTerm, {"slug": record.pop("slug")}, record, glossary.name
            )
        )
    for path in sorted((seed_dir / "pages").glob("*.md")):
        post = _read_markdown(path)
        intro, sections = split_sections(post.content, path.name)
        values = {
            "title": post["title"],
            "nav_title": post.get("nav_title", ""),
            "summary": post["summary"],
            "intro": intro,
            "status": post.get("status", "published"),
        }
        values.update(_review_values(post.metadata))
        items.append(SeedItem(models.Page, {"slug": path.stem}, values, path.name, sections))
    for path in sorted((seed_dir / "guides").glob("*.md")):
        post = _read_markdown(path)
        values = {key: post[key] for key in ("title", "summary", "audience", "published_on")} | {
            "body": post.content.strip() + "\n",
            "status": post.get("status", "published"),
        }
        values.update(_review_values(post.metadata))
        items.append(SeedItem(models.Guide, {"slug": path.stem}, values, path.name))
    synonyms = seed_dir / "search-synonyms.yaml"
    for record in (_read_yaml(synonyms) or []) if synonyms.exists() else []:
        values = {"alternatives": record["alternatives"]}
        items.append(
            SeedItem(models.SearchSynonym, {"phrase": record["phrase"]}, values, synonyms.name)
        )
    return items


def _structured_item(model, lookup: dict, record: dict, source: str) -> SeedItem:
    values = {key: value for key, value in record.items() if key not in REVIEW_KEYS}
    values.setdefault("status", "published")
    values.update(_review_values(record))
    return SeedItem(model, lookup, values, source)


def _normalise(data) -> object:
    return json.loads(json.dumps(data, sort_keys=True, default=str))


def fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(_normalise(data), sort_keys=True).encode()).hexdigest()


def snapshot(obj: Model, item: SeedItem) -> dict:
    """The stored values of the fields the seed item sets, in the seed's own shape."""
    data = {name: getattr(obj, name) for name in item.values}
    if item.sections is not None:
        data["sections"] = [
            {name: getattr(section, name) for name in SECTION_FIELDS}
            for section in obj.sections.order_by("order", "pk")
        ]
    return data


def _seed_shape(item: SeedItem) -> dict:
    data = dict(item.values)
    if item.sections is not None:
        data["sections"] = item.sections
    return data


def _write(obj: Model, item: SeedItem) -> None:
    """Write one seed item. Its history records show "Loaded from <file>" and no user (system)."""
    reason = f"Loaded from {item.source}"
    obj._change_reason = reason
    for name, value in item.values.items():
        setattr(obj, name, value)
    try:
        obj.full_clean(exclude=["seed_fingerprint"])
    except ValidationError as error:
        raise SeedError(f"{item.source}: {error.message_dict}") from error
    obj.save()
    if item.sections is not None:
        obj.sections.all().delete()
        for values in item.sections:
            section = models.Section(page=obj, **values)
            section._change_reason = reason
            try:
                section.full_clean(exclude=["page"])
            except ValidationError as error:
                raise SeedError(
                    f"{item.source}: {values['heading']}: {error.message_dict}"
                ) from error
            section.save()
    obj.seed_fingerprint = fingerprint(snapshot(obj, item))
    obj.skip_history_when_saving = True  # bookkeeping only: not a new version of the text
    obj.save(update_fields=["seed_fingerprint"])
    del obj.skip_history_when_saving


@transaction.atomic
def load_content(seed_dir: Path = SEED_DIR, reset: bool = False) -> LoadReport:
    """Create missing items, refresh untouched ones, and keep editors' changes unless `reset`."""
    report = LoadReport()
    with models.relinking_deferred():
        _load_items(read_seed(seed_dir), reset, report)
        # Every stored HTML follows the current pipeline, edited items too (only derived HTML
        # and grades change); pages and guides are stored again when the block ends.
        models.refresh_stored_texts()
    models.refresh_reading_grades()
    return report


def _load_items(items: list[SeedItem], reset: bool, report: LoadReport) -> None:
    for item in items:
        label = f"{item.model._meta.verbose_name}: {item.source}"
        obj = item.model.objects.filter(**item.lookup).first()
        if obj is None:
            _write(item.model(**item.lookup), item)
            report.created.append(label)
            continue
        current = fingerprint(snapshot(obj, item))
        if current != obj.seed_fingerprint and not reset:
            report.kept.append(label)
        elif current != fingerprint(_seed_shape(item)):
            _write(obj, item)
            report.updated.append(label)
        else:
            report.unchanged.append(label)
