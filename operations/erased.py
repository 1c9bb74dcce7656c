"""What one erasure removes, as identifiers: the record keys, and every value that names the
person (emails, phones, handles, names, native ids), with a matcher that finds and scrubs
them in copied data (JSON explanations, run parameters, labels, files).

Matching is by token: a value matches where it is not part of a longer word, so erasing
``x:1`` leaves ``x:10`` alone, and ``ana@example.org`` inside a sentence is found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from srm.operations.suppression import ERASED_MARK

__all__ = ["ERASED", "ErasedIds", "distinctive"]

# What an erased value becomes where it is replaced in derived data.
ERASED = ERASED_MARK
_MIN_LENGTH = 3
_MIN_NUMERIC_LENGTH = 6  # short numbers (ids 1…99999) are too common to scrub as text


def distinctive(value: Any) -> str | None:
    """``value`` as a needle when it names someone: long enough, and a bare number only
    when it has 6 digits or more (a platform's native id, not a count)."""
    text = str(value or "").strip().lstrip("@")
    if len(text) < _MIN_LENGTH:
        return None
    if text.isdigit() and len(text) < _MIN_NUMERIC_LENGTH:
        return None
    return text


def _names(properties: dict[str, Any]) -> list[str]:
    full = " ".join(str(properties.get(p) or "") for p in ("first_name", "last_name")).strip()
    names = [full] if " " in full else []
    display = str(properties.get("display_name") or "").strip()
    # A display name of two words or more names a person; one word ("Acme") rarely does.
    return names + ([display] if " " in display else [])


@dataclass(frozen=True)
class ErasedIds:
    """The keys of the erased records and the values that name their person."""

    customer_ids: tuple[str, ...] = ()
    profile_keys: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()  # persons erased (deleted) with the records
    clusters: tuple[str, ...] = ()  # every person the records were PART_OF
    post_keys: tuple[str, ...] = ()
    handles: tuple[tuple[str, str], ...] = ()  # (platform, handle without @)
    values: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        records: list[dict[str, Any]],
        person_ids: list[str],
        post_keys: list[str],
        clusters: Sequence[str] = (),
    ) -> ErasedIds:
        """From the erased records (``label``, ``key``, ``properties``), the persons erased
        with them, the keys of the posts they authored and the persons they were part of."""
        customers = sorted(r["key"] for r in records if r["label"] == "Customer")
        profiles = sorted(r["key"] for r in records if r["label"] == "Profile")
        handles: set[tuple[str, str]] = set()
        values: set[str] = set()
        for record in records:
            properties = record["properties"] or {}
            if record["label"] == "Profile" and properties.get("handle"):
                platform = str(properties.get("platform") or "")
                handles.add((platform, str(properties["handle"]).lstrip("@")))
            names = ("email", "phone", "native_id", "handle", "twitter_handle")
            candidates = [properties.get(name) for name in names] + _names(properties)
            values.update(text for text in map(distinctive, candidates) if text)
        return cls(
            customer_ids=tuple(customers),
            profile_keys=tuple(profiles),
            person_ids=tuple(sorted(set(person_ids))),
            clusters=tuple(sorted({*clusters, *person_ids})),
            post_keys=tuple(sorted(set(post_keys))),
            handles=tuple(sorted(handles)),
            values=tuple(sorted(values)),
        )

    @property
    def record_ids(self) -> list[str]:
        """Identity resolution's record ids (``customer:ID``, ``profile:KEY``)."""
        return [f"customer:{c}" for c in self.customer_ids] + [
            f"profile:{p}" for p in self.profile_keys
        ]

    @property
    def keys(self) -> dict[str, list[str]]:
        """The key lists every erasure statement takes."""
        return {
            "customer_ids": list(self.customer_ids),
            "profile_keys": list(self.profile_keys),
            "person_ids": list(self.person_ids),
            "clusters": list(self.clusters),
        }

    @cached_property
    def needles(self) -> list[str]:
        """Every string to look for, longest first (so a key wins over its native id)."""
        found = {
            text
            for text in map(
                distinctive,
                [
                    *self.customer_ids,
                    *self.profile_keys,
                    *self.person_ids,
                    *self.post_keys,
                    *self.record_ids,
                    *self.values,
                ],
            )
            if text
        }
        return sorted(found, key=lambda text: (-len(text), text))

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.needles:
            return None
        alternatives = "|".join(re.escape(needle) for needle in self.needles)
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)

    def holds(self, value: Any) -> bool:
        """True when ``value`` (text, or any item of a list/map) names the erased person."""
        if isinstance(value, str):
            return self.pattern is not None and self.pattern.search(value) is not None
        if isinstance(value, list | tuple):
            return any(self.holds(item) for item in value)
        if isinstance(value, dict):
            return any(self.holds(item) for item in value.values())
        return False

    def scrub(self, value: Any) -> Any:
        """``value`` without the person: in text each match becomes ``[erased]`` (JSON text
        is parsed and scrubbed structurally); a list loses the items that name them."""
        if isinstance(value, str):
            if not self.holds(value):
                return value
            stripped = value.strip()
            if stripped[:1] in "{[":
                try:
                    parsed = json.loads(stripped)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict | list):
                    return json.dumps(self._scrub_json(parsed), ensure_ascii=False)
            assert self.pattern is not None
            return self.pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [item for item in value if not self.holds(item)]
        return value

    def _scrub_json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: self._scrub_json(item) for name, item in value.items()}
        if isinstance(value, list):
            # An entry about the person (a neighbour, a member) goes as a whole.
            return [self._scrub_json(item) for item in value if not self.holds(item)]
        return self.scrub(value) if isinstance(value, str) else value

    def scrub_properties(self, properties: dict[str, Any]) -> dict[str, Any] | None:
        """The scrubbed properties, or None when nothing in them names the person."""
        changed = {name: self.scrub(value) for name, value in properties.items()}
        return changed if changed != properties else None
