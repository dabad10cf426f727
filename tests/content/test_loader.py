"""The starting-content loader: idempotent, and it never overwrites an editor's work."""

import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content.loader import SeedError, load_content, split_sections
from content.models import DosingSchedule, DrugFacts, ExternalLink, Guide, Page, Section, Snippet

PAGE = """\
---
title: Safety
summary: Safety facts.
reviewed_on: 2026-11-21
---
Intro text.

## Blood clots {#blood-clots}
Get help at once.

## Side effects {#side-effects figure=external-links}
Tiredness.
"""


@pytest.fixture
def seed_dir(tmp_path):
    for folder in ("pages", "guides", "snippets"):
        (tmp_path / folder).mkdir()
    (tmp_path / "pages" / "safety.md").write_text(PAGE)
    (tmp_path / "snippets" / "isi-summary.md").write_text("---\ntitle: ISI\n---\nBoxed.\n")
    (tmp_path / "dosing.yaml").write_text("[]\n")
    (tmp_path / "links.yaml").write_text("[]\n")
    (tmp_path / "drug-facts.yaml").write_text(
        textwrap.dedent("""\
        brand_name: POMALYST
        generic_name: pomalidomide
        drug_class: IMiD
        company: Maker
        form: capsules
        strengths_mg: "1, 2"
        first_approved_year: 2013
        generic_available: "no"
        generic_as_of: 2020-05-19
        how_it_works: It works.
        """)
    )
    return tmp_path


def test_split_sections_reads_anchors_and_figures():
    intro, sections = split_sections(PAGE.split("---\n", 2)[2], "safety.md")
    assert intro == "Intro text."
    assert [(s["heading"], s["anchor"], s["figure"]) for s in sections] == [
        ("Blood clots", "blood-clots", ""),
        ("Side effects", "side-effects", "external-links"),
    ]
    assert sections[0]["body"] == "Get help at once.\n"


def test_unknown_section_attribute_is_a_clear_error():
    with pytest.raises(SeedError, match="unknown section attribute 'colour=red'"):
        split_sections("## Heading {#a colour=red}\nText\n", "bad.md")


def test_loading_twice_creates_nothing_twice(seed_dir, db):
    first = load_content(seed_dir)
    second = load_content(seed_dir)
    assert len(first.created) == 3
    assert second.created == second.updated == second.kept == []
    assert (Page.objects.count(), Section.objects.count(), Snippet.objects.count()) == (1, 2, 1)


def test_an_editors_change_survives_a_reload(seed_dir, db):
    load_content(seed_dir)
    section = Section.objects.get(anchor="blood-clots")
    section.body = "Edited by an editor."
    section.save()
    report = load_content(seed_dir)
    assert report.kept == ["page: safety.md"]
    assert Section.objects.get(anchor="blood-clots").body == "Edited by an editor."


def test_untouched_content_follows_a_changed_seed_file(seed_dir, db):
    load_content(seed_dir)
    (seed_dir / "pages" / "safety.md").write_text(PAGE.replace("Tiredness.", "Tiredness, rash."))
    report = load_content(seed_dir)
    assert report.updated == ["page: safety.md"]
    assert Section.objects.get(anchor="side-effects").body == "Tiredness, rash.\n"
    assert Section.objects.count() == 2


def test_a_reload_stores_every_text_again_as_the_pipeline_now_renders_it(seed_dir, db):
    """Stored HTML and reading grades are derived: after a change to the pipeline (curly quotes,
    say) a reload brings every item up to date, an editor's too, without a new version."""
    load_content(seed_dir)
    section = Section.objects.get(anchor="blood-clots")
    section.body = "It's 4 mg on days 1-21."
    section.save()  # an editor's change: the loader keeps it
    versions = section.history.count()
    stale = {"body_html": "<p>It's 4 mg on days 1-21.</p>", "reading_grade": 3.5}
    Section.objects.filter(pk=section.pk).update(**stale)
    Snippet.objects.filter(key="isi-summary").update(body_html="<p>stale</p>", reading_grade=2.5)
    DrugFacts.objects.update(how_it_works_html="<p>stale</p>")

    report = load_content(seed_dir)

    section.refresh_from_db()
    assert report.kept == ["page: safety.md"] and section.body == "It's 4 mg on days 1-21."
    assert section.body_html == "<p>It’s 4&nbsp;mg on days 1–21.</p>"
    assert section.reading_grade is None  # too short to grade
    assert section.history.count() == versions
    snippet = Snippet.objects.get(key="isi-summary")
    assert (snippet.body_html, snippet.reading_grade) == ("<p>Boxed.</p>", None)
    assert DrugFacts.objects.get().how_it_works_html == "<p>It works.</p>"


def test_reset_replaces_an_editors_change_with_the_shipped_text(seed_dir, db):
    load_content(seed_dir)
    Snippet.objects.filter(key="isi-summary").update(title="Edited")
    load_content(seed_dir, reset=True)
    assert Snippet.objects.get(key="isi-summary").title == "ISI"


def test_a_malformed_seed_file_stops_the_load_with_its_name_and_changes_nothing(seed_dir, db):
    (seed_dir / "guides" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    with pytest.raises(SeedError, match="broken.md"):
        load_content(seed_dir)
    assert Page.objects.count() == 0


def test_a_seed_value_that_breaks_a_rule_names_the_file(seed_dir, db):
    (seed_dir / "links.yaml").write_text(
        "- key: bad\n  title: Bad\n  url: http://insecure.example\n  description: D\n"
    )
    with pytest.raises(SeedError, match="links.yaml"):
        load_content(seed_dir)


def test_the_shipped_content_loads_completely_and_idempotently(db):
    call_command("load_content")
    counts = [
        m.objects.count()
        for m in (Page, Section, Guide, Snippet, DosingSchedule, ExternalLink, DrugFacts)
    ]
    call_command("load_content")
    assert counts == [
        m.objects.count()
        for m in (Page, Section, Guide, Snippet, DosingSchedule, ExternalLink, DrugFacts)
    ]
    assert Page.objects.published().count() == 10  # six guide pages, four about the site
    assert Guide.objects.published().count() >= 4
    assert DosingSchedule.objects.get(key="multiple-myeloma").dose_mg == 4
    assert DosingSchedule.objects.get(key="kaposi-sarcoma").dose_mg == 5


def test_the_command_reports_a_broken_seed_as_a_command_error(monkeypatch, db):
    def broken(**kwargs):
        raise SeedError("pages/x.md: bad")

    monkeypatch.setattr("content.management.commands.load_content.load_content", broken)
    with pytest.raises(CommandError, match="pages/x.md: bad"):
        call_command("load_content")
