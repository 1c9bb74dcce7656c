"""Stage 3: comparisons with graded levels, computed for many pairs at once.

A :class:`Comparison` turns pairs of records (two index arrays into a frame) into one
level per pair: level 0 means *missing* (one side has no value; Bayes factor 1), levels
1..K go from the strongest agreement (exact) to disagreement. String similarity is
Jaro–Winkler (Winkler 1990) or token-set ratio from rapidfuzz, computed element-wise in C
(``rapidfuzz.process.cpdist``), so a million pairs take about a second per comparison.

The factories below cover the comparison types of the declarative settings (name,
first_name, surname, date, postcode, phone, email, address, free text, exact id) and the
social ones (nickname-aware given names, handles, claimed handles, bios naming the other
record, follow-neighbourhood overlap).
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from srm.arrays import Rows, shared_weight

T = TypeVar("T")

__all__ = [
    "CHUNK_PAIRS",
    "Comparison",
    "both_present",
    "comparison_levels",
    "date_comparison",
    "email_comparison",
    "exact_comparison",
    "frame_derived",
    "given_name_comparison",
    "nonempty",
    "rarest_shared_token_share",
    "same_value",
    "shared_tokens",
    "string_comparison",
    "surname_set_comparison",
    "text_comparison",
    "token_overlap_comparison",
    "token_sets",
    "value_codes",
]

# Pairs compared at once by comparison_levels (see there).
CHUNK_PAIRS = 1 << 22
# From this many pairs a comparison with ``by_values`` compares each distinct pair of
# values once (finding them is a sort of the pairs: below this it costs more than it saves).
DISTINCT_VALUES_FROM = 100_000

Compute = Callable[[pd.DataFrame, np.ndarray, np.ndarray, Mapping[str, Any]], np.ndarray]


@dataclass(frozen=True)
class Comparison:
    """One comparison: ``levels`` are the labels of levels 1..K (0 is missing),
    ``phrases`` say each level in words for explanations, ``tf_column`` (optional) makes
    the exact level's Bayes factor depend on how common the value is (term frequency).
    ``tf_partial`` extends that to level 2, a partial agreement: ``"value"`` when level 2
    still means the same ``tf_column`` value (the same formal first name written as a
    nickname), ``"tokens"`` when it means one shared token (one surname in common), whose
    rarest shared token then sets the frequency. ``m_prior`` (optional, one per level) are
    pseudo-counts of matching pairs added to each EM update of ``m`` (a Dirichlet prior,
    MAP-EM): explicit evidence that few pairs show keeps a sensible ``m`` on small or new
    data, and the data outweigh it where it is common. ``u_pseudo`` is the pseudo-count
    each level gets when ``u`` is counted on random pairs: 1 (Laplace) by default; an
    exact account or URL key that no random pair shares deserves far less, as one key
    points to one record of all. ``ordered`` (optional) says its first levels are ordered,
    each at least the evidence of the next (two accounts that link each other say more
    than one linking the other): scoring keeps their Bayes factors in that order even
    where the data fitted the rarer, stronger level lower. ``by_values`` (optional) names
    the frame columns the levels depend on, and nothing else: pairs of records with the
    same values then get the same level, so each distinct pair of values is compared
    once (among millions of blocked pairs there are few distinct pairs of first names)."""

    name: str
    levels: tuple[str, ...]
    phrases: tuple[str, ...]
    compute: Compute
    tf_column: str | None = None
    tf_partial: str | None = None
    m_prior: tuple[float, ...] = ()
    u_pseudo: float = 1.0
    ordered: int = 0
    by_values: tuple[str, ...] = ()

    def __call__(
        self,
        frame: pd.DataFrame,
        left: np.ndarray,
        right: np.ndarray,
        context: Mapping[str, Any] | None = None,
    ) -> np.ndarray:
        if not self.by_values or len(left) < DISTINCT_VALUES_FROM:
            return self.compute(frame, left, right, context or {}).astype(np.int8)
        codes = value_codes(frame, self.by_values)
        pair = codes[left] * (int(codes.max()) + 1) + codes[right]
        # distinct pairs of values by hashing (a sort of millions of pairs cost 3–7× more)
        numbers, distinct = pd.factorize(pair)
        chosen = np.empty(len(distinct), dtype=np.int64)  # one pair of records for each
        chosen[numbers[::-1]] = np.arange(len(pair) - 1, -1, -1)
        levels = self.compute(frame, left[chosen], right[chosen], context or {})
        return levels.astype(np.int8)[numbers]


# Per live frame (by id, checked by a weak reference), what was derived from its columns
# (value codes, token sets): computed once, not once per chunk of pairs — at millions of
# records and hundreds of chunks, that repeated work outgrew the comparisons themselves.
_DERIVED: dict[int, tuple[weakref.ref[pd.DataFrame], dict[Hashable, Any]]] = {}


def frame_derived(frame: pd.DataFrame, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` computed once per live ``frame`` and ``key`` (the frame is not changed
    once its pairs are compared)."""
    frame_id = id(frame)
    entry = _DERIVED.get(frame_id)
    if entry is None or entry[0]() is not frame:
        entry = (weakref.ref(frame, lambda _: _DERIVED.pop(frame_id, None)), {})
        _DERIVED[frame_id] = entry
    if key not in entry[1]:
        entry[1][key] = make()
    return cast(T, entry[1][key])


def value_codes(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """One code per record: equal codes, equal values in every one of ``columns``."""

    def make() -> np.ndarray:
        found = np.zeros(len(frame), dtype=np.int64)
        for column in columns:
            codes, values = pd.factorize(frame[column], use_na_sentinel=False)
            found = pd.factorize(found * (len(values) + 1) + codes)[0].astype(np.int64)
        return found

    return frame_derived(frame, ("value codes", columns), make)


def nonempty(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Whether each record's ``column`` is not empty (once per frame: a pair's test then
    reads two booleans, not two Python strings scattered over the frame's memory)."""
    return frame_derived(frame, ("nonempty", column), lambda: (frame[column] != "").to_numpy())


def both_present(
    frame: pd.DataFrame, column: str, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Whether both records of each pair hold a ``column`` value (:func:`nonempty`)."""
    present = nonempty(frame, column)
    return present[left] & present[right]


def same_value(frame: pd.DataFrame, column: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether records ``left[k]`` and ``right[k]`` hold the same ``column`` value, from
    value codes held once per frame (see :func:`nonempty`)."""
    codes = value_codes(frame, (column,))
    return np.asarray(codes[left] == codes[right])


def _token_rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, Rows]:
    """Each record's set of space-separated tokens of each of ``columns``, as
    :class:`~srm.arrays.Rows` of token numbers shared by the columns (once per frame)."""

    def make() -> dict[str, Rows]:
        vocabulary: dict[str, int] = {}
        held: dict[str, tuple[array[int], array[int]]] = {}
        for column in columns:
            rows, members = held[column] = array("q"), array("q")
            for k, value in enumerate(frame[column].to_numpy(dtype=object).tolist()):
                if value:
                    for token in str(value).split():
                        rows.append(k)
                        members.append(vocabulary.setdefault(token, len(vocabulary)))
        width = max(len(vocabulary), 1)
        return {
            column: Rows.from_pairs(np.frombuffer(rows, dtype=np.int64),
                                    np.frombuffer(members, dtype=np.int64), len(frame), width)
            for column, (rows, members) in held.items()
        }  # fmt: skip

    return frame_derived(frame, ("token rows", columns), make)


def shared_tokens(
    frame: pd.DataFrame, column: str, left: np.ndarray, right: np.ndarray, other: str | None = None
) -> np.ndarray:
    """How many space-separated tokens record ``left[k]``'s ``column`` shares with record
    ``right[k]``'s (``other`` column when given), as sets (none when either is empty).
    From token numbers held once per frame, by binary search: no string of either record
    is read per pair (at millions of records, reading them cost more than the rest)."""
    other = other or column
    rows = _token_rows(frame, tuple(sorted({column, other})))
    ones = np.ones(rows[column].width)
    second = None if other == column else rows[other]
    return shared_weight(rows[column], ones, left, right, other=second).astype(np.int16)


def _token_counts(values: pd.Series) -> np.ndarray:
    return np.array([len(v.split()) if isinstance(v, str) else 0 for v in values], dtype=np.int16)


def token_sets(frame: pd.DataFrame, column: str, records: np.ndarray) -> dict[int, frozenset[str]]:
    """The space-separated tokens of ``column`` as a set, for each of ``records`` (only
    those a chunk of pairs needs: a set per record of millions would cost gigabytes)."""
    values = frame[column].to_numpy(dtype=object)
    return {k: frozenset(values[k].split()) for k in np.unique(records).tolist()}


def _values(frame: pd.DataFrame, column: str, index: np.ndarray) -> np.ndarray:
    return frame[column].to_numpy(dtype=object)[index]


def _similarity(a: np.ndarray, b: np.ndarray, scorer: Any) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0)
    return np.asarray(process.cpdist(list(a), list(b), scorer=scorer, workers=-1), dtype=np.float64)


def _graded(a: np.ndarray, b: np.ndarray, thresholds: tuple[float, ...], scorer: Any) -> np.ndarray:
    """Levels: 0 missing, 1 exact, 2.. for each threshold passed, last = below all."""
    missing = (a == "") | (b == "")
    exact = a == b
    similarity = _similarity(a, b, scorer)
    level = np.full(len(a), len(thresholds) + 2, dtype=np.int8)
    for offset, threshold in reversed(list(enumerate(thresholds))):
        level[similarity >= threshold] = offset + 2
    level[exact] = 1
    level[missing] = 0
    return level


def string_comparison(
    name: str,
    column: str,
    thresholds: tuple[float, ...] = (0.92, 0.8),
    *,
    term_frequency: bool = True,
) -> Comparison:
    """Exact / Jaro–Winkler ≥ each threshold / different."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        a, b = _values(frame, column, left), _values(frame, column, right)
        return _graded(a, b, thresholds, JaroWinkler.normalized_similarity)

    levels = ("exact", *(f"jaro-winkler ≥ {t}" for t in thresholds), "different")
    phrases = (
        f"same {name}",
        *(f"very similar {name}" if i == 0 else f"similar {name}" for i in range(len(thresholds))),
        f"different {name}",
    )
    return Comparison(
        name, levels, phrases, compute, column if term_frequency else None, by_values=(column,)
    )


def text_comparison(name: str, column: str, thresholds: tuple[float, ...] = (90, 70)) -> Comparison:
    """Free text and addresses: exact / token-set ratio ≥ each threshold / different."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        a, b = _values(frame, column, left), _values(frame, column, right)
        return _graded(a, b, thresholds, token_set_ratio)

    levels = ("exact", *(f"token-set ≥ {t}" for t in thresholds), "different")
    phrases = (f"same {name}", f"nearly the same {name}", f"partly the same {name}",
               f"different {name}")[: len(levels)]  # fmt: skip
    return Comparison(name, levels, phrases, compute, column)


def exact_comparison(
    name: str, column: str, *, edits: int = 0, term_frequency: bool = True
) -> Comparison:
    """Exact / (optionally) within ``edits`` Levenshtein edits / different: ids, postcodes,
    phones (a typed digit wrong is an edit)."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        level = np.where(same_value(frame, column, left, right), 1, 3 if edits else 2)
        level = level.astype(np.int8)
        if edits:
            a, b = _values(frame, column, left), _values(frame, column, right)
            distance = _similarity(a, b, Levenshtein.distance)
            level[(level == 3) & (distance <= edits)] = 2
        level[~both_present(frame, column, left, right)] = 0
        return level

    levels = ("exact", f"≤ {edits} edits", "different") if edits else ("exact", "different")
    phrases = (
        (f"same {name}", f"{name} one typo apart", f"different {name}")
        if edits
        else (f"same {name}", f"different {name}")
    )
    return Comparison(name, levels, phrases, compute, column if term_frequency else None)


def date_comparison(name: str, column: str) -> Comparison:
    """Dates as digit strings: exact / one edit / day and month swapped / different."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        a, b = _values(frame, column, left), _values(frame, column, right)
        distance = _similarity(a, b, Levenshtein.distance)
        swapped = np.array(
            [
                len(x) == 8 and len(y) == 8 and x[:4] + x[6:] + x[4:6] == y
                for x, y in zip(a, b, strict=False)
            ],
            dtype=bool,
        )
        level = np.full(len(a), 4, dtype=np.int8)
        level[swapped] = 3
        level[distance <= 1] = 2
        level[a == b] = 1
        level[(a == "") | (b == "")] = 0
        return level

    return Comparison(
        name,
        ("exact", "1 edit", "day/month swapped", "different"),
        (f"same {name}", f"{name} one typo apart", f"{name} with day and month swapped",
         f"different {name}"),
        compute,
        column,
    )  # fmt: skip


def given_name_comparison(
    name: str,
    given: str,
    raw: str,
    initial: str,
    related: Callable[[str, str], bool] | None = None,
    named: str | None = None,
) -> Comparison:
    """Given names with nicknames: same as written / same formal name (Paco ~ Francisco) /
    Jaro–Winkler ≥ 0.9, or one is a part of the other, compound, name (Jesús ~ María
    Jesús) / only an initial, and it agrees / different. ``related`` (optional) tells
    more forms of one name apart from the canonical ``given`` (Bill ~ William). With
    ``named`` (a column, empty where the record's name does not read as a person's name:
    a pseudonym), "different" counts only when both sides are names."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        ga, gb = _values(frame, given, left), _values(frame, given, right)
        ra, rb = _values(frame, raw, left), _values(frame, raw, right)
        ia, ib = _values(frame, initial, left), _values(frame, initial, right)
        similarity = _similarity(ra, rb, JaroWinkler.normalized_similarity)
        level = np.full(len(ga), 5, dtype=np.int8)
        level[((ga == "") | (gb == "")) & (ia == ib) & (ia != "")] = 4
        part = np.array(
            [
                a != b and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")
                for a, b in zip(ga, gb, strict=True)
            ],
            dtype=bool,
        )
        level[((similarity >= 0.9) | part) & (ga != "") & (gb != "")] = 3
        level[(ga == gb) & (ga != "")] = 2
        if related is not None:
            rest = np.flatnonzero((level > 2) & (ga != "") & (gb != ""))
            forms = [related(a, b) for a, b in zip(ga[rest], gb[rest], strict=True)]
            level[rest[np.asarray(forms, dtype=bool)]] = 2
        level[(ra == rb) & (ga == gb) & (ga != "")] = 1
        level[(ia == "") | (ib == "")] = 0
        _unnamed_differ_as_missing(frame, named, left, right, level, 5)
        return level

    return Comparison(
        name,
        ("exact", "same formal name", "jaro-winkler ≥ 0.9", "initial agrees", "different"),
        ("same first name", "first names are forms of one name (nickname)",
         "very similar first names", "first initial agrees", "different first names"),
        compute,
        given,
        "value",
        by_values=(given, raw, initial, *([named] if named else [])),
    )  # fmt: skip


def _unnamed_differ_as_missing(
    frame: pd.DataFrame,
    named: str | None,
    left: np.ndarray,
    right: np.ndarray,
    level: np.ndarray,
    different: int,
) -> None:
    """Level ``different`` becomes 0 (no evidence) where either side's ``named`` is empty:
    "Nomad Vinyl" is not a different name from "Alexander Turner", it is no name at all."""
    if named is None:
        return
    values = frame[named].to_numpy(dtype=object)
    level[(level == different) & ((values[left] == "") | (values[right] == ""))] = 0


def _over_token_sets(
    a: np.ndarray,
    b: np.ndarray,
    measure: Callable[[frozenset[str], frozenset[str]], float],
    dtype: Any,
) -> np.ndarray:
    """``measure`` of the space-separated token sets of each pair ``a[k]``, ``b[k]`` (0
    when either side is empty). Each distinct value is split once and each distinct pair
    of values measured once: millions of pairs hold far fewer distinct ones."""
    out = np.zeros(len(a), dtype=dtype)
    present = np.flatnonzero((a != "") & (b != ""))
    if len(present) == 0:
        return out
    codes, values = pd.factorize(np.concatenate([a[present], b[present]]))
    sets = [frozenset(str(value).split()) for value in values]
    left, right = codes[: len(present)], codes[len(present) :]
    pairs, inverse = np.unique(left.astype(np.int64) * len(values) + right, return_inverse=True)
    measured = np.array(
        [measure(sets[x], sets[y]) for x, y in zip(*np.divmod(pairs, len(values)), strict=True)],
        dtype=dtype,
    )
    out[present] = measured[inverse]
    return out


def rarest_shared_token_share(
    a: np.ndarray, b: np.ndarray, share: Mapping[str, float]
) -> np.ndarray:
    """Per pair, the ``share`` (of records holding it) of the rarest token both sides
    hold; 0 when they share none."""
    return _over_token_sets(
        a, b, lambda x, y: min((share.get(t, 0.0) for t in x & y), default=0.0), np.float64
    )


def surname_set_comparison(
    name: str, column: str, first: str, named: str | None = None
) -> Comparison:
    """Surname tokens (Spanish double surnames): all shared / one side's surnames all in
    the other's (a second surname left out: "García" ~ "García López") / one shared but
    another differs ("García López" ~ "García Pérez": siblings and namesakes, rarely one
    person) / Jaro–Winkler ≥ 0.9 on the first / different (``named``: as for
    :func:`given_name_comparison`)."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        a, b = _values(frame, column, left), _values(frame, column, right)
        fa, fb = _values(frame, first, left), _values(frame, first, right)
        sizes = frame_derived(frame, ("token counts", column), lambda: _token_counts(frame[column]))
        shared = shared_tokens(frame, column, left, right)
        similarity = _similarity(fa, fb, JaroWinkler.normalized_similarity)
        level = np.full(len(a), 5, dtype=np.int8)
        level[similarity >= 0.9] = 4
        level[shared >= 1] = 3
        level[(shared >= 1) & (shared == np.minimum(sizes[left], sizes[right]))] = 2
        level[(shared >= 2) | ((a == b) & (a != ""))] = 1
        level[(a == "") | (b == "")] = 0
        _unnamed_differ_as_missing(frame, named, left, right, level, 5)
        return level

    return Comparison(
        name,
        ("all shared", "one's within the other's", "one shared, another differs",
         "jaro-winkler ≥ 0.9", "different"),
        ("same surnames", "the same surname, a second one left out",
         "a surname in common but another different", "similar surnames",
         "different surnames"),
        compute,
        column,
        "tokens",
        by_values=(column, first, *([named] if named else [])),
    )  # fmt: skip


def token_overlap_comparison(
    name: str, left_column: str, right_column: str | None = None, *, phrase: str = ""
) -> Comparison:
    """Shared token between two space-separated sets (either direction when
    ``right_column`` is given: a bio naming the other's handle) / none shared."""
    other = right_column or left_column

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        one, two = nonempty(frame, left_column), nonempty(frame, other)
        forward = shared_tokens(frame, left_column, left, right, other) > 0
        if right_column is None:
            hit = forward
            present = one[left] & two[right]
        else:
            hit = forward | (shared_tokens(frame, other, left, right, left_column) > 0)
            present = (one[left] & two[right]) | (two[left] & one[right])
        level = np.where(hit, 1, 2).astype(np.int8)
        level[~present] = 0
        return level

    return Comparison(
        name, ("shared", "none shared"), (phrase or f"same {name}", f"different {name}"), compute
    )


def email_comparison(name: str, email: str, local: str) -> Comparison:
    """E-mail: exact / same local part, other domain / Jaro–Winkler ≥ 0.88 local / different."""

    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        a, b = _values(frame, email, left), _values(frame, email, right)
        la, lb = _values(frame, local, left), _values(frame, local, right)
        similarity = _similarity(la, lb, JaroWinkler.normalized_similarity)
        level = np.full(len(a), 4, dtype=np.int8)
        level[similarity >= 0.88] = 3
        level[(la == lb) & (la != "")] = 2
        level[(a == b) & (a != "")] = 1
        level[(a == "") | (b == "")] = 0
        return level

    return Comparison(
        name,
        ("exact", "same local part", "similar local part", "different"),
        ("same e-mail", "same e-mail name at another provider", "similar e-mail",
         "different e-mails"),
        compute,
        email,
    )  # fmt: skip


def comparison_levels(
    comparisons: list[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    context: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """The comparison vectors (Fellegi & Sunter's γ): one row per pair, one int8 column
    per comparison (every blocked pair's are held as patterns instead:
    :mod:`srm.graph.identity.levels`).

    Pairs are compared :data:`CHUNK_PAIRS` at a time: a comparison's temporaries (the
    values of both sides, per pair) then stay bounded however many pairs there are."""
    out = np.zeros((len(left), len(comparisons)), dtype=np.int8)
    for start in range(0, len(left), CHUNK_PAIRS):
        rows = slice(start, start + CHUNK_PAIRS)
        for column, comparison in enumerate(comparisons):
            out[rows, column] = comparison(frame, left[rows], right[rows], context)
    return out
