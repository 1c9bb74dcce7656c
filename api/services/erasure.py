"""Erasure from the API: :func:`srm.operations.erasure.erase` as an admin, audited with the
key's identity.

Both the GraphQL mutation ``erase`` and ``POST /api/v1/erase`` call :func:`erase_as`, so they
audit, suppress and re-cluster the same way. Nothing here keeps or logs the erased id: the
audit names the API key (its id and role), the kind and the number of records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from anyio import to_thread
from neo4j import Driver

from srm.api.security import Principal
from srm.api.services import jobs
from srm.operations.erasure import RECLUSTER_NOTE, ErasureResult, erase
from srm.settings import Settings

__all__ = ["ERASE_ACTION", "ErasureOutcome", "audit_name", "erase_as"]

ERASE_ACTION = "erase personal data"


@dataclass(frozen=True)
class ErasureOutcome:
    """An erasure's counts, and what became of the person clusters that kept records."""

    result: ErasureResult
    reclustered: bool
    note: str | None

    def counts(self) -> dict[str, Any]:
        """Every field the API answers with, for the REST response and the GraphQL type."""
        return {**asdict(self.result), "reclustered": self.reclustered, "note": self.note}


def audit_name(principal: Principal) -> str:
    """Who asked, as kept in ``ErasureAudit.by``: the key's id and role, never the key."""
    return f"api-key:{principal.key_id} ({principal.role})"


def _erase_and_recluster(
    driver: Driver, settings: Settings, kind: str, identifier: str, by: str, recluster: bool
) -> ErasureOutcome:
    result = erase(
        driver,
        settings,
        kind,  # checked by erase(): ValidationError
        identifier,
        by=by,
        database=settings.neo4j_database,
    )
    if not result.persons_kept:
        return ErasureOutcome(result=result, reclustered=False, note=None)
    if not recluster:
        return ErasureOutcome(result=result, reclustered=False, note=RECLUSTER_NOTE)
    jobs.resolve_identities(driver, settings.neo4j_database)
    return ErasureOutcome(result=result, reclustered=True, note=None)


async def erase_as(
    principal: Principal,
    driver: Driver,
    settings: Settings,
    kind: str,
    identifier: str,
    *,
    recluster: bool = False,
) -> ErasureOutcome:
    """Erase ``kind`` ``identifier`` for an admin ``principal`` (403 for any other role).

    With ``recluster`` and person clusters that keep records, identity resolution runs again
    over the whole graph before the answer (see :func:`srm.graph.identity.pipeline.resolve_graph`).
    Raises what :func:`srm.operations.erasure.erase` raises: ``NotFoundError``, ``ValidationError``,
    ``StoreUnavailable``.
    """
    principal.require("admin", action=ERASE_ACTION)
    return await to_thread.run_sync(
        partial(
            _erase_and_recluster,
            driver,
            settings,
            kind,
            identifier,
            audit_name(principal),
            recluster,
        )
    )
