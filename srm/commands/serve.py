"""`srm serve`: the API (GraphQL, GraphiQL, REST enrichment, health) under uvicorn, and
`srm api-key create|revoke` for keys stored hashed in Neo4j."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from neo4j import Driver
from rich.panel import Panel

from srm.api.app import DEMO_MODE_WARNING, create_app
from srm.api.security import ROLES, create_api_key, hash_key, revoke_api_key
from srm.api.workers import WORKER_APP, settle_heap
from srm.commands.common import console, exit_on_error, fail, open_store, settings, store_settings
from srm.operations.logs import configure_logging
from srm.settings import Settings

__all__ = ["keys_app", "run_server", "run_workers", "serve", "server_urls"]

keys_app = typer.Typer(help="API keys stored hashed in Neo4j (revocable).", no_args_is_help=True)


def server_urls(host: str, port: int, production: bool = False) -> dict[str, str]:
    """The URLs to print for a server on ``host:port``; production serves neither GraphiQL
    nor the OpenAPI pages, so it lists the GraphQL endpoint and the REST base instead."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - display only
    base = f"http://{shown}:{port}"
    if production:
        return {
            "GraphQL endpoint (POST)": f"{base}/graphql",
            "Network maps": f"{base}/maps/",
            "REST enrichment": f"{base}/api/v1/enrich",
            "Health": f"{base}/healthz",
        }
    return {
        "GraphiQL explorer": f"{base}/graphql",
        "Network maps": f"{base}/maps/",
        "REST enrichment (OpenAPI)": f"{base}/docs",
        "Health": f"{base}/healthz",
    }


def run_server(current: Settings, driver: Driver, host: str, port: int) -> None:
    """Serve the API on ``host:port`` with ``driver`` until Ctrl-C; prints the URLs first and
    a loud warning in local demo mode (no API keys)."""
    app = create_app(current, driver)
    for name, url in server_urls(host, port, current.production).items():
        console.print(f"  {name:<27} {url}", highlight=False)
    if app.state.authenticator.demo_mode:
        console.print(Panel(DEMO_MODE_WARNING, title="WARNING", style="bold red"))
    configure_logging()
    settle_heap()
    # SRM logs each request itself (one JSON line, no query strings): no uvicorn access log.
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)


def run_workers(current: Settings, host: str, port: int, workers: int) -> None:
    """Serve the API with ``workers`` processes on ``host:port`` until Ctrl-C. They share one
    rate-limit state file (srm.api.ratelimit) in a temporary folder removed at exit."""
    with open_store(current) as driver:
        # Built once here too, so a configuration the app refuses (production without keys)
        # stops this command before any worker starts.
        demo_mode = create_app(current, driver).state.authenticator.demo_mode
    for name, url in server_urls(host, port, current.production).items():
        console.print(f"  {name:<27} {url}", highlight=False)
    if demo_mode:
        console.print(Panel(DEMO_MODE_WARNING, title="WARNING", style="bold red"))
    with tempfile.TemporaryDirectory(prefix="srm-serve-") as folder:
        # Workers are fresh processes that read their Settings from the environment.
        env = {
            **os.environ,
            "NEO4J_URI": current.effective_uri,
            "SRM_API_RATE_STATE": str(Path(folder) / "rate-limits.sqlite"),
        }
        # uvicorn's own entry point as the parent: its spawned workers then re-import a plain
        # module, not this console script.
        command = [sys.executable, "-m", "uvicorn", WORKER_APP, "--factory"]
        options = ["--host", host, "--port", str(port), "--workers", str(workers)]
        quiet = ["--log-level", "warning", "--no-access-log"]
        process = subprocess.Popen([*command, *options, *quiet], env=env)
        # Stopping this command (Ctrl-C or SIGTERM) stops the workers' parent, which stops
        # the workers.
        signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes (default: the machine's cores). With more than one, the "
            "rate limit is shared through a state file, so it holds for the server as a whole.",
        ),
    ] = None,
) -> None:
    """Serve the API: GraphQL at /graphql (GraphiQL outside production), REST at /api/v1,
    docs at /docs (outside production), maps at /maps. Logs one JSON line per request on
    stderr; audits every request under SRM_AUDIT_DIR. SRM_PRODUCTION=1 refuses to start
    without SRM_API_KEYS."""
    count = workers or os.cpu_count() or 1
    with exit_on_error():
        current = store_settings(settings())
        if count == 1:
            with open_store(current) as driver:
                run_server(current, driver, host, port)
        else:
            run_workers(current, host, port, count)


@keys_app.command("create")
def create_key(
    role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what the key is for.")] = "",
) -> None:
    """Create a key; it is printed once (only its SHA-256 is stored)."""
    with exit_on_error(), open_store() as driver:
        key = create_api_key(driver, role, name or role)
    console.print(
        f"New {role} key, id {hash_key(key)[:12]} (the key is shown once; store it safely):"
    )
    typer.echo(key)


@keys_app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(help="The key id (first 12 hex of its SHA-256).")],
) -> None:
    """Revoke a key stored in Neo4j (servers notice within SRM_API_KEY_CACHE_SECONDS)."""
    with exit_on_error(), open_store() as driver:
        found = revoke_api_key(driver, key_id)
    if not found:
        raise fail(f"No API key with id {key_id}; use the id 'srm api-key create' printed.")
    console.print(f"Key {key_id} revoked.")
