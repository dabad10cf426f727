"""Every browser test fails on a Content-Security-Policy violation or a script error (`open_page`,
tests/browser/conftest.py); these show that the policy blocks and that both are recorded."""


def test_the_policy_really_blocks_inline_script(open_page):
    """An inline script on one of our pages is refused, and the refusal is recorded."""
    browser_page = open_page("/safety/", confirmed=True)
    with browser_page.expect_console_message(lambda message: "script-src" in message.text):
        browser_page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.__ran = true";
              document.body.appendChild(script);
            }"""
        )
    violations = open_page.problems.csp
    assert browser_page.evaluate("window.__ran === undefined")
    assert any("script-src" in violation for violation in violations)
    open_page.problems.csp.clear()  # recorded as intended; do not fail this test for it


def test_a_script_error_in_the_browser_is_recorded(open_page):
    page = open_page("/", confirmed=True)

    # Waited for, not slept on: on a busy machine the error arrived after a fixed 50 ms.
    with page.expect_event("pageerror", timeout=10_000):
        page.evaluate("setTimeout(() => { throw new Error('probe failure'); })")

    assert any("probe failure" in error for error in open_page.problems.script_errors)
    open_page.problems.script_errors.clear()
