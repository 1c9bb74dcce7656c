"""Every place a record's identifiers can be copied to, and how an erasure clears it.

:func:`srm.operations.erasure.erase` walks :data:`REGISTRY` in order: the graph places inside
its one transaction, then the file places once it has committed. A new feature that copies ids
somewhere adds its place here (and the erasure test, which searches every property of
the graph and every file under ``$SRM_HOME`` after erasing a person who appears in every
analysis, tells when one is missing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from neo4j import ManagedTransaction

from srm.cypher.influence import Influence
from srm.operations import places
from srm.operations.erased import ErasedIds
from srm.operations.outputs import scrub_files
from srm.settings import Settings

__all__ = ["FILE_PLACES", "GRAPH_PLACES", "REGISTRY", "Place"]

GraphScrub = Callable[[ManagedTransaction, ErasedIds], int]
FileScrub = Callable[[Settings, ErasedIds], int]


@dataclass(frozen=True)
class Place:
    """Where identifiers are copied (``holds``) and what erasure does there (``action``).

    ``graph``: ``scrub(tx, erased)`` runs in the erasure's transaction; ``files``:
    ``scrub_files(settings, erased)`` after commit; ``none``: nothing to do, and why.
    """

    name: str
    scope: Literal["graph", "files", "none"]
    holds: str
    action: str
    scrub: GraphScrub | None = None
    scrub_files: FileScrub | None = None


REGISTRY: tuple[Place, ...] = (
    Place(
        "mentions", "graph",
        "MENTIONS from others' posts, MENTIONED between profiles",
        "become erased_mention_count on the mentioning post / profile",
        scrub=places.anonymise_mentions,
    ),
    Place(
        "references to erased posts", "graph",
        "REPLY_TO, QUOTES, REPOSTS from others' posts",
        "become erased_reference_count; the post keys are suppressed so a re-ingest "
        "does not link them again",
        scrub=places.anonymise_references,
    ),
    Place(
        "handles in others' texts", "graph",
        "Post.text of others (@handle; Mastodon @user and @user@instance)",
        "@[erased]",
        scrub=places.redact_handles,
    ),
    Place(
        "authored posts", "graph", "Post nodes the records POSTED", "deleted",
        scrub=places.delete_authored_posts,
    ),
    Place(
        "records", "graph",
        "Customer and Profile nodes with their properties (scores, reach, explanation) and "
        "every relationship: FOLLOWS, CLAIMS, SAME_AS with its evidence and review "
        "decision, PART_OF, IN (communities), IN_SEGMENT, OFFICIAL_OF",
        "deleted (DETACH DELETE)",
        scrub=places.delete_records,
    ),
    Place(
        "person clusters", "graph", "Person nodes (name, emails, ids)",
        "erased or emptied persons deleted; others lose values naming the records",
        scrub=places.scrub_persons,
    ),
    Place(
        "influence explanations", "graph",
        f"Profile.{Influence.EXPLANATION}.top_in_neighbours of other profiles; "
        f"Person.{Influence.EXPLANATION} (accounts, top followers)",
        "the erased neighbours and accounts are dropped; a person that kept other "
        "accounts is rescored from them after commit",
        scrub=places.scrub_explanations,
    ),
    Place(
        "algorithm runs", "graph",
        "AlgorithmRun.parameters and figures (a reach run names a profile or person)",
        "values naming the person become [erased]",
        scrub=places.scrub_runs,
    ),
    Place(
        "community summaries", "graph",
        "Community.label, top_words, top_hashtags (a label may be a member's key)",
        "terms naming the person dropped or [erased]",
        scrub=places.scrub_communities,
    ),
    Place(
        "review decisions", "graph",
        "identity review decision records (record and merge ids), whatever their label",
        "record ids become [erased]",
        scrub=places.scrub_decisions,
    ),
    Place(
        "maps, exports, quarantine files", "files",
        "HTML maps, Gephi/CSV exports, identity cluster exports, quarantine files "
        "(remembered in $SRM_HOME/outputs.jsonl) and $SRM_HOME/maps",
        "maps naming the person deleted; CSV/JSON-lines files lose their lines",
        scrub_files=scrub_files,
    ),
    Place(
        "ingest spool", "none",
        "validated rows of a running ingest (an unnamed temporary file)",
        "nothing: the file has no name and is deleted when the ingest ends; rows of "
        "erased people are filtered before they are written",
    ),
    Place(
        "caches", "none",
        "API key lookups (no personal data); per-request GraphQL loaders",
        "nothing: no cache outlives a request with personal data in it",
    ),
    Place(
        "backups", "none",
        "backup folders written before the erasure (graph.jsonl, bundle CSVs)",
        "kept as written; srm restore replays the suppression ledger, so the person is "
        "erased again from the restored graph",
    ),
    Place(
        "suppression and audit", "none",
        "Suppression {key_hash}, the suppression ledger, ErasureAudit {at, by, kind}",
        "written by the erasure: salted hashes and counts, never the values",
    ),
)  # fmt: skip

GRAPH_PLACES = tuple(place for place in REGISTRY if place.scope == "graph")
FILE_PLACES = tuple(place for place in REGISTRY if place.scope == "files")
