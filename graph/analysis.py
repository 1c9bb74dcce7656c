"""Analysis jobs: project → compute → write back, each recorded as an AlgorithmRun.

These are what ``srm analyze`` and the demo call. Each job reads in bulk
(:func:`~srm.graph.projection.load_projection`), runs the pure functions of
:mod:`~srm.graph.influence`, :mod:`~srm.graph.communities`, :mod:`~srm.graph.reach` and
:mod:`~srm.graph.segments`, and writes results stamped with the run id
(:mod:`~srm.graph.writeback`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import Driver

from srm.errors import NotFoundError, ValidationError
from srm.graph import (
    communities,
    influence,
    person_communities,
    person_writeback,
    persons,
    reach,
    segments,
    writeback,
)
from srm.graph.projection import Projection, load_projection
from srm.graph.runs import DEFAULT_KEEP, Run, recorded_run
from srm.progress import Step, silent

__all__ = [
    "CommunityReport",
    "InfluenceReport",
    "ProjectionFilter",
    "run_cascade",
    "run_communities",
    "run_influence",
    "run_reach",
    "run_segments",
]

TEXT_MEMBERS = 50
SHOWN = 50


@dataclass(frozen=True)
class ProjectionFilter:
    """Which graph to analyse, and how edges weigh (see :func:`load_projection`)."""

    platforms: Sequence[str] | None = None
    brand: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    follow_weight: float = 1.0
    mention_weight: float = 1.0

    def load(self, driver: Driver, database: str | None, *, persons: bool = False) -> Projection:
        return load_projection(
            driver,
            database=database,
            persons=persons,
            platforms=self.platforms,
            brand=self.brand,
            since=self.since,
            until=self.until,
            follow_weight=self.follow_weight,
            mention_weight=self.mention_weight,
        )


def _read(
    run: Run,
    where: ProjectionFilter,
    driver: Driver,
    database: str | None,
    on_step: Step,
    *,
    persons: bool = False,
) -> Projection:
    """The graph a run analyses, read as its timed ``read`` step (with its accounts'
    persons when asked; the run records that read's own time as ``part_of_read_s``); the
    run records its size."""
    on_step("reading the graph")
    with run.timed("read"):
        projection = where.load(driver, database, persons=persons)
    run.graph_size = projection.size()
    if projection.part_of is not None:
        run.extra["part_of_read_s"] = round(projection.part_of.read_s, 4)
    return projection


@dataclass
class InfluenceReport:
    run_id: str
    result: influence.InfluenceResult
    timings: dict[str, float]
    by_person: persons.PersonInfluenceResult | None  # None: run without the person layer
    top: list[dict[str, Any]] = field(default_factory=list)
    top_persons: list[dict[str, Any]] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    # the PART_OF read's own time, inside the ``read`` step (beside the follows' read)
    part_of_read_s: float = 0.0


def run_influence(
    driver: Driver,
    *,
    where: ProjectionFilter | None = None,
    weights: Mapping[str, float] | None = None,
    damping: float = 0.85,
    betweenness_samples: int | None = 256,
    seed: int = 0,
    explain_top: int = 100,
    top: int = 10,
    keep: int = DEFAULT_KEEP,
    database: str | None = None,
    on_step: Step = silent,
    with_persons: bool = True,
) -> InfluenceReport:
    """Influence of every profile (see :func:`srm.graph.influence.influence_scores`) and of
    every person over its accounts (:func:`srm.graph.persons.person_influence`), written to
    the profiles and persons; returns the run id, timings (the person layer as
    ``persons``), and the ``top`` profiles and units (persons and lone accounts) with their
    explanation. ``with_persons=False`` leaves the person layer out (accounts only, no
    units, no PART_OF read): ``bench.persons`` times runs without it to measure what it
    adds."""
    where = where or ProjectionFilter()
    parameters = {
        **where.__dict__,
        "weights": dict(weights or influence.DEFAULT_WEIGHTS),
        "damping": damping,
        "betweenness_samples": betweenness_samples,
        "seed": seed,
    }
    with recorded_run(driver, "influence", parameters, database=database, keep=keep) as run:
        # the accounts' persons come with the projection (a scan of PART_OF beside the
        # follows'), so the person layer makes no read of its own before writing
        projection = _read(run, where, driver, database, on_step, persons=with_persons)
        on_step(f"scoring {projection.node_count:,} profiles")
        with run.timed("compute"):
            result = influence.influence_scores(
                projection,
                weights=weights,
                damping=damping,
                betweenness_samples=betweenness_samples,
                seed=seed,
            )
        on_step("writing scores")
        with run.timed("write"):
            run.extra["profiles_written"] = writeback.write_influence(
                driver, result, run.run_id, explain_top=explain_top, keep=keep, database=database
            )
        if projection.part_of is None:
            return _report(driver, run.run_id, result, run.timings, None, top, database)
        on_step("scoring persons")
        with run.timed("persons"), ThreadPoolExecutor(max_workers=1) as beside:
            # what earlier runs stamped on the persons is read while they are scored
            stored = beside.submit(
                person_writeback.stored_person_digests, driver, keep, database=database
            )
            units = persons.units_of_part_of(projection.keys, projection.part_of)
            by_person = persons.person_influence(result, units)
            run.extra["persons_written"] = person_writeback.write_person_influence(
                driver,
                by_person,
                run.run_id,
                projection.part_of.node_ids,
                explain_top=explain_top,
                keep=keep,
                stored=stored.result(),
                database=database,
            )
        run.extra["persons"] = len(by_person.persons())
    report = _report(driver, run.run_id, result, run.timings, by_person, top, database)
    report.part_of_read_s = projection.part_of.read_s
    return report


def _report(
    driver: Driver,
    run_id: str,
    result: influence.InfluenceResult,
    timings: dict[str, float],
    by_person: persons.PersonInfluenceResult | None,
    top: int,
    database: str | None,
) -> InfluenceReport:
    """The run's report: the ``top`` profiles and units explained, with handles and names."""
    best = [influence.explain(result, v, top=3) for v in result.ranking(top)]
    best_units = []
    if by_person is not None:
        ranked_units = by_person.ranking(top)
        by_person.prepare_incoming(ranked_units)
        best_units = [persons.explain_person(by_person, u, top=3) for u in ranked_units]
    shown = (
        {e["key"] for e in best}
        | {n["key"] for e in best for n in e["top_in_neighbours"]}
        | {a["key"] for e in best_units for a in e["accounts"]}
    )
    return InfluenceReport(
        run_id=run_id,
        result=result,
        timings=timings,
        by_person=by_person,
        top=best,
        top_persons=best_units,
        handles=writeback.handles(driver, shown, database=database),
        names=person_writeback.person_names(
            driver, [e["unit"] for e in best_units if e["is_person"]], database=database
        ),
    )


@dataclass
class CommunityReport:
    run_id: str
    algorithm: str
    modularity: float
    community_count: int
    summaries: list[communities.CommunitySummary]
    previous_run_id: str | None
    timings: dict[str, float]
    handles: dict[str, str] = field(default_factory=dict)
    in_persons: person_communities.CommunityPersons | None = None


def run_communities(
    driver: Driver,
    *,
    algorithm: str = "leiden",
    where: ProjectionFilter | None = None,
    resolution: float = 1.0,
    seed: int = 0,
    iterations: int = 2,
    min_size: int = 2,
    keep: int = DEFAULT_KEEP,
    database: str | None = None,
    on_step: Step = silent,
) -> CommunityReport:
    """Communities by Leiden or Louvain, ids matched to the previous run of the same
    algorithm, summaries (top members by PageRank, top hashtags/words of the first 50
    members' posts, customer share), the persons each holds and the persons bridging
    communities (:mod:`srm.graph.person_communities`), and IN links for communities of
    ``min_size`` or more."""
    if algorithm not in ("leiden", "louvain"):
        raise ValidationError(f"Unknown community algorithm '{algorithm}'; use leiden or louvain.")
    where = where or ProjectionFilter()
    parameters = {
        **where.__dict__,
        "resolution": resolution,
        "seed": seed,
        "iterations": iterations,
        "min_size": min_size,
    }
    previous_run, previous = writeback.previous_communities(driver, algorithm, database=database)
    with recorded_run(driver, algorithm, parameters, database=database, keep=keep) as run:
        projection = _read(run, where, driver, database, on_step, persons=True)
        on_step(f"finding communities among {projection.node_count:,} profiles")
        with run.timed("compute"):
            graph = communities.to_undirected(projection)
            if algorithm == "leiden":
                labels = communities.leiden(
                    graph, resolution=resolution, seed=seed, iterations=iterations
                )
            else:
                labels = communities.louvain(graph, resolution=resolution, seed=seed)
            value = communities.modularity(graph, labels, resolution=resolution)
            stable = communities.stable_ids(projection.keys, labels, previous)
            rank = influence.pagerank(projection)
        on_step("summarising communities")
        with run.timed("summarise"):
            customers = writeback.customer_profiles(driver, database=database)
            provisional = communities.summarize(
                projection.keys, stable, scores=rank, min_size=min_size, top_members=TEXT_MEMBERS
            )
            texts = writeback.post_texts(
                driver, (key for s in provisional for key in s.top_members), database=database
            )
            summaries = communities.summarize(
                projection.keys,
                stable,
                scores=rank,
                customers=customers,
                texts=texts,
                min_size=min_size,
            )
        on_step("counting persons")
        with run.timed("persons"):
            assert projection.part_of is not None  # read with its persons
            units = persons.units_of_part_of(projection.keys, projection.part_of)
            in_persons = person_communities.community_persons(
                units, stable.membership, kept=[summary.community_id for summary in summaries]
            )
        on_step("writing communities")
        with run.timed("write"):
            writeback.write_communities(
                driver,
                projection,
                stable,
                summaries,
                run.run_id,
                algorithm,
                person_counts=in_persons.person_counts,
                database=database,
            )
        run.extra = {
            "modularity": value,
            "communities": len(summaries),
            "previous_run_id": previous_run,
            "bridges": len(in_persons.bridges),
        }
    return CommunityReport(
        run_id=run.run_id,
        algorithm=algorithm,
        modularity=value,
        community_count=len(summaries),
        summaries=summaries,
        previous_run_id=previous_run,
        timings=run.timings,
        handles=writeback.handles(
            driver, (key for s in summaries[:SHOWN] for key in s.top_members), database=database
        ),
        in_persons=in_persons,
    )


def run_reach(
    driver: Driver,
    *,
    profile_key: str | None = None,
    person_id: str | None = None,
    write: bool = True,
    database: str | None = None,
) -> reach.Audience:
    """Unique audience within 1 and 2 hops of a profile, or of all a person's accounts;
    ``write`` stamps ``reach``/``reach_first_hop`` on the seed profiles."""
    if (profile_key is None) == (person_id is None):
        raise ValidationError("Give exactly one of a profile key or a person id.")
    seeds = (
        [profile_key]
        if profile_key is not None
        else writeback.person_profiles(driver, str(person_id), database=database)
    )
    if not seeds:
        raise NotFoundError(f"Person '{person_id}' has no profiles (PART_OF); check the id.")
    first = writeback.followers_of(driver, seeds, database=database)
    first_keys = {key for followers in first.values() for key in followers}
    second = writeback.followers_of(driver, first_keys, database=database)
    found = reach.audience(
        {**second, **first}, seeds, person_writeback.person_of_profiles(driver, database=database)
    )
    if write:
        parameters = {"profile_key": profile_key, "person_id": person_id}
        with recorded_run(driver, "reach", parameters, database=database) as run:
            run.extra = {
                "first_hop": found.first_hop,
                "within_two_hops": found.within_two_hops,
                "first_hop_persons": found.first_hop_persons,
                "within_two_hops_persons": found.within_two_hops_persons,
            }
            writeback.write_reach(driver, [found], run.run_id, database=database)
    return found


def run_cascade(driver: Driver, post_key: str, *, database: str | None = None) -> reach.Cascade:
    """The cascade of a post (see :func:`srm.graph.reach.cascade`)."""
    posts = writeback.cascade_posts(driver, post_key, database=database)
    if not posts:
        raise NotFoundError(f"No post with key '{post_key}'; keys look like platform:id.")
    authors = {post.author for post in posts if post.author}
    followers = writeback.followers_of(driver, authors, database=database)
    return reach.cascade(
        post_key, posts, followers, person_writeback.person_of_profiles(driver, database=database)
    )


def run_segments(
    driver: Driver,
    brand: str,
    *,
    write: bool = True,
    top_influencers: int = 20,
    database: str | None = None,
) -> tuple[str | None, segments.BrandSegments]:
    """Segments of ``brand`` against every other brand as competitor; customer-influencers
    ranked by the stored influence scores (run ``influence`` first for them)."""
    known = writeback.brands(driver, database=database)
    names = [row["name"] for row in known]
    if brand not in names:
        raise NotFoundError(
            f"No brand named '{brand}'. Known brands: {', '.join(names) or 'none'} "
            "(load one with srm ingest --brand NAME --official HANDLE)."
        )
    customers = writeback.customer_profiles(driver, database=database)
    found = segments.brand_segments(
        brand,
        customers=customers,
        engaged=writeback.engaged_by_brand(driver, database=database),
        competitors=[name for name in names if name != brand],
        officials=[key for row in known for key in row["officials"]],
        influence=writeback.influence_of(driver, customers, database=database),
        top_influencers=top_influencers,
        unit_of=person_writeback.person_of_profiles(driver, database=database),
    )
    if not write:
        return None, found
    with recorded_run(driver, "segments", {"brand": brand}, database=database) as run:
        run.extra = {
            **found.sizes(),
            **{f"{name}_persons": size for name, size in found.person_sizes().items()},
        }
        writeback.write_segments(driver, found, run.run_id, database=database)
    return run.run_id, found
