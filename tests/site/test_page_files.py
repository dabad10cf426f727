"""Pages written out as files for nginx (pomsite/page_files.py): exactly the file nginx asked for,
only for a shareable page whose headers are the ones nginx will send, and never anything else.
The same thing through a real nginx is in test_proxy_tier.py."""

import logging
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pomsite import page_cache, page_files

pytestmark = pytest.mark.usefixtures("page_cache_on")

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "pomsite.conf"
US = {"cookie": "us_audience=yes"}


def conf_text() -> str:
    return CONF.read_text()


def page_location_headers() -> dict[str, str]:
    """The add_header lines of nginx's page-file location, with literal values."""
    block = conf_text().split("        location / {", 1)[1].split("\n        }", 1)[0]
    return {name: value for name, value in re.findall(r'add_header ([\w-]+) "([^"$]*)";', block)}


def told_headers(scheme: str = "http") -> str:
    """X-Page-File-Headers as nginx sends it, $page_hsts filled in for `scheme`."""
    value = re.search(r'proxy_set_header X-Page-File-Headers\s+"([^"]*)";', conf_text())[1]
    hsts = re.search(r"map \$visitor_scheme \$page_hsts \{\s+https\s+\"([^\"]*)\";", conf_text())
    return value.replace("$page_hsts", hsts[1] if scheme == "https" else "")


def second_name(moment: float | None = None) -> str:
    moment = int(time.time() if moment is None else moment)
    return datetime.fromtimestamp(moment, UTC).isoformat()


def file_name(path="/safety/", state="us", name="page.br", scheme="http", host="testserver",
              second=None) -> str:  # fmt: skip
    return f"/{second or second_name()}/{scheme}/{host}/{state}{path}{name}"


def ask(client, path="/safety/", wanted=None, encoding="br", cookie=US, scheme="http", **extra):
    headers = {"accept-encoding": encoding, **cookie}
    headers["x-page-file"] = wanted if wanted is not None else file_name(path)
    headers["x-page-file-headers"] = extra.pop("told", told_headers(scheme))
    return client.get(path, headers=headers, secure=scheme == "https", **extra)


def written(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def root(settings, tmp_path):
    settings.PAGE_FILES_DIR = str(tmp_path / "pages")
    (tmp_path / "pages").mkdir()
    return tmp_path / "pages"


def test_the_conf_tells_gunicorn_the_headers_it_sends_with_a_page_file():
    sent = page_location_headers()
    told = page_files.parse_headers(told_headers())
    assert len(sent) >= 9
    assert {name.lower(): value for name, value in sent.items()} == told


def test_the_page_nginx_asks_for_is_written_for_this_second_and_the_next(
    client, published_page, root
):
    now = int(time.time())
    response = ask(client, wanted=file_name(second=second_name(now)))
    assert response.status_code == 200 and response["Content-Encoding"] == "br"
    assert written(root) == [
        f"{second_name(now + step)}/http/testserver/us/safety/page.br" for step in (0, 1)
    ]
    for path in root.rglob("page.br"):
        assert path.read_bytes() == response.content
        assert path.stat().st_mode & 0o777 == 0o644
        assert path.parent.stat().st_mode & 0o777 == 0o755
    # No temporary file is left behind; nothing is sent to the visitor about files.
    assert not [p for p in root.rglob(".*")]
    assert "X-Accel-Expires" not in response


@pytest.mark.parametrize(
    ("encoding", "name", "cookie", "state"),
    [
        ("gzip", "page.gz", US, "us"),
        ("identity", "page.html", US, "us"),
        ("br", "page.br", {}, "unconfirmed"),
        ("br, gzip", "page.br", {"cookie": "us_audience=no"}, "unconfirmed"),
    ],
)
def test_every_encoding_and_audience_state_has_its_own_file(
    client, published_page, root, encoding, name, cookie, state
):
    response = ask(
        client, wanted=file_name(state=state, name=name), encoding=encoding, cookie=cookie
    )
    assert response.status_code == 200
    files = written(root)
    assert len(files) == 2 and all(f.endswith(f"/{state}/safety/{name}") for f in files)
    assert (root / files[0]).read_bytes() == response.content


def test_a_cache_hit_writes_the_file_too(client, published_page, root):
    client.get("/safety/", headers={"accept-encoding": "br", **US})  # stored, no file asked
    assert written(root) == []
    response = ask(client)
    assert response["X-Page-Cache"] == "hit"
    assert len(written(root)) == 2


def past(seconds: int) -> str:
    return second_name(time.time() - seconds)


# Each is built when the test runs (a name made at collection would be refused for its second).
OTHER_NAMES = {
    "another scheme": lambda: file_name(scheme="https"),
    "another host": lambda: file_name(host="example.org"),
    "another audience state": lambda: file_name(state="unconfirmed"),
    "another page": lambda: file_name(path="/support/"),
    "another encoding": lambda: file_name(name="page.gz"),
    "no encoding": lambda: file_name(name="page.html"),
    "a climb out": lambda: "/" + "/".join(["..", "..", "etc", "us", "safety", "page.br"]),
    "a climb in the host": lambda: file_name().replace("testserver", "../testserver"),
    "a climb in the path": lambda: file_name().replace("/us/", "/us/../"),
    "a NUL": lambda: file_name() + "\x00",
    "nothing": lambda: "",
    "10,000 characters": lambda: "x" * 10_000,
    "unicode": lambda: file_name().replace("testserver", "tëstserver"),
}


@pytest.mark.parametrize("case", OTHER_NAMES)
def test_any_other_name_is_not_written(client, published_page, root, case):
    response = ask(client, wanted=OTHER_NAMES[case]())
    assert response.status_code == 200
    assert written(root) == []
    # The right name, asked for now, is written: the refusal above was for its own reason.
    ask(client)
    assert len(written(root)) == 2


def test_a_second_other_than_now_is_not_written(client, published_page, root):
    for wanted in (file_name(second=past(3)), file_name(second=second_name(time.time() + 2))):
        assert ask(client, wanted=wanted).status_code == 200
    assert written(root) == []


def test_a_page_with_a_query_string_is_not_written(client, published_page, root):
    response = ask(client, data={"utm_source": "mail"})
    assert response.status_code == 200
    assert written(root) == []


def test_nothing_is_written_while_nginx_would_send_other_headers(
    client, published_page, root, caplog
):
    told = told_headers().replace("frame-ancestors 'none'", "frame-ancestors *")
    with caplog.at_level(logging.WARNING, logger="pomsite.page_files"):
        for _ in range(3):
            assert ask(client, told=told).status_code == 200
        fewer = told_headers().replace("|X-Frame-Options: DENY", "")
        assert ask(client, told=fewer).status_code == 200
    assert written(root) == []
    warnings = [r for r in caplog.records if r.name == "pomsite.page_files"]
    assert len(warnings) == 1  # once per process, not once per request
    assert "content-security-policy" in warnings[0].getMessage()


def test_an_https_page_file_carries_hsts_as_django_sends_it(client, published_page, root, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = ask(client, wanted=file_name(scheme="https"), scheme="https")
    assert response.status_code == 200 and "Strict-Transport-Security" in response
    assert len(written(root)) == 2
    # Told without it (an http visitor's list), the https answer is not written.
    for path in root.iterdir():
        path.rename(root.parent / path.name)
    ask(client, wanted=file_name(scheme="https"), scheme="https", told=told_headers("http"))
    assert written(root) == []


def test_a_page_rendered_while_an_editor_saved_is_not_written(
    client, published_page, root, monkeypatch
):
    real = page_cache.current_generation
    monkeypatch.setattr(page_cache, "current_generation", lambda: real() + 1)
    response = ask(client)
    assert response["X-Page-Cache"] == "miss"
    assert written(root) == []


def test_an_editor_s_request_is_never_written(client, published_page, root, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    assert (
        ask(client, cookie={"cookie": f"us_audience=yes; sessionid={session}"}).status_code == 200
    )
    assert written(root) == []


def test_no_folder_set_means_no_file(client, published_page, settings, tmp_path):
    settings.PAGE_FILES_DIR = ""
    assert ask(client).status_code == 200
    assert not any(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_costs_the_visitor_nothing(
    client, published_page, settings, tmp_path, caplog
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.PAGE_FILES_DIR = str(blocker)
    page_files._warned.clear()
    with caplog.at_level(logging.WARNING, logger="pomsite.page_files"):
        response = ask(client)
    assert response.status_code == 200 and response.content
    assert any("Could not write page files" in r.getMessage() for r in caplog.records)


def test_folders_more_than_a_few_seconds_old_are_removed(client, published_page, root):
    for seconds in (30, 10, 5):
        (root / past(seconds) / "http").mkdir(parents=True)
    (root / "keep-me").mkdir()  # not a second's folder: left alone
    ask(client)
    names = sorted(p.name for p in root.iterdir())
    assert past(30) not in names and past(10) not in names and past(5) not in names
    assert "keep-me" in names and second_name() in names


def test_an_existing_file_is_not_rewritten(client, published_page, root):
    ask(client)
    first = next(root.rglob("page.br"))
    first.write_bytes(b"kept")
    ask(client)
    assert first.read_bytes() == b"kept"


@pytest.fixture(autouse=True)
def _fresh_warnings():
    page_files._warned.clear()
    yield
    page_files._warned.clear()


def test_names_are_parsed_only_from_the_iso_format():
    assert page_files._moment("2026-12-03T05:47:02+00:00") is not None
    assert page_files._moment("2026-12-03T05:47:02") is None  # no offset
    assert page_files._moment("1796276396") is None
    assert page_files._moment("..") is None
    assert page_files._moment(past(0)) + timedelta(seconds=1) > page_files._moment(past(0))
