"""``/healthz``: is the API up and does Neo4j answer (503 with the reason when not)."""

from __future__ import annotations

from anyio import fail_after, to_thread
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError

from srm import db
from srm.api.dependencies import DriverDep, SettingsDep
from srm.errors import SRMError

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Health of the API and its Neo4j connection")
async def healthz(
    driver: DriverDep,
    settings: SettingsDep,
) -> JSONResponse:
    # The driver's own timeouts bound the ping; fail_after is a last guard against a hang.
    budget = settings.neo4j_connection_timeout_s + settings.neo4j_acquisition_timeout_s + 1
    try:
        with fail_after(budget):
            await to_thread.run_sync(
                lambda: db.ping(driver, database=settings.neo4j_database),
                abandon_on_cancel=True,
            )
    except (SRMError, TimeoutError, DriverError, Neo4jError) as error:
        message = (
            str(error)
            if isinstance(error, SRMError)
            else "Neo4j is not reachable (no answer in time, or the ping was refused); check "
            "NEO4J_URI and the server's log."
        )
        return JSONResponse({"status": "unavailable", "neo4j": message}, status_code=503)
    return JSONResponse({"status": "ok", "neo4j": "ok"})
