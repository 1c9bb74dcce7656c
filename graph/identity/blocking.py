"""Stage 2: blocking — which pairs of records are compared at all.

Comparing every pair is quadratic; blocking compares only pairs that share a key under at
least one rule, and the rules are *unioned* (Christen 2012, "Data Matching", ch. 4): a
pair missed by one rule (a typo in the surname) is usually caught by another (the same
e-mail, phone or handle number). Each rule's key may be a list (every token of a handle),
and a cross rule joins one column to another (a CRM row's claimed handle to profiles'
handles). Blocks larger than ``max_block`` are skipped — a key that common carries no
evidence and would make the job quadratic again — and the skipped keys are reported.

:func:`blocking_report` measures, on labelled data, the pair recall (true pairs that
survive blocking) and the share of all pairs compared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import Any

import numpy as np
import pandas as pd

from srm.arrays import distinct, ranges, run_starts, unordered_codes

__all__ = [
    "BlockingReport",
    "BlockingRule",
    "block",
    "blocking_report",
    "on_columns",
    "on_tokens",
    "true_pair_count",
]

Keys = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class BlockingRule:
    """Pairs that share a key. ``keys`` gives each record's key (a string or a list of
    strings; empty means none); with ``other_keys`` a record's ``keys`` must equal the
    other record's ``other_keys`` instead (cross rule)."""

    name: str
    keys: Keys
    other_keys: Keys | None = None
    max_block: int = 2000


def on_columns(*columns: str, prefix: int | None = None, max_block: int = 2000) -> BlockingRule:
    """Rule: all ``columns`` equal (each cut to its first ``prefix`` characters)."""

    def keys(frame: pd.DataFrame) -> pd.Series:
        parts = [frame[c].astype(str) if prefix is None else frame[c].str[:prefix] for c in columns]
        joined = parts[0]
        empty = parts[0] == ""
        for part in parts[1:]:
            joined = joined + "\x1f" + part
            empty |= part == ""
        return joined.where(~empty, "")

    name = "+".join(columns) + (f"[:{prefix}]" if prefix else "")
    return BlockingRule(name, keys, max_block=max_block)


def on_tokens(
    column: str, other: str | None = None, *, also: str | None = None, max_block: int = 2000
) -> BlockingRule:
    """Rule: a shared token of the space-separated ``column`` (joined with ``other`` when
    given, for cross rules); ``also`` adds an equal column to the key (token + city)."""

    def tokens_of(name: str) -> Keys:
        def keys(frame: pd.DataFrame) -> pd.Series:
            split = frame[name].str.split()
            if also is None:
                return split
            extra = frame[also]
            return pd.Series(
                [
                    [f"{t}\x1f{e}" for t in ts] if e else []
                    for ts, e in zip(split, extra, strict=False)
                ],
                index=frame.index,
            )

        return keys

    label = f"tokens({column}{'→' + other if other else ''}{'+' + also if also else ''})"
    return BlockingRule(
        label, tokens_of(column), tokens_of(other) if other else None, max_block=max_block
    )


def _record_keys(keys: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each record's non-empty keys (a string or a list of strings per record) as
    parallel (record index, key) lists."""
    values = keys.tolist()
    if any(isinstance(value, list) for value in values):
        lists = [value if isinstance(value, list) else [value] for value in values]
        lengths = np.fromiter((len(found) for found in lists), dtype=np.int64, count=len(lists))
        index = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
        flat = list(chain.from_iterable(lists))
    else:
        index, flat = np.arange(len(values), dtype=np.int64), values
    present = np.fromiter(
        (isinstance(key, str) and key != "" for key in flat), dtype=bool, count=len(flat)
    )
    return index[present], [key for key, keep in zip(flat, present, strict=True) if keep]


def _distinct(index: np.ndarray, code: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (record, key code) pairs, sorted by key code."""
    both = distinct(code * max(n, 1) + index)
    return both % max(n, 1), both // max(n, 1)


# Pairs of one rule generated at once, at most: its blocks are taken a slice at a time, so
# the pairs of a rule with hundreds of millions never exist as index arrays at once.
_SLICE_PAIRS = 1 << 23


def _slices(partners: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of positions whose partners add up to about :data:`_SLICE_PAIRS` each."""
    total = np.cumsum(partners)
    if not len(total) or total[-1] <= _SLICE_PAIRS:
        return [(0, len(partners))]
    cuts = np.searchsorted(total, np.arange(_SLICE_PAIRS, int(total[-1]), _SLICE_PAIRS))
    bounds = sorted({0, *(int(c) + 1 for c in cuts), len(partners)})
    return list(pairwise(bounds))


def _rule_codes(frame: pd.DataFrame, rule: BlockingRule) -> tuple[np.ndarray, int]:
    """The pairs of records sharing a key under ``rule`` (both ways round for a cross
    rule, self-pairs removed) as sorted distinct codes ``low × n + high``, and the number
    of keys skipped as too common.

    Keys become integer codes and pairs are generated block by block from sorted codes:
    no joined table of key strings, and a slice of blocks at a time (:data:`_SLICE_PAIRS`),
    so memory stays about two integers per pair of the rule."""
    n = len(frame)
    left_index, left_keys = _record_keys(rule.keys(frame))
    right_keys: list[str] = []
    if rule.other_keys is None:
        right_index = left_index
    else:
        right_index, right_keys = _record_keys(rule.other_keys(frame))
    codes, uniques = pd.factorize(pd.Series(left_keys + right_keys, dtype=object))
    keys = len(uniques)
    left_index, left_code = _distinct(left_index, codes[: len(left_keys)].astype(np.int64), n)
    sizes = np.bincount(left_code, minlength=keys)
    big = sizes > rule.max_block
    left_index, left_code = left_index[~big[left_code]], left_code[~big[left_code]]
    if rule.other_keys is None:
        # within a block (sorted by code), each record pairs with those after it
        sizes[big] = 0
        ends = np.cumsum(sizes)[left_code]
        starts = np.arange(len(left_index), dtype=np.int64) + 1
        partners = ends - starts
        targets = left_index
    else:
        right_index, right_code = _distinct(
            right_index, codes[len(left_keys) :].astype(np.int64), n
        )
        keep = ~big[right_code]
        targets, right_code = right_index[keep], right_code[keep]
        right_sizes = np.bincount(right_code, minlength=keys)
        starts = (np.cumsum(right_sizes) - right_sizes)[left_code]
        partners = right_sizes[left_code]
    out = np.empty(int(partners.sum()), dtype=np.int64)
    filled = 0
    for low, high in _slices(partners):
        a = np.repeat(left_index[low:high], partners[low:high])
        b = targets[ranges(starts[low:high], partners[low:high])]
        if rule.other_keys is not None:
            keep = a != b
            a, b = a[keep], b[keep]
        out[filled : filled + len(a)] = unordered_codes(a, b, n)
        filled += len(a)
    out = out[:filled]
    out.sort()
    return out[run_starts(out)], int(big.sum())


@dataclass
class BlockingResult:
    """Candidate pairs (``left < right``, int32 record indices while they fit), pairs found
    per rule, skipped big keys, and per pair which rules found it (``rules``: bit ``k``
    set when rule ``k`` did) — a few bytes a pair, where each rule's own list of pairs
    would cost eight bytes a pair and rule."""

    left: np.ndarray
    right: np.ndarray
    per_rule: dict[str, int] = field(default_factory=dict)
    skipped_keys: dict[str, int] = field(default_factory=dict)
    rules: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8), repr=False)
    n: int = 0

    def found_by(self, rules: Sequence[int]) -> np.ndarray:
        """Per candidate pair, whether one of the rules numbered ``rules`` found it."""
        wanted = sum(1 << k for k in rules)
        if not wanted:
            return np.zeros(len(self.left), dtype=bool)
        return (self.rules & self.rules.dtype.type(wanted)) != 0

    def pairs_of(self, rule: int) -> tuple[np.ndarray, np.ndarray]:
        """The candidate pairs rule number ``rule`` found."""
        found = self.found_by([rule])
        return self.left[found], self.right[found]


def _bits_type(rules: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned integer type with a bit per rule."""
    for kind in (np.uint8, np.uint16, np.uint32, np.uint64):
        if rules <= np.iinfo(kind).bits:
            return kind
    raise ValueError(f"{rules} blocking rules: at most 64 are supported.")


def _index_type(n: int) -> type[np.signedinteger[Any]]:
    """int32 for record indices when every one fits, else int64."""
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def block(
    frame: pd.DataFrame, rules: list[BlockingRule], *, dataset: str | None = None
) -> BlockingResult:
    """Union of the rules' pairs over ``frame``; with ``dataset`` (a column) only pairs
    across different datasets are kept (record linkage rather than deduplication)."""
    n = len(frame)
    encoded: list[np.ndarray] = []
    per_rule: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for rule in rules:
        codes, skipped_keys = _rule_codes(frame, rule)
        if skipped_keys:
            skipped[rule.name] = skipped_keys
        per_rule[rule.name] = len(codes)
        encoded.append(codes)
    kind, index = _bits_type(len(rules)), _index_type(n)
    groups = frame[dataset].to_numpy() if dataset is not None else None
    # the union is written into arrays sized for every code (an upper bound: pages never
    # written take no memory), not gathered in parts and copied once more at the end
    room = sum(len(codes) for codes in encoded)
    left_out, right_out = np.empty(room, dtype=index), np.empty(room, dtype=index)
    found_out = np.empty(room, dtype=kind)
    filled = 0
    bounds = _part_bounds(encoded)
    for low, high in pairwise(bounds):
        # each rule's codes in [low, high): a slice of its sorted array, no copy
        pieces = [
            codes[np.searchsorted(codes, low) : np.searchsorted(codes, high)] for codes in encoded
        ]
        union = distinct(np.concatenate(pieces)) if pieces else np.zeros(0, dtype=np.int64)
        found = np.zeros(len(union), dtype=kind)
        for number, piece in enumerate(pieces):
            # each rule's codes are distinct and all in the union: their positions there
            found[np.searchsorted(union, piece)] |= kind(1 << number)
        left, right = (union // max(n, 1)).astype(index), (union % max(n, 1)).astype(index)
        del union, pieces
        if groups is not None:
            across = groups[left] != groups[right]
            left, right, found = left[across], right[across], found[across]
        span = slice(filled, filled + len(left))
        left_out[span], right_out[span], found_out[span] = left, right, found
        filled += len(left)
    encoded.clear()
    return BlockingResult(
        left_out[:filled], right_out[:filled], per_rule, skipped, found_out[:filled], n
    )


# Codes of all rules united at once, at most: the union is built part by part over ranges
# of codes, so its sort and copies stay bounded while every rule's codes are held.
_PART_CODES = 1 << 23


def _part_bounds(encoded: list[np.ndarray]) -> list[int]:
    """Bounds of ranges of pair codes each holding about :data:`_PART_CODES` of the rules'
    codes (the last bound past every code), from a sample of each rule's sorted codes."""
    total = sum(len(codes) for codes in encoded)
    parts = max(1, -(-total // _PART_CODES))
    top = max((int(codes[-1]) for codes in encoded if len(codes)), default=0) + 1
    if parts == 1:
        return [0, top]
    step = max(1, total // (parts * 64))
    sample = np.sort(np.concatenate([codes[::step] for codes in encoded]))
    inner = sample[(np.arange(1, parts) * len(sample)) // parts]
    return [0, *sorted(set(inner.tolist()) - {0}), top]


def true_pair_count(labels: np.ndarray, groups: np.ndarray | None = None) -> int:
    """Number of true pairs in a labelling (records with the same label); with ``groups``
    (datasets) only pairs across groups count."""
    frame = pd.DataFrame({"label": labels})
    if groups is None:
        sizes = frame.groupby("label").size().to_numpy(dtype=np.int64)
        return int((sizes * (sizes - 1) // 2).sum())
    frame["group"] = groups
    counts = frame.groupby(["label", "group"]).size().unstack(fill_value=0).to_numpy(np.int64)
    total = counts.sum(axis=1)
    return int(((total**2 - (counts**2).sum(axis=1)) // 2).sum())


@dataclass(frozen=True)
class BlockingReport:
    """Pair recall (share of true pairs compared) and share of all pairs compared."""

    pairs_compared: int
    all_pairs: int
    true_pairs: int
    true_pairs_compared: int

    @property
    def pair_recall(self) -> float:
        return self.true_pairs_compared / self.true_pairs if self.true_pairs else 1.0

    @property
    def share_compared(self) -> float:
        return self.pairs_compared / self.all_pairs if self.all_pairs else 0.0


def blocking_report(
    result: BlockingResult, labels: np.ndarray, groups: np.ndarray | None = None
) -> BlockingReport:
    """Measure ``result`` against true ``labels`` (one per record of the blocked frame)."""
    n = len(labels)
    if groups is None:
        all_pairs = n * (n - 1) // 2
    else:
        sizes = pd.Series(groups).value_counts().to_numpy(np.int64)
        all_pairs = int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)
    hits = int((labels[result.left] == labels[result.right]).sum())
    return BlockingReport(len(result.left), all_pairs, true_pair_count(labels, groups), hits)
