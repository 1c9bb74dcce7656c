"""One way to close the ingest job's files (CSV inputs, the quarantine file, the spool):
``close()``, or leaving the ``with`` block they were opened in."""

from __future__ import annotations

from types import TracebackType
from typing import IO, Any, Self

__all__ = ["ClosingFile"]


class ClosingFile:
    """Owns ``_handle``, a file the subclass opens when it needs one (None until then).
    A subclass holding its file otherwise overrides :meth:`close`."""

    _handle: IO[Any] | None = None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
