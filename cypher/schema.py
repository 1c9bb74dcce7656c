"""The graph's schema: uniqueness constraints for every key, lookup and full-text indexes.

Every statement is idempotent (``IF NOT EXISTS``), so ``srm db init`` and every ingest can
run it first, before any data is written.
"""

from __future__ import annotations

from srm.cypher.influence import Influence
from srm.cypher.ingest import CLAIM_PROPERTIES

__all__ = ["CONSTRAINTS", "INDEXES", "SCHEMA_STATEMENTS", "SHOW_CONSTRAINTS", "SHOW_INDEXES"]

CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.customer_id IS UNIQUE",
    "CREATE CONSTRAINT profile_key IF NOT EXISTS FOR (n:Profile) REQUIRE n.profile_key IS UNIQUE",
    "CREATE CONSTRAINT post_key IF NOT EXISTS FOR (n:Post) REQUIRE n.post_key IS UNIQUE",
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE",
    "CREATE CONSTRAINT brand_name IF NOT EXISTS FOR (n:Brand) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT algorithm_run_id IF NOT EXISTS FOR (n:AlgorithmRun) REQUIRE n.run_id IS UNIQUE",
    "CREATE CONSTRAINT community_key IF NOT EXISTS FOR (n:Community) "
    "REQUIRE (n.community_id, n.run_id) IS UNIQUE",
    "CREATE CONSTRAINT suppression_key IF NOT EXISTS FOR (n:Suppression) REQUIRE n.key_hash IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_hash IS UNIQUE",
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_id IS UNIQUE",
    "CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.segment_id IS UNIQUE",
)

INDEXES: tuple[str, ...] = (
    "CREATE INDEX profile_handle IF NOT EXISTS FOR (n:Profile) ON (n.handle)",
    "CREATE INDEX profile_platform_handle IF NOT EXISTS FOR (n:Profile) ON (n.platform, n.handle)",
    "CREATE INDEX profile_display_name IF NOT EXISTS FOR (n:Profile) ON (n.display_name)",
    "CREATE INDEX customer_email IF NOT EXISTS FOR (n:Customer) ON (n.email)",
    "CREATE INDEX customer_phone IF NOT EXISTS FOR (n:Customer) ON (n.phone)",
    "CREATE INDEX customer_phone_digits IF NOT EXISTS FOR (n:Customer) ON (n.phone_digits)",
    "CREATE INDEX customer_last_name IF NOT EXISTS FOR (n:Customer) ON (n.last_name)",
    "CREATE INDEX customer_twitter_handle IF NOT EXISTS FOR (n:Customer) ON (n.twitter_handle)",
    # Handles CRM rows claim on the other platforms (srm.cypher.ingest.CLAIM_PROPERTIES).
    *(
        f"CREATE INDEX customer_{prop} IF NOT EXISTS FOR (n:Customer) ON (n.{prop})"
        for prop in CLAIM_PROPERTIES.values()
        if prop != "twitter_handle"
    ),
    "CREATE INDEX profile_snapshot_job IF NOT EXISTS FOR (n:Profile) ON (n.snapshot_job)",
    "CREATE INDEX post_created_at IF NOT EXISTS FOR (n:Post) ON (n.created_at)",
    "CREATE INDEX community_run IF NOT EXISTS FOR (n:Community) ON (n.run_id)",
    f"CREATE INDEX profile_influence IF NOT EXISTS FOR (n:Profile) ON (n.{Influence.SCORE})",
    f"CREATE INDEX person_influence IF NOT EXISTS FOR (n:Person) ON (n.{Influence.SCORE})",
    "CREATE FULLTEXT INDEX search_text IF NOT EXISTS FOR (n:Profile|Customer|Person) "
    "ON EACH [n.handle, n.display_name, n.bio, n.first_name, n.last_name, n.company, n.name]",
)

SCHEMA_STATEMENTS: tuple[str, ...] = CONSTRAINTS + INDEXES

SHOW_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties"
)
SHOW_INDEXES = "SHOW INDEXES YIELD name, type, state RETURN name, type, state"
