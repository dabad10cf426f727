"""Every text up to the length limit renders quickly: Python-Markdown is quadratic on some texts,
so rendering has a time budget and such a text is shown as plain paragraphs."""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import markdown
import pytest
from django.conf import settings

from content.markdown import render as pipeline
from content.markdown.render import render_markdown

BASE_DIR = Path(__file__).resolve().parents[2]
HOSTILE = {
    "unmatched brackets": "[" * 50_000,
    "unmatched image brackets": "![" * 25_000,
    "unclosed tags": "<a " * 16_000,
    "unclosed autolinks": "<http://" * 6_000,
}

RENDER_SCRIPT = """
import json, sys
import django
django.setup()
from content.markdown.render import render_markdown
texts = json.loads(sys.stdin.read())
print(json.dumps({name: len(render_markdown(text)) for name, text in texts.items()}))
"""


def test_hostile_texts_at_the_length_limit_finish():
    """Each took minutes before the budget; the limit here only turns a hang into a failure."""
    assert all(len(text) <= settings.MARKDOWN_MAX_CHARS for text in HOSTILE.values())
    done = subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT],
        input=json.dumps(HOSTILE),
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "pomsite.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lengths = json.loads(done.stdout.strip().splitlines()[-1])
    assert lengths["unmatched brackets"] >= 50_000  # every bracket is still there


def test_a_text_over_budget_is_shown_as_escaped_plain_paragraphs(monkeypatch):
    monkeypatch.setattr(pipeline, "RENDER_BUDGET_SECONDS", 0.01)
    text = "First <b>bold</b> " + "[" * 5000 + "\n\nSecond paragraph & more"
    output = render_markdown(text)
    assert output.startswith("<p>First &lt;b&gt;bold&lt;/b&gt; [[[")
    assert output.endswith("<p>Second paragraph &amp; more</p>")
    assert "<b>" not in output


def test_the_budget_counts_the_renderers_own_cpu_time_not_time_spent_waiting():
    """On a loaded machine an ordinary text waits for a CPU; that wait must not count, or a save
    would store the plain-paragraph fallback for a page that is fine."""

    def waits_without_working() -> str:
        time.sleep(0.3)  # as a render does while other processes hold both CPUs
        return "rendered"

    assert pipeline._within_budget(waits_without_working, 0.05) == "rendered"


def test_a_render_that_works_past_the_budget_is_interrupted():
    def works_forever() -> str:
        while True:
            pass

    assert pipeline._within_budget(works_forever, 0.05) is None


def test_an_interrupted_render_leaves_nothing_running(monkeypatch):
    monkeypatch.setattr(pipeline, "RENDER_BUDGET_SECONDS", 0.01)
    before = threading.active_count()
    for _ in range(5):
        render_markdown("[" * 3000)
    assert threading.active_count() == before


@pytest.mark.parametrize(
    "text",
    [
        "word " * 9_000,
        "## Heading\n\n" + "A [link](/safety/) and *emphasis* in a sentence.\n\n" * 800,
        "| a | b |\n| --- | --- |\n" + "| cell | cell |\n" * 300,
    ],
    ids=["45,000 characters of prose", "800 paragraphs with links", "a 300-row table"],
)
def test_long_ordinary_texts_are_rendered_as_markdown_not_as_the_fallback(text):
    output = render_markdown(text)
    assert output == pipeline.sanitise_html(
        markdown.markdown(text, extensions=pipeline._EXTENSIONS)
    )
