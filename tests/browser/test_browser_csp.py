"""Every browser test fails on a Content-Security-Policy violation; this shows the check works."""

CSP_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>CSP probe</title></head>'
    "<body><p>probe</p><script>document.title = 'ran';</script></body></html>"
)


def test_a_csp_violation_in_the_browser_is_recorded(open_page, site):
    page = open_page(None)
    page.route(
        f"{site}/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body=CSP_PAGE,
        ),
    )

    page.goto("/csp-probe/")
    page.wait_for_function("document.readyState === 'complete'")

    assert page.title() == "CSP probe"
    assert any("script-src" in problem for problem in open_page.problems.csp)
    open_page.problems.csp.clear()  # recorded as intended; do not fail this test for it


def test_a_script_error_in_the_browser_is_recorded(open_page):
    page = open_page("/", confirmed=True)

    page.evaluate("setTimeout(() => { throw new Error('probe failure'); })")
    page.wait_for_timeout(50)

    assert any("probe failure" in error for error in open_page.problems.script_errors)
    open_page.problems.script_errors.clear()
