"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for page tests and
the maps bench.

No browser is downloaded: Playwright launches the system Chromium. Every request to a host
other than 127.0.0.1/localhost is aborted and recorded, so a test can assert a page works
offline and that nothing left the machine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

from playwright.sync_api import Page, Route, sync_playwright

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@dataclass
class BrowserPage:
    """A page plus what it tried to reach outside localhost and what it logged."""

    page: Page
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium is not installed: run scripts/setup.sh (it installs Debian's chromium)."
        )
    return path


@contextmanager
def open_page(viewport: tuple[int, int] = (1280, 900)) -> Iterator[BrowserPage]:
    """A fresh headless Chromium page with the network limited to localhost."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            page = context.new_page()
            result = BrowserPage(page)

            def guard(route: Route) -> None:
                url = route.request.url
                host = urlparse(url).hostname or ""
                if (
                    url.startswith(("data:", "blob:", "about:"))
                    or host in LOCAL_HOSTS
                    or (url.startswith("file:"))
                ):
                    route.continue_()
                else:
                    result.blocked_requests.append(url)
                    route.abort()

            context.route("**/*", guard)
            page.on(
                "console",
                lambda message: (
                    message.type == "error" and result.console_errors.append(message.text)
                ),
            )

            def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
                result.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            yield result
        finally:
            browser.close()


def wait_for_map(page: Page, flag: str = "drawn", timeout_s: float = 60.0) -> None:
    """Wait until ``window.srmMap[flag]`` is true.

    Polls with ``page.evaluate`` (a DevTools call, outside the page's CSP) because
    Playwright's ``wait_for_function`` evaluates its predicate as a string, which the maps'
    Content-Security-Policy (no 'unsafe-eval') refuses.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate("(flag) => Boolean(window.srmMap && window.srmMap[flag])", flag):
        if time.monotonic() > deadline:
            raise TimeoutError(f"map not {flag} after {timeout_s:.0f} s")
        page.wait_for_timeout(50)
