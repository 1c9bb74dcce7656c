"""Stage 5: pairs above a threshold become persons — with a guard against chaining.

Plain connected components chain: A~B and B~C put A and C together even when A and C are
clearly different people (two namesakes linked through a vague third record). The rule
used here is explicit and splink-independent:

1. reviewed *accepted* pairs are merged first, and they are transitive: records joined by a
   chain of accepts are one person on the reviewer's word, which no veto or conflict rule
   below parts; reviewed *rejected* pairs are cannot-links (they win over such a chain);
2. the remaining pairs at or above ``threshold`` are merged strongest first (Kruskal's
   order, so a person is a maximum spanning forest of its links);
3. a merge of two groups is **refused** when it would put in one person a rejected pair,
   a compared pair whose own probability is below ``veto`` (its comparison says the two
   are different people: namesakes chained through a third record), or two records that
   *conflict* by a :class:`ConflictRule` (two CRM customers with different e-mails, two
   profiles on the same platform) unless that pair is itself linked directly at or above
   the threshold (for a *strict* rule — CRM customers sharing no contact detail — only a
   reviewer's accept lifts it). Refusing the merge is the same as
   cutting the person at its weakest link: that link is the last one tried.

Stable person ids (:func:`assign_person_ids`): a new cluster keeps the id of the previous
person it overlaps most when that overlap holds at least half of the cluster; other
clusters get a new id derived from their smallest record id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from srm.arrays import pair_codes

__all__ = ["ConflictRule", "PairSet", "assign_person_ids", "cluster_pairs"]


class PairSet:
    """A set of record pairs, either order, held as sorted integer codes ``low * n +
    high``: millions of pairs without a Python object each (a tuple in a set costs about
    150 bytes; a code, 8). ``(a, b) in pairs`` is a binary search."""

    def __init__(self, n: int, a: np.ndarray, b: np.ndarray) -> None:
        self.n = max(int(n), 1)
        self.codes = pair_codes(a, b, self.n)

    def any_of(self, a: Iterable[int], b: Iterable[int]) -> bool:
        """Whether one of the pairs ``(a[i], b[i])`` is in the set."""
        wanted = pair_codes(np.fromiter(a, np.int64), np.fromiter(b, np.int64), self.n)
        found = np.searchsorted(self.codes, wanted)
        hit = found < len(self.codes)
        return bool((self.codes[found[hit]] == wanted[hit]).any())

    def __contains__(self, pair: object) -> bool:
        assert isinstance(pair, tuple)
        low, high = sorted((int(pair[0]), int(pair[1])))
        code = low * self.n + high
        found = int(np.searchsorted(self.codes, code))
        return found < len(self.codes) and int(self.codes[found]) == code

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class ConflictRule:
    """Two records conflict when both have a value in ``values`` and the values differ
    (``when='differ'``: e-mails of customers), are equal (``when='equal'``: the platform
    of two profiles) or, as space-separated token sets, share only their first token
    (``when='share none'``: customers with no contact detail in common). A ``strict``
    rule is overridden only by an accepted pair, not by a direct link over the threshold;
    with ``keyed`` (record index pairs, smaller first) only by an accepted pair or a direct
    link over the threshold that is also in ``keyed`` (pairs sharing a key: an e-mail, a
    phone, an account link)."""

    name: str
    values: Sequence[str]
    when: str = "differ"
    strict: bool = False
    keyed: Collection[tuple[int, int]] | None = None

    def clash(self, a: int, b: int) -> bool:
        x, y = self.values[a], self.values[b]
        if not x or not y:
            return False
        if self.when == "share none":
            return len(set(x.split()) & set(y.split())) <= 1
        return x != y if self.when == "differ" else x == y


class _Groups:
    def __init__(self, n: int):
        self.parent = np.arange(n)
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return int(root)

    def members_of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, a: int, b: int) -> None:
        if len(self.members_of(a)) < len(self.members_of(b)):
            a, b = b, a
        self.members[a] = self.members_of(a) + self.members_of(b)
        self.members.pop(b, None)
        self.parent[b] = a


# Pairs looked at once when picking the vetoed pairs that matter (one byte a pair).
_CHUNK = 1 << 22


def _within_reach(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    below: np.ndarray,
    strong: np.ndarray,
    must: Sequence[tuple[int, int]],
) -> np.ndarray:
    """The pairs marked in ``below`` whose two records the merges could ever put in one
    person: joined by a chain of strong or accepted links (one component of that graph).
    Every group the merges build lies in one component, so a vetoed pair across
    components is never asked about; most of millions of vetoed pairs (namesakes with no
    link between them) need not be held."""
    ends = np.array(must, dtype=np.int64).reshape(-1, 2)
    a = np.concatenate([left[strong], ends[:, 0]])
    b = np.concatenate([right[strong], ends[:, 1]])
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    component = connected_components(graph, directed=False)[1]
    found = []
    for start in range(0, len(left), _CHUNK):
        rows = slice(start, start + _CHUNK)
        joined = component[left[rows]] == component[right[rows]]
        found.append(start + np.flatnonzero(below[rows] & joined))
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def cluster_pairs(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    *,
    conflicts: Sequence[ConflictRule] = (),
    accepted: Iterable[tuple[int, int]] = (),
    rejected: Iterable[tuple[int, int]] = (),
    veto: float = 0.0,
    vetoed: np.ndarray | None = None,
) -> np.ndarray:
    """A cluster label (0..k-1, in order of first record) for each of ``n`` records;
    a compared pair with a probability below ``veto`` is a cannot-link (rule 3), or, when
    ``vetoed`` is given, a pair it marks (the score before a penalty that only says
    "unsure", not "different": :meth:`srm.graph.identity.predict.ScoredPairs.vetoed`)."""
    groups = _Groups(n)
    strong = np.flatnonzero(probability >= threshold)
    order = strong[np.argsort(-probability[strong], kind="stable")]
    direct = PairSet(n, left[strong], right[strong])
    must = [(int(a), int(b)) for a, b in accepted]
    # A reviewer's accepts are transitive: records joined by a chain of accepts are one
    # person on their word, so neither a veto nor a conflict rule parts two of them.
    vouched = _Groups(n)
    for a, b in must:
        root_a, root_b = vouched.find(a), vouched.find(b)
        if root_a != root_b:
            vouched.union(root_a, root_b)
    vouched_root = np.array([vouched.find(x) for x in range(n)]) if must else np.arange(n)
    below = probability < veto if vetoed is None else vetoed
    unlikely = _within_reach(n, left, right, below, strong, must)
    # cannot-links: vetoed pairs (unless vouched for) and rejected ones
    low, high = left[unlikely], right[unlikely]
    kept = vouched_root[low] != vouched_root[high]
    refused = [(a, b) for a, b in rejected]
    cannot = PairSet(
        n,
        np.concatenate([low[kept], np.array([a for a, _ in refused], dtype=np.int64)]),
        np.concatenate([high[kept], np.array([b for _, b in refused], dtype=np.int64)]),
    )
    reviewed = {(min(a, b), max(a, b)) for a, b in must}

    def allowed(root_a: int, root_b: int) -> bool:
        members_a, members_b = groups.members_of(root_a), groups.members_of(root_b)
        if len(cannot) and cannot.any_of(
            (x for x in members_a for _ in members_b), (y for _ in members_a for y in members_b)
        ):
            return False
        for rule in conflicts:
            for x in members_a:
                for y in members_b:
                    pair = (min(x, y), max(x, y))
                    exempt = pair in reviewed or (not rule.strict and pair in direct)
                    if rule.clash(x, y) and vouched_root[x] != vouched_root[y] and (
                        not exempt
                        or (rule.keyed is not None and pair not in rule.keyed
                            and pair not in reviewed)
                    ):  # fmt: skip
                        return False
        return True

    strong_pairs = zip(left[order].tolist(), right[order].tolist(), strict=True)
    for a, b in chain(must, strong_pairs):
        root_a, root_b = groups.find(a), groups.find(b)
        if root_a != root_b and allowed(root_a, root_b):
            groups.union(root_a, root_b)
    roots = np.array([groups.find(x) for x in range(n)])
    _, labels = np.unique(roots, return_inverse=True)
    first_seen: dict[int, int] = {}
    for label in labels:
        first_seen.setdefault(int(label), len(first_seen))
    return np.array([first_seen[int(label)] for label in labels], dtype=np.int64)


def _mint(record_id: str, taken: set[str]) -> str:
    base = "P-" + hashlib.sha256(record_id.encode()).hexdigest()[:12]
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def assign_person_ids(
    record_ids: Sequence[str], labels: np.ndarray, previous: Mapping[str, str]
) -> list[str]:
    """A person id per record: kept from ``previous`` (record id → person id) by overlap
    (see module doc), new otherwise."""
    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(index)
    candidates: list[tuple[int, str, int]] = []
    for label, members in clusters.items():
        overlap = Counter(previous[record_ids[i]] for i in members if record_ids[i] in previous)
        for person_id, count in overlap.items():
            if 2 * count >= len(members):
                candidates.append((count, person_id, label))
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for _count, person_id, label in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if label not in chosen and person_id not in used:
            chosen[label] = person_id
            used.add(person_id)
    taken = used | set(previous.values())
    out = [""] * len(record_ids)
    for label, members in clusters.items():
        if label not in chosen:
            chosen[label] = _mint(min(record_ids[i] for i in members), taken)
            taken.add(chosen[label])
        for i in members:
            out[i] = chosen[label]
    return out
