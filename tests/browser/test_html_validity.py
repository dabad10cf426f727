"""The Nu HTML Checker (vnu-jar) on every public page's HTML, question open and answered."""

import json
import shutil
import subprocess

import pytest

from content.loader import load_content

from .conftest import VNU_JAR, public_paths, require_tool


def vnu_messages(files) -> dict[str, list[dict]]:
    """Run the checker once over all the files; its messages keyed by file name."""
    java = shutil.which("java")
    require_tool(java is not None, "Java (for the Nu HTML Checker)")
    require_tool(VNU_JAR.exists(), f"vnu-jar at {VNU_JAR}")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages: dict[str, list[dict]] = {str(file.name): [] for file in files}
    for message in json.loads(result.stderr)["messages"]:
        messages[message["url"].rsplit("/", 1)[-1]].append(message)
    return messages


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path):
    load_content()
    files, names = [], {}
    for question in ("open", "answered"):
        if question == "answered":
            client.cookies["us_audience"] = "yes"
        for number, path in enumerate(public_paths()):
            response = client.get(path)
            assert response["Content-Type"].startswith("text/html"), path
            file = tmp_path / f"{question}-{number}.html"
            file.write_bytes(response.content)
            files.append(file)
            names[file.name] = f"question-{question} {path}"

    messages = vnu_messages(files)

    errors = {}
    for file_name, found in messages.items():
        page_errors = [m for m in found if m["type"] in ("error", "non-document-error")]
        print(f"vnu {names[file_name]}: {len(page_errors)} errors, {len(found)} messages")
        if page_errors:
            errors[names[file_name]] = [
                f"{m.get('lastLine')}: {m['message']}" for m in page_errors[:5]
            ]
    assert not errors


def test_the_checker_reports_invalid_html(tmp_path):
    """The check can fail: a page with an error is reported."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div></p>')

    assert [m for m in vnu_messages([page])["broken.html"] if m["type"] == "error"]
