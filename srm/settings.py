"""SRM's settings: one class, read once from the environment (and a `.env` file), injected."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


def _default_home() -> Path:
    return Path.home() / ".cache" / "srm"


class Settings(BaseSettings):
    """Everything SRM can be configured with. Environment names are given per field."""

    # Only the documented names are read: matching field names too would take $HOME as
    # SRM_HOME (and PRODUCTION, BATCH_SIZE, … from unrelated environments).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neo4j_uri: str | None = Field(
        default=None,
        validation_alias="NEO4J_URI",
        description="Bolt/neo4j URI of an existing Neo4j; unset means SRM's local server.",
    )
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(default=None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    neo4j_connection_timeout_s: float = Field(
        default=5.0, validation_alias="NEO4J_CONNECTION_TIMEOUT"
    )
    neo4j_acquisition_timeout_s: float = Field(
        default=10.0, validation_alias="NEO4J_ACQUISITION_TIMEOUT"
    )
    neo4j_max_pool_size: int = Field(default=50, validation_alias="NEO4J_MAX_POOL_SIZE")
    neo4j_max_retry_time_s: float = Field(default=15.0, validation_alias="NEO4J_MAX_RETRY_TIME")

    home: Path = Field(
        default_factory=_default_home,
        validation_alias="SRM_HOME",
        description="Where SRM keeps the Neo4j jars, the local server's data and run files.",
    )
    local_port: int = Field(default=7687, validation_alias="SRM_NEO4J_PORT")
    # Unset: sized from the store and the machine's free memory (srm.neo4j_memory).
    local_heap_mb: int | None = Field(default=None, validation_alias="SRM_NEO4J_HEAP_MB")
    local_pagecache_mb: int | None = Field(default=None, validation_alias="SRM_NEO4J_PAGECACHE_MB")

    batch_size: int = Field(default=10_000, ge=1, validation_alias="SRM_BATCH_SIZE")

    suppression_salt: SecretStr | None = Field(
        default=None,
        validation_alias="SRM_SUPPRESSION_SALT",
        description="Salt of the erasure suppression hashes; unset means one generated and "
        "kept in $SRM_HOME/suppression.salt. Keep it with your backups.",
    )

    api_keys: str = Field(
        default="",
        validation_alias="SRM_API_KEYS",
        description="Comma-separated role:sha256(key) pairs; empty means local demo mode.",
    )
    production: bool = Field(default=False, validation_alias="SRM_PRODUCTION")
    api_rate_limit_per_minute: int = Field(
        default=1200,
        ge=1,
        validation_alias="SRM_API_RATE_LIMIT",
        description="Requests per minute and API key before the API answers 429.",
    )
    api_auth_failures_per_minute: int = Field(
        default=20,
        ge=1,
        validation_alias="SRM_API_AUTH_FAILURES_PER_MINUTE",
        description="Failed key checks per minute and client address before the API answers "
        "429 without looking the key up.",
    )
    api_max_body_bytes: int = Field(
        default=1_048_576,
        ge=1_024,
        validation_alias="SRM_API_MAX_BODY_BYTES",
        description="Largest request body the API reads; larger ones get 413.",
    )
    audit_dir: Path | None = Field(
        default=None,
        validation_alias="SRM_AUDIT_DIR",
        description="Folder of the audit trail (JSON lines, one file a day); unset means "
        "$SRM_HOME/audit.",
    )
    audit_retention_days: int = Field(
        default=365,
        ge=1,
        validation_alias="SRM_AUDIT_RETENTION_DAYS",
        description="Days of audit files kept; older days are deleted.",
    )
    api_rate_state: Path | None = Field(
        default=None,
        validation_alias="SRM_API_RATE_STATE",
        description="SQLite file where the worker processes of one server share their rate "
        "limit buckets; 'srm serve --workers N' sets it (N > 1).",
    )
    api_key_cache_seconds: float = Field(
        default=10.0,
        ge=0,
        validation_alias="SRM_API_KEY_CACHE_SECONDS",
        description="How long a key looked up in Neo4j is trusted (revocation delay).",
    )

    @property
    def local_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.local_port}"

    @property
    def effective_uri(self) -> str:
        """The URI every component connects to: NEO4J_URI if set, else the local server."""
        return self.neo4j_uri or self.local_uri

    @property
    def audit_path(self) -> Path:
        """Where the audit trail is written: SRM_AUDIT_DIR, else $SRM_HOME/audit."""
        return self.audit_dir or self.home / "audit"

    @property
    def uses_local_server(self) -> bool:
        return self.neo4j_uri is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
