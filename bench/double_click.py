"""Double-click on Save, for real: two identical POSTs of one admin edit form at the same moment.

Against a running server (for example `make run`, two gunicorn workers) and an editor login:

    DJANGO_SETTINGS_MODULE=pomsite.settings_test .venv/bin/python bench/double_click.py \
        http://127.0.0.1:8000 USERNAME PASSWORD PAGE_ID [ROUNDS]

Each round opens the page's edit form once and posts it twice in parallel. Expected: one save
(302) and one refusal that says the text was already saved (200); never a 500. It changes the
page's introduction (a sentence is added per round): use a copy of the database.
"""

import http.cookiejar
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import django

django.setup()

from tests.editing.conftest import read_form  # noqa: E402


class _Page:
    def __init__(self, body: bytes) -> None:
        self.content = body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base: str, username: str, password: str, page_id: str, rounds: int = 5) -> int:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
    )

    def get(path: str) -> _Page:
        return _Page(opener.open(base + path).read())

    def post(path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        # The base address is the operator's own server, given on the command line.
        request = urllib.request.Request(base + path, body, headers={"Referer": base + path})  # noqa: S310
        try:
            response = opener.open(request)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    login = read_form(get("/admin/login/"), "login-form") | {
        "username": username,
        "password": password,
    }
    post("/admin/login/", login)
    path = f"/admin/content/page/{page_id}/change/"
    failures = 0
    for round_number in range(rounds):
        data = read_form(get(path), "page_form")
        data["intro"] += f" Double-click test {round_number}."
        barrier, results = threading.Barrier(2), []

        def save(data=data, barrier=barrier, results=results) -> None:
            barrier.wait()
            status, text = post(path, data)
            results.append((status, "already saved" in text))

        threads = [threading.Thread(target=save) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ok = sorted(results) == [(200, True), (302, False)]
        failures += not ok
        print(f"round {round_number}: {sorted(results)} {'ok' if ok else 'UNEXPECTED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    base_url, user, secret, page = sys.argv[1:5]
    sys.exit(
        main(base_url.rstrip("/"), user, secret, page, int(sys.argv[5]) if len(sys.argv) > 5 else 5)
    )
