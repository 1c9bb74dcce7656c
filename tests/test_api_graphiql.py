"""The GraphiQL explorer works offline in headless Chromium: it loads from our own static
files, runs a preloaded marketer query and shows the result; nothing leaves localhost."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from neo4j import Driver

from bench.browser import open_page
from srm.api.app import create_app
from srm.settings import Settings
from tests.api_support import load_graph

# Screenshots go to SRM_TEST_ARTIFACTS (CI can keep them) or a temporary folder, never
# into the tracked docs/ (docs/graphiql.png is a copy chosen by hand).
SCREENSHOT = Path(os.environ.get("SRM_TEST_ARTIFACTS", tempfile.gettempdir())) / "srm-graphiql.png"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def server_url(driver: Driver, settings: Settings) -> Iterator[str]:
    load_graph(driver)
    demo = settings.model_copy(update={"api_keys": "", "production": False})
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(demo, driver), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_graphiql_runs_a_preloaded_query_offline(server_url: str) -> None:
    with open_page() as browser:
        page = browser.page
        page.goto(f"{server_url}/graphql", wait_until="networkidle")
        page.wait_for_selector(".graphiql-container .graphiql-editor", timeout=30_000)
        tabs = page.locator(".graphiql-tab").all_inner_texts()
        assert any("TopInfluencersWhoAreCustomers" in tab for tab in tabs), tabs
        page.locator(".graphiql-execute-button").click()
        # A locator wait, not wait_for_function: the page's CSP forbids string evaluation.
        page.locator(".graphiql-response", has_text="alice").wait_for(timeout=30_000)
        result = page.locator(".graphiql-response").inner_text()
        assert '"handle": "alice"' in result and "errors" not in result
        page.locator("[aria-label='Show GraphiQL Explorer']").click()
        page.wait_for_selector(".graphiql-explorer-root", timeout=10_000)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        assert browser.blocked_requests == []
        assert browser.console_errors == []
