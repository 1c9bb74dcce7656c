"""Comparisons for explicit cross-references, places, organisations, and the rule that
keeps CRM customers apart.

* account link: a record's own account keys (``account_self``) against the account keys
  the other presents as its own (``link_refs``, see :mod:`srm.graph.identity.references`):
  mutual links are the strongest evidence, a one-way link weaker, two records linking the
  same third account count too, and a link to *another* account on the other record's
  platform speaks against them (a stale or somebody else's link).
* personal URL: a shared URL key with its path (``github.com/someone``) — rare ones
  apart from ones many records hold (an organisation's site).
* city: the same gazetteer place, the same metro area (≤ :data:`METRO_KM`), the same
  country, different (:mod:`srm.graph.identity.places`).
* organisation: two organisations compare by their whole name; an organisation and a
  person are different kinds.
* :func:`customer_contact_conflict`: CRM rows are different customers by default: two
  share a person only when they share an e-mail, phone or claimed handle, or a reviewer
  accepted them (Christen 2012 calls this a must-not-link constraint).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from srm.graph.identity.cluster import ConflictRule
from srm.graph.identity.comparisons import (
    Comparison,
    both_present,
    frame_derived,
    nonempty,
    same_value,
    token_sets,
)
from srm.graph.identity.places import METRO_KM

__all__ = [
    "account_link_comparison",
    "city_comparison",
    "customer_contact_conflict",
    "organisation_comparison",
    "personal_url_comparison",
]

# a URL key held by more records than this is an organisation's or a shared page
_PERSONAL_URL_HOLDERS = 5
# Prior pseudo-counts of matching pairs per level (see Comparison.m_prior), 100 pairs in
# all: before data says otherwise, a person's records that carry links link each other
# (either way) far more often than they link another account on the same platform.
_ACCOUNT_LINK_PRIOR = (30.0, 30.0, 10.0, 0.5, 29.5)
_URL_PRIOR = (30.0, 5.0, 5.0, 60.0)
_ORGANISATION_PRIOR = (80.0, 0.5, 19.5)
# people move and write where they live differently on each account: matching pairs do
# not always name one city, whatever a generator with fixed cities suggests
_CITY_PRIOR = (70.0, 10.0, 10.0, 10.0)
# u pseudo-count for levels that need one exact key shared (see Comparison.u_pseudo)
_KEY_PSEUDO_COUNT = 0.01


def _platforms(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(key.partition(":")[0] for key in keys)


def account_link_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        level = np.zeros(len(left), dtype=np.int8)
        candidates = np.flatnonzero(
            (frame["link_refs"].to_numpy(dtype=object)[left] != "")
            | (frame["link_refs"].to_numpy(dtype=object)[right] != "")
        )
        records = np.concatenate([left[candidates], right[candidates]])
        own = token_sets(frame, "account_self", records)
        refs = token_sets(frame, "link_refs", records)
        for k in candidates.tolist():
            a, b = int(left[k]), int(right[k])
            forward, backward = bool(refs[a] & own[b]), bool(refs[b] & own[a])
            if forward and backward:
                level[k] = 1
            elif forward or backward:
                level[k] = 2
            elif refs[a] & refs[b]:
                level[k] = 3
            elif _platforms(refs[a]) & _platforms(own[b]) or _platforms(refs[b]) & _platforms(
                own[a]
            ):
                level[k] = 4
            else:
                level[k] = 5
        return level

    return Comparison(
        "account link",
        ("link each other", "one links the other", "link the same account",
         "links another account there", "no link between them"),
        ("each account links the other as its own", "one account links the other as its own",
         "both link the same third account as their own",
         "one links a different account on the other's platform (stale or someone else's)",
         "their links name neither"),
        compute,
        m_prior=_ACCOUNT_LINK_PRIOR,
        u_pseudo=_KEY_PSEUDO_COUNT,
        ordered=2,
    )  # fmt: skip


def personal_url_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        values = frame["url_keys"].to_numpy(dtype=object)
        holders = frame_derived(
            frame, "url key holders", lambda: Counter(k for v in values for k in set(v.split()))
        )
        level = np.zeros(len(left), dtype=np.int8)
        level[(values[left] != "") | (values[right] != "")] = 4
        both = np.flatnonzero((values[left] != "") & (values[right] != ""))
        keys = token_sets(frame, "url_keys", np.concatenate([left[both], right[both]]))
        for k in both.tolist():
            shared = keys[int(left[k])] & keys[int(right[k])]
            if not shared:
                level[k] = 3
            elif min(holders[key] for key in shared) <= _PERSONAL_URL_HOLDERS:
                level[k] = 1
            else:
                level[k] = 2
        return level

    return Comparison(
        "personal URL",
        ("same personal URL", "same shared URL", "different URLs", "one links a page"),
        ("both link the same personal page", "both link a page many records link",
         "they link different pages", "only one of them links a page"),
        compute,
        m_prior=_URL_PRIOR,
        u_pseudo=_KEY_PSEUDO_COUNT,
        ordered=2,
    )  # fmt: skip


def city_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        known_country = nonempty(frame, "place_country")
        latitude = np.radians(frame["place_latitude"].to_numpy(dtype=np.float64))
        longitude = np.radians(frame["place_longitude"].to_numpy(dtype=np.float64))
        # haversine, vectorised; NaN where a place has no coordinates
        dphi = latitude[right] - latitude[left]
        dlambda = longitude[right] - longitude[left]
        h = np.sin(dphi / 2) ** 2 + np.cos(latitude[left]) * np.cos(latitude[right]) * (
            np.sin(dlambda / 2) ** 2
        )
        km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        level = np.full(len(left), 4, dtype=np.int8)
        level[same_value(frame, "place_country", left, right) & known_country[left]] = 3
        with np.errstate(invalid="ignore"):
            level[km <= METRO_KM] = 2
        level[same_value(frame, "city", left, right)] = 1
        level[~both_present(frame, "city", left, right)] = 0
        return level

    return Comparison(
        "city",
        ("same place", f"≤ {math.floor(METRO_KM)} km", "same country", "different"),
        ("same city", "places in one metro area", "places in one country", "different places"),
        compute,
        "city",
        m_prior=_CITY_PRIOR,
    )  # fmt: skip


def organisation_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        known = nonempty(frame, "organisation")
        a, b = known[left], known[right]
        level = np.full(len(left), 3, dtype=np.int8)
        level[a & b] = 2
        level[same_value(frame, "organisation", left, right) & a] = 1
        level[~a & ~b] = 0
        return level

    return Comparison(
        "organisation",
        ("same organisation", "different organisations", "organisation and person"),
        ("the same organisation's name", "two organisations with different names",
         "an organisation and a person"),
        compute,
        m_prior=_ORGANISATION_PRIOR,
    )  # fmt: skip


def _claim_owners(frame: pd.DataFrame) -> list[str]:
    """Per record, its claimed handle as a contact key (``""`` for none). CRM rows that
    claim one handle but share neither a given name nor a surname get keys of their own:
    a twitter column copied onto the wrong row, or left from an earlier customer, must not
    make two different customers one (``@jose_delgado_molina`` on the rows of José Ángel
    Delgado and of Duncan Woodward)."""
    keys = [""] * len(frame)
    holders: dict[str, list[int]] = {}
    for k, (source, claimed) in enumerate(zip(frame["source"], frame["claimed"], strict=True)):
        if source == "customer" and claimed:
            holders.setdefault(claimed, []).append(k)
    given, surnames = (
        frame["given"].to_numpy(dtype=object),
        frame["surnames"].to_numpy(dtype=object),
    )
    for claimed, rows in holders.items():
        names = [set(str(given[k]).split()) | set(str(surnames[k]).split()) for k in rows]
        owner = list(range(len(rows)))
        for i in range(len(rows)):
            for j in range(i):
                if names[i] & names[j] or not names[i] or not names[j]:
                    owner[i] = owner[j]
                    break
        for i, k in enumerate(rows):
            keys[k] = f"h:{claimed}" + (f"#{owner[i]}" if owner[i] else "")
    return keys


def customer_contact_conflict(frame: pd.DataFrame) -> ConflictRule:
    """Two CRM customers conflict unless they share an e-mail, a phone or a claimed handle
    (see module doc; a handle only between rows whose names share a word,
    :func:`_claim_owners`); only a reviewer's accept overrides it, not a strong score."""
    values = []
    for source, email, phone, claim in zip(
        frame["source"], frame["email"], frame["phone"], _claim_owners(frame), strict=True
    ):
        if source != "customer":
            values.append("")
            continue
        contacts = [f"e:{email}" if email else "", f"p:{phone}" if phone else "", claim]
        values.append(" ".join(["customer", *(c for c in contacts if c)]))
    return ConflictRule("customers sharing no contact detail", values, "share none", strict=True)
