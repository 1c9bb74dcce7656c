"""Structured logs: one JSON object per line, free of personal data by construction.

A record carries its message and only the fields passed as ``extra={"fields": {...}}``;
callers pass identifiers (request id, key id, operation name, route, status), never query
texts, variables or values. Exception information is reduced to the exception's type and
the innermost frames' ``file:line`` — an exception's message may quote a value, so it is
never written.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["JsonFormatter", "configure_logging", "error_code", "error_origin"]

_SEP = os.sep


def error_origin(error: BaseException, frames: int = 3) -> list[str]:
    """The innermost ``frames`` frames of ``error``'s traceback as ``file:line function``,
    then, when those are all in libraries (the driver's socket code, say), SRM's own
    innermost frame: the call that led there."""
    summary = traceback.extract_tb(error.__traceback__)
    shown = summary[-frames:]
    ours = [frame for frame in summary if _is_ours(frame.filename)]
    if ours and not any(_is_ours(frame.filename) for frame in shown):
        shown = [*shown, ours[-1]]
    return [f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in shown]


def error_code(error: BaseException) -> str | None:
    """Neo4j's status code (``Neo.TransientError.…``) of ``error`` or of the error it
    was raised from: a fixed name, never a value."""
    while error is not None:
        code = getattr(error, "code", None)
        if isinstance(code, str) and code.startswith("Neo."):
            return code
        error = error.__cause__  # type: ignore[assignment]
    return None


def _is_ours(filename: str) -> bool:
    return "site-packages" not in filename or f"site-packages{_SEP}srm{_SEP}" in filename


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", **fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error_type"] = type(error).__name__
            entry["error_origin"] = error_origin(error)
            entry["error_code"] = error_code(error)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for SRM's, uvicorn's and the driver's loggers (driver at INFO
    at most: its DEBUG log prints query parameters)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    # The access log would print paths with their query strings; SRM logs requests itself.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("neo4j").setLevel(max(level, logging.INFO))
