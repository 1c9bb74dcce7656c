"""Identity resolution on CRM customers and social profiles, graph evidence included.

The stages of :mod:`srm.graph.identity` wired for the social graph (pure: no database):

1. records normalised by :func:`srm.graph.identity.records.social_records`;
2. blocking rules unioned (:func:`social_rules`);
3. comparisons (:func:`social_comparisons`): names with nicknames, handles, the CRM row's
   claimed handle, e-mail, phone, city, employer, web domains, a bio naming the other, the
   platform — and graph evidence: overlap of follow/mention neighbourhoods weighted like
   Adamic & Adar (2003), mutual mentions, same community;
4. Fellegi–Sunter model fitted by EM;
5. clusters with the anti-chaining guard (customers with different e-mails, two profiles on
   one platform) and reviewed decisions.

Neighbourhoods of two accounts on different platforms share no profile, so they are
compared through *persons* (collective resolution, Bhattacharya & Getoor 2007): a first
pass without graph evidence clusters the records, each neighbour is replaced by its
first-pass cluster, and the second pass scores the pairs with the graph comparisons in the
same Fellegi–Sunter sum.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from srm.arrays import Rows, distinct, held_in, shared_weight
from srm.graph.identity.blocking import BlockingResult, BlockingRule, block, on_columns, on_tokens
from srm.graph.identity.comparisons import (
    Comparison,
    both_present,
    comparison_levels,
    exact_comparison,
    frame_derived,
    given_name_comparison,
    nonempty,
    same_value,
    shared_tokens,
    string_comparison,
    surname_set_comparison,
    token_overlap_comparison,
)
from srm.graph.identity.competition import platform_codes
from srm.graph.identity.conflicts import keyed_pairs, social_conflicts
from srm.graph.identity.evidence import (
    account_link_comparison,
    city_comparison,
    organisation_comparison,
    personal_url_comparison,
)
from srm.graph.identity.labels import labels_to_teach, learn_from_labels
from srm.graph.identity.levels import pattern_levels
from srm.graph.identity.model import Model, estimate_u, fit_sessions
from srm.graph.identity.names import personal_name_marks, related_given_names
from srm.graph.identity.predict import ScoredPairs, score_pairs, scored_persons
from srm.graph.identity.records import RecordPairs
from srm.neo4j_memory import available_memory_mb
from srm.progress import Step, silent

__all__ = [
    "DEFAULT_THRESHOLD",
    "GRAPH_COMPARISONS",
    "Resolution",
    "resolve_records",
    "social_comparisons",
    "social_rules",
]

GRAPH_COMPARISONS = ("follow neighbourhood", "mentions", "community")
# Pairs at or above this probability are merged: even odds, the Bayes decision for a
# calibrated posterior. On generated bundles pairwise F1 changes little from 0.5 to 0.7
# (50k people: 0.937–0.939; 2k people, seed 11: 0.988–0.989) and falls above (0.929 and
# 0.985 at 0.8).
DEFAULT_THRESHOLD = 0.5
# A compared pair below this probability never shares a person, whatever links them
# through others (cluster rule 3): the clearest case is a CRM record matching, by name
# alone, one person's account and a namesake's account on another platform whose
# contacts share nothing. 50k people, seed 7: F1 0.940 off, 0.945 at 0.001 and 0.01,
# 0.944 at 0.03; 2k people, seeds 3, 7, 11: unchanged or up by 0.0002. Kept low, so a
# misfitted model cannot split true cross-platform persons with it.
VETO = 0.001
_NON_ALNUM = re.compile(r"[^a-z0-9]")
# What the stages after blocking add to memory per blocked pair at their peak (levels,
# probabilities, live pairs and their rivals, clustering): 28 bytes a pair measured at
# 321M pairs (20M follows). A run that cannot have it is told so before it starts them.
BYTES_PER_PAIR = 28
log = logging.getLogger(__name__)


def _positional(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with the index 0…n−1 (rows are numbered by position throughout). An
    index already so is kept: ``reset_index`` copies every column (a pointer per record
    and column: about 0.9 GB at 3.5M records), which the caller still holds."""
    index = records.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return records
    return records.reset_index(drop=True)


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    # columns are shared with ``frame`` (at millions of records a copy of every column
    # costs hundreds of megabytes) and only ever replaced here, never written into
    out = frame.copy(deep=False)
    is_customer = out["source"] == "customer"
    out["handle"] = out["claimed"].where(is_customer, out["handle"])
    out["handle_key"] = out["handle"].map(lambda h: _NON_ALNUM.sub("", h))
    out["bio_refs"] = (out["bio_handles"] + " " + out["bio_emails"]).str.strip()
    out["self_refs"] = (out["handle"] + " " + out["email"]).str.strip()
    out["customer_email"] = out["email"].where(is_customer, "")
    out["profile_platform"] = out["platform"].where(~is_customer, "")
    out["x_handle"] = out["handle"].where(out["platform"] == "x", "")
    # a CRM row's twitter column is its claimed-handle evidence; its key only blocks
    out["link_refs"] = out["account_refs"].where(~is_customer, "")
    # a compound first name is often shortened to its last part (María Jesús → Chus → jesus)
    out["given_last"] = out["given"].str.split().str[-1].fillna("")
    out["named"] = personal_name_marks(out, is_customer)
    if "community" not in out.columns:
        out["community"] = ""
    return out


def social_rules() -> list[BlockingRule]:
    """Unioned blocking rules for customers and profiles.

    A key held by many records says little about any two of them, and its block's pairs
    grow as its square: a phone held by more than 50 records is a switchboard, not a
    person's (as an account or URL key), and a first name with a surname held by more than
    300 is compared through the rules that add a city. On `srm generate`'s 20M-follow graph
    (3.5M records) the uncapped phone and name blocks made 730M pairs; on its 5M graph no
    true pair was found by them alone."""
    return [
        on_columns("surname1", "initial", "city"),
        on_columns("surname1", "given", max_block=300),
        on_columns("given", "city", max_block=300),
        on_columns("email"),
        on_columns("phone", max_block=50),
        on_columns("handle_key"),
        on_tokens("handle_numbers", max_block=50),
        on_tokens("claimed", "x_handle"),
        on_tokens("bio_refs", "self_refs"),
        on_columns("surname1", "given_last", "city"),
        on_tokens("account_refs", "account_self", max_block=50),
        on_tokens("account_refs", max_block=50),
        on_tokens("url_keys", max_block=50),
        on_columns("organisation", max_block=50),
        on_columns("surname1", "initial", max_block=50),
        on_columns("given", "surname1", prefix=3, max_block=300),
    ]


def _handle_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        # codes and flags held once per frame: no handle string is read per pair
        level = np.full(len(left), 3, dtype=np.int8)
        level[shared_tokens(frame, "handle_numbers", left, right) > 0] = 2
        level[same_value(frame, "handle_key", left, right)] = 1
        level[~both_present(frame, "handle_key", left, right)] = 0
        return level

    return Comparison(
        "handle",
        ("same handle", "same number in handle", "different"),
        ("same handle", "handles carry the same number", "different handles"),
        compute,
        "handle_key",
        # no ``by_values``: handles are nearly all distinct, and the compute reads codes
        # held per frame, cheaper than finding the distinct pairs of values
    )


def _either_way(
    frame: pd.DataFrame, source: str, target: str, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs where one record holds ``source`` (the left record's first) and the other
    ``target``: their positions, that ``source`` value and the other record's ``target``.
    Emptiness is read from flags held per frame; strings only for these pairs (few: a CRM
    record's employer or claimed handle)."""
    has_source, has_target = nonempty(frame, source), nonempty(frame, target)
    from_left = has_source[left]
    other_has = np.where(from_left, has_target[right], has_target[left])
    present = np.flatnonzero((from_left | has_source[right]) & other_has)
    a, b, first = left[present], right[present], from_left[present]
    sources, targets = frame[source].to_numpy(dtype=object), frame[target].to_numpy(dtype=object)
    return (
        present,
        np.where(first, sources[a], sources[b]),
        np.where(first, targets[b], targets[a]),
    )


def _claim_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        # the claim as seen from each pair: (claimed handle, the other record's X handle)
        present, claim, handle = _either_way(frame, "claimed", "x_handle", left, right)
        similar = np.zeros(len(present), dtype=bool)
        if len(present):
            # handles get renamed (``ana_g`` → ``ana_g_old``): a CRM record may list an
            # earlier form of the handle
            score = process.cpdist(
                list(claim), list(handle), scorer=JaroWinkler.normalized_similarity
            )
            contained = [x in y or y in x for x, y in zip(claim, handle, strict=True)]
            similar = (np.asarray(score) >= 0.9) | np.asarray(contained, dtype=bool)
        level = np.zeros(len(left), dtype=np.int8)
        level[present] = np.where(claim == handle, 1, np.where(similar, 2, 3))
        return level

    return Comparison(
        "claimed handle",
        ("claims this profile", "claims a similar handle", "claims another profile"),
        ("the CRM record lists this profile's handle",
         "the CRM record lists a handle like this profile's (renamed?)",
         "the CRM record lists another handle"),
        compute,
    )  # fmt: skip


def _employer_in_bio_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        # the employer a CRM row names, seen in the other record's bio (either way round)
        present, named, text = _either_way(frame, "company", "bio_words", left, right)
        level = np.zeros(len(left), dtype=np.int8)
        found = [f" {a} " in f" {b} " for a, b in zip(named, text, strict=True)]
        level[present] = np.where(np.asarray(found, dtype=bool), 1, 2)
        return level

    return Comparison(
        "employer in bio",
        ("bio names the employer", "bio does not name it"),
        ("the profile's bio names the CRM record's employer",
         "the profile's bio does not name the CRM record's employer"),
        compute,
    )  # fmt: skip


def _platform_comparison() -> Comparison:
    def compute(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, _: Any) -> np.ndarray:
        level = np.where(same_value(frame, "profile_platform", left, right), 1, 2)
        level = level.astype(np.int8)
        level[~both_present(frame, "profile_platform", left, right)] = 0
        return level

    return Comparison(
        "platform",
        ("same platform", "different platforms"),
        ("both accounts on one platform", "accounts on different platforms"),
        compute,
    )


def _neighbourhood_comparison() -> Comparison:
    def compute(
        frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, context: Mapping[str, Any]
    ) -> np.ndarray:
        level = np.zeros(len(left), dtype=np.int8)
        neighbours: Rows | None = context.get("neighbours")
        if neighbours is None:
            return level
        total: np.ndarray = context["neighbour_total"]
        both = np.flatnonzero((total[left] > 0) & (total[right] > 0))
        a, b = left[both], right[both]
        shared = shared_weight(neighbours, context["neighbour_weight"], a, b)
        score = shared / (total[a] + total[b] - shared)
        level[both] = np.where(score >= 0.2, 1, np.where(score >= 0.05, 2, 3))
        return level

    return Comparison(
        "follow neighbourhood",
        ("strong overlap", "some overlap", "no overlap"),
        ("follow and mention the same people (strong overlap)",
         "follow and mention some of the same people", "no shared contacts"),
        compute,
    )  # fmt: skip


def _mention_comparison() -> Comparison:
    def compute(
        frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, context: Mapping[str, Any]
    ) -> np.ndarray:
        # who mentions whom, as codes mentioning * n + mentioned (see _graph_context)
        said: np.ndarray = context.get("mention_codes", np.zeros(0, dtype=np.int64))
        is_profile = frame_derived(
            frame, "is profile", lambda: (frame["source"] == "profile").to_numpy()
        )
        n = max(len(frame), 1)
        left, right = left.astype(np.int64), right.astype(np.int64)
        forward, backward = held_in(said, left * n + right), held_in(said, right * n + left)
        level = np.where(forward & backward, 1, np.where(forward | backward, 2, 3))
        level[~(is_profile[left] & is_profile[right])] = 0
        return level.astype(np.int8)

    return Comparison(
        "mentions",
        ("mention each other", "one mentions the other", "no mentions"),
        ("the accounts mention each other", "one account mentions the other",
         "neither mentions the other"),
        compute,
    )  # fmt: skip


def social_comparisons(*, with_graph: bool = True) -> list[Comparison]:
    """The comparisons for customers and profiles (graph evidence optional)."""
    made = [
        given_name_comparison(
            "first name", "given", "raw_given", "initial", related_given_names, "named"
        ),
        surname_set_comparison("surname", "surnames", "surname1", "named"),
        _handle_comparison(),
        _claim_comparison(),
        exact_comparison("e-mail", "email"),
        exact_comparison("e-mail name", "email_local"),
        exact_comparison("phone", "phone", term_frequency=False),
        city_comparison(),
        string_comparison("employer", "company", (0.9,)),
        _employer_in_bio_comparison(),
        token_overlap_comparison("web domain", "domains"),
        token_overlap_comparison(
            "bio names the other", "bio_refs", "self_refs", phrase="a bio names the other record"
        ),
        _platform_comparison(),
        account_link_comparison(),
        personal_url_comparison(),
        organisation_comparison(),
    ]
    if with_graph:
        made += [
            _neighbourhood_comparison(),
            _mention_comparison(),
            exact_comparison("community", "community", term_frequency=False),
        ]
    return made


def _graph_context(
    frame: pd.DataFrame, follows: np.ndarray, mentions: np.ndarray, labels: np.ndarray
) -> dict[str, Any]:
    n = len(frame)
    edges = np.concatenate([follows.reshape(-1, 2), mentions.reshape(-1, 2)]).astype(np.int64)
    # each record's neighbours, as first-pass persons (labels), either direction
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    members = np.asarray(labels, dtype=np.int64)[np.concatenate([edges[:, 1], edges[:, 0]])]
    # A CRM record has no contacts of its own; the profile it claims lends it its
    # neighbourhood (the claim is data, not a first-pass guess, so no circularity).
    x_profile = {h: i for i, h in enumerate(frame["x_handle"]) if h}
    lent = [(i, x_profile[c]) for i, c in enumerate(frame["claimed"]) if c and c in x_profile]
    if lent:
        borrower, lender = np.array(lent, dtype=np.int64).T
        keep = ~np.isin(rows, borrower)
        rows, members = rows[keep], members[keep]
        copies = Rows.from_pairs(rows, members, n)
        rows = np.concatenate([rows, np.repeat(borrower, copies.sizes()[lender])])
        members = np.concatenate([members, copies.of(lender)])
    neighbours = Rows.from_pairs(rows, members, n)
    # Adamic–Adar: a person many records are linked to says little about any two of them
    degree = np.bincount(neighbours.members, minlength=neighbours.width)
    weight = 1.0 / np.log(2.0 + degree)
    return {
        "neighbours": neighbours,
        "neighbour_weight": weight,
        # each record's summed neighbour weight, counted once for every chunk of pairs
        "neighbour_total": np.bincount(
            np.repeat(np.arange(n), neighbours.sizes()),
            weights=weight[neighbours.members],
            minlength=n,
        ),
        "mention_codes": distinct(mentions[:, 0] * max(n, 1) + mentions[:, 1]),
    }


@dataclass
class Resolution:
    """Everything a resolution produced, each stage inspectable."""

    frame: pd.DataFrame
    blocked: BlockingResult
    comparisons: list[Comparison]
    model: Model
    scored: ScoredPairs
    labels: np.ndarray
    threshold: float
    seconds: dict[str, float] = field(default_factory=dict)


# Training sessions: the pairs of some blocking rules, and the comparisons their keys
# decide (ignored in that session's EM).
_SESSIONS = (
    ((0,), frozenset({"first name", "surname", "city"})),
    ((3, 4, 5, 6, 7), frozenset({"handle", "e-mail", "phone", "claimed handle"})),
)


def _sessions(blocked: BlockingResult) -> list[tuple[np.ndarray, frozenset[str]]]:
    return [(blocked.found_by(numbers), ignored) for numbers, ignored in _SESSIONS]


def _pairs_index(frame: pd.DataFrame, pairs: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    position = {r: i for i, r in enumerate(frame["record_id"])}
    return [(position[a], position[b]) for a, b in pairs if a in position and b in position]


def _edges(frame: pd.DataFrame, pairs: Iterable[tuple[str, str]]) -> np.ndarray:
    """Record-id pairs (a :class:`~srm.graph.identity.records.RecordPairs` or any pairs)
    as an (m, 2) int64 array of rows of ``frame``; pairs with a record outside it dropped."""
    held = pairs if isinstance(pairs, RecordPairs) else RecordPairs.of(pairs)
    position = {r: i for i, r in enumerate(frame["record_id"])}
    rows = np.array([position.get(r, -1) for r in held.ids], dtype=np.int64)
    found = rows[held.pairs]
    return found[(found >= 0).all(axis=1)]


def resolve_records(
    records: pd.DataFrame,
    *,
    follows: Iterable[tuple[str, str]] = (),
    mentions: Iterable[tuple[str, str]] = (),
    model: Model | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
    with_graph: bool = True,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    learn: bool = True,
    on_step: Step = silent,
) -> Resolution:
    """Resolve normalised ``records`` into persons (see module doc).

    ``follows``/``mentions`` are record-id pairs; ``accepted``/``rejected`` are reviewed
    record-id pairs (must-link / cannot-link, and labels the model is refitted on:
    :mod:`srm.graph.identity.labels`; ``learn=False`` only forces them); ``model`` skips
    fitting (its comparisons must match). ``threshold`` None: learned from the labels when
    there are enough (a loaded model's own when it has one), else
    :data:`DEFAULT_THRESHOLD`. ``on_step`` is told each stage as it starts, in words."""
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    chosen = threshold
    if threshold is None:
        threshold = float((model.notes if model else {}).get("threshold", DEFAULT_THRESHOLD))
    frame = _prepare(_positional(records))
    must, cannot = _pairs_index(frame, accepted), _pairs_index(frame, rejected)
    on_step(f"blocking {len(frame):,} records")
    blocked = block(frame, social_rules())
    seconds["blocking"] = time.perf_counter() - clock
    platforms = platform_codes(frame)
    all_pairs = len(frame) * (len(frame) - 1) // 2
    context: dict[str, Any] = {}
    fitting = with_graph or model is None
    sessions = _sessions(blocked) if fitting else []
    base = social_comparisons(with_graph=False)
    comparisons = social_comparisons(with_graph=with_graph)
    _warn_if_short_of_memory(len(blocked.left))
    on_step(f"comparing {len(blocked.left):,} pairs")
    # Every pair's levels as a pattern number (srm.graph.identity.levels): the base
    # comparisons first; the graph comparisons' columns are added after the first pass.
    base_gamma = pattern_levels(base, frame, blocked.left, blocked.right)
    conflicts = social_conflicts(
        frame, keyed_pairs(base, base_gamma, blocked.left, blocked.right, len(frame))
    )
    base_u = estimate_u(base, frame) if fitting else {}
    if with_graph:
        on_step(f"first pass: scoring and clustering {len(blocked.left):,} pairs")
        first = fit_sessions(base, base_gamma, base_u, sessions, total_pairs=all_pairs)
        # Only the labels are kept: the first pass's scores (a weight per pair and
        # comparison) would otherwise stay in memory beside the second pass's.
        first_labels = scored_persons(first, base, frame, blocked.left, blocked.right,
            base_gamma, platforms, conflicts, threshold, VETO, must, cannot)[1]  # fmt: skip
        context = _graph_context(
            frame, _edges(frame, follows), _edges(frame, mentions), first_labels
        )
        seconds["first_pass"] = time.perf_counter() - clock - seconds["blocking"]
    # The graph comparisons come after the base ones: only they need computing again
    # (u from the same seeded random pairs, so the base columns are the same either way).
    graph = comparisons[len(base) :]
    if graph:
        on_step(f"comparing the follows and mentions of {len(blocked.left):,} pairs")
    gamma = (
        base_gamma.extended(graph, frame, blocked.left, blocked.right, context)
        if graph
        else base_gamma
    )
    del base_gamma
    fitted_here = model is None
    if model is None:
        on_step("fitting the model")
        labelled = must + cannot
        labelled_gamma = _levels(comparisons, frame, None, context, labelled) if labelled else None
        # u again on random pairs the first pass did not put in one person: at a few
        # thousand records one random pair in ~3,000 is a match, and those matches, not
        # chance, are most of the random pairs that link each other or share a key
        u = (
            estimate_u(comparisons, frame, context=context, groups=first_labels)
            if with_graph
            else base_u
        )
        model = fit_sessions(
            comparisons,
            gamma,
            u,
            sessions,
            labelled_gamma=labelled_gamma,
            labels=np.array([1.0] * len(must) + [0.0] * len(cannot)) if labelled else None,
            total_pairs=all_pairs,
        )
        model.notes["labels"] = len(labelled)
    # From here only the levels are read: the training sessions' pair masks (a byte a pair
    # each) and the graph context (0.7 GB at 20M follows) go before the pairs are scored.
    del sessions, context
    if fitted_here and learn and labelled_gamma is not None:
        alone = scored_persons(model, comparisons, frame, blocked.left, blocked.right,
            gamma, platforms, conflicts, threshold, VETO)[1]  # fmt: skip
        before = score_pairs(model, comparisons, frame, *_ends(labelled), gamma=labelled_gamma)
        teach = labels_to_teach(
            before.probability, np.array([1] * len(must) + [0] * len(cannot)),
            np.array([alone[a] == alone[b] for a, b in labelled], dtype=bool), threshold,
        )  # fmt: skip
        model, learned = learn_from_labels(
            model, comparisons, frame, (*_ends(labelled), labelled_gamma),
            np.array([1.0] * len(must) + [0.0] * len(cannot)), gamma=gamma,
            total_pairs=all_pairs, default_threshold=threshold, teach=teach,
        )  # fmt: skip
        threshold = learned if chosen is None else threshold
    on_step(f"scoring and clustering {len(blocked.left):,} pairs")
    scored, labels = scored_persons(model, comparisons, frame, blocked.left, blocked.right,
        gamma, platforms, conflicts, threshold, VETO, must, cannot)  # fmt: skip
    seconds["total"] = time.perf_counter() - clock
    return Resolution(frame, blocked, comparisons, model, scored, labels, threshold, seconds)


def _warn_if_short_of_memory(pairs: int) -> None:
    """A warning when the memory the system can hand out now is less than what ``pairs``
    blocked pairs will take (:data:`BYTES_PER_PAIR`): better said now than found out when
    the system stops the run, most of an hour in at 20M follows."""
    needed_mb = pairs * BYTES_PER_PAIR // 2**20
    free_mb = available_memory_mb()
    if needed_mb > free_mb:
        log.warning(
            "identity resolution: %s blocked pairs will take about %s MiB more memory, and "
            "%s MiB is available; the system may stop the run. Free memory, or give a local "
            "Neo4j less while it runs (SRM_NEO4J_HEAP_MB, SRM_NEO4J_PAGECACHE_MB; "
            "docs/identity.md, 'Memory and time at scale').",
            f"{pairs:,}", f"{needed_mb:,}", f"{free_mb:,}",
        )  # fmt: skip


def _ends(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([a for a, _ in pairs], dtype=np.int64),
        np.array([b for _, b in pairs], dtype=np.int64),
    )


def _levels(
    comparisons: list[Comparison],
    frame: pd.DataFrame,
    blocked: BlockingResult | None,
    context: dict[str, Any] | None = None,
    pairs: list[tuple[int, int]] | None = None,
) -> np.ndarray:
    if pairs is not None:
        left, right = _ends(pairs)
    else:
        assert blocked is not None
        left, right = blocked.left, blocked.right
    return comparison_levels(comparisons, frame, left, right, context)
