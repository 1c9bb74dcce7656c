"""The GraphQL schema: root queries (thin: each calls one service function or DataLoader)
and the schema factory with limits and masking (``srm.api.limits``)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from anyio import to_thread
from strawberry.schema.config import StrawberryConfig

from srm.api.compiled import CompiledExecutor
from srm.api.context import Info
from srm.api.executor import lean_resolvers
from srm.api.limits import ClientError, check_first, check_search_text, schema_extensions
from srm.api.mutations import Mutation
from srm.api.operation_guard import QuietSchema
from srm.api.selection import only_arguments, selects_profile_text, short_score_only
from srm.api.services import analytics, network, persons, records, review
from srm.api.types.audit import AuditEvent
from srm.api.types.brand import AudienceOverlap, Brand
from srm.api.types.influencer import InfluencerConnection, InfluencerUnit, influencer_connection
from srm.api.types.job import AnalysisJob
from srm.api.types.merge import (
    IdentityDecision,
    MergeCandidateConnection,
    MergeSuggestion,
    merge_candidate_connection,
)
from srm.api.types.network import Edge, Network, Reach, SearchHit
from srm.api.types.paging import window
from srm.api.types.person_ranking import PersonConnection, person_connection
from srm.api.types.records import (
    Community,
    Customer,
    Person,
    Post,
    Profile,
    require_contact_access,
)
from srm.api.types.run import AlgorithmRun
from srm.api.types.segment import Segment
from srm.cypher.influence import Influence
from srm.operations.audit import read_events

__all__ = ["Query", "build_schema", "export_sdl"]

MAX_EGO_DEPTH = 3


@strawberry.enum(description="Orderings of the influencer list.")
class InfluencerOrder(Enum):
    SCORE = "score"


@strawberry.enum(description="Orderings of the person list.")
class PersonOrder(Enum):
    INFLUENCE = strawberry.enum_value("influence", description="Person influence score.")
    AUDIENCE = strawberry.enum_value(
        "audience", description="Unduplicated audience (follower persons)."
    )


@strawberry.enum(description="Review states of a merge candidate.")
class MergeStatus(Enum):
    CANDIDATE = "candidate"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@strawberry.input(description="Which profiles to rank; every field narrows the list.")
class InfluencerFilter:
    platform: str | None = None
    community: str | None = strawberry.field(default=None, description="A community id.")
    customers_only: bool = strawberry.field(
        default=False, description="Only profiles linked to a CRM customer."
    )
    brand: str | None = strawberry.field(
        default=None, description="Only followers of this brand's official profiles."
    )


@strawberry.input(description="Which persons to rank; every field narrows the list.")
class PersonFilter:
    platform: str | None = strawberry.field(
        default=None, description="Only persons with an account on this platform."
    )
    community: str | None = strawberry.field(
        default=None, description="Only persons with an account in this community."
    )
    customers_only: bool = strawberry.field(
        default=False, description="Only persons with a CRM customer record."
    )
    brand: str | None = strawberry.field(
        default=None, description="Only persons with an account following this brand."
    )
    min_accounts: int | None = strawberry.field(
        default=None, description="Only persons with at least this many scored accounts."
    )


def _network(found: tuple[list, list] | None) -> Network | None:
    if found is None:
        return None
    nodes, edges = found
    return Network(
        nodes=[Profile.from_record(record) for record in nodes],
        edges=[
            Edge(source=edge["source"], target=edge["target"], type=edge["type"]) for edge in edges
        ],
    )


def _followers_window(info: Info) -> tuple[int, int] | None:
    """``(offset, first)`` of the one followers page the query selects on this profile, or
    None (no followers, pages with different arguments, or arguments the followers resolver
    will reject with its own error)."""
    arguments = only_arguments(info, "followers")
    if arguments is None:
        return None
    try:
        return window(arguments["first"], arguments.get("after"))
    except (ClientError, KeyError, TypeError):
        return None


async def _profile_by_key(info: Info, key: str) -> dict | None:
    """The profile record of ``key``; when the query also selects a page of its followers,
    read with that page in one statement, and the page handed to ``Profile.followers``
    through its loader (the same page, cursors and total as its own statement reads)."""
    page = _followers_window(info)
    if page is None:
        return await info.context.profile.load(key)
    offset, first = page
    context = info.context
    text = selects_profile_text(info, "followers", "edges", "node")
    record, followers = await context.profile_followers[text].load((key, offset, first))
    if record is not None:
        context.followers[text].prime((key, offset, first), followers)
        context.profile.prime(key, record)
    return record


@strawberry.type
class Query:
    @strawberry.field(description="A CRM customer by id, or by email (analyst and admin only).")
    async def customer(
        self, info: Info, id: strawberry.ID | None = None, email: str | None = None
    ) -> Customer | None:
        if (id is None) == (email is None):
            raise ClientError("Give exactly one of 'id' or 'email'.")
        if id is not None:
            return Customer.of(await info.context.customer.load(str(id)))
        require_contact_access(info, "lookup by email")
        return Customer.of(await info.context.read(records.customer_by_email, email))

    @strawberry.field(description="A profile by id ('platform:native_id') or platform + handle.")
    async def profile(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        platform: str | None = None,
        handle: str | None = None,
    ) -> Profile | None:
        if id is not None:
            return Profile.of(await _profile_by_key(info, str(id)))
        if platform is None or handle is None:
            raise ClientError("Give 'id', or both 'platform' and 'handle'.")
        return Profile.of(await info.context.read(records.profile_by_handle, platform, handle))

    @strawberry.field(description="A person with all their accounts and CRM records.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        return Person.of(await info.context.person.load(str(id)))

    @strawberry.field(description="A post by id ('platform:native_id').")
    async def post(self, info: Info, id: strawberry.ID) -> Post | None:
        return Post.of(await info.context.post.load(str(id)))

    @strawberry.field(
        description="Full-text search over names, handles, bios and companies "
        "(text: at most 200 characters and 20 words)."
    )
    async def search(self, info: Info, text: str, first: int = 20) -> list[SearchHit]:
        check_first(first)
        check_search_text(text)
        hits = await info.context.read(records.search, text, first)
        results = []
        for label, record, score in hits:
            hit = SearchHit(score=score, kind=label)
            if label == "Customer":
                hit.customer = Customer.from_record(record)
            elif label == "Person":
                hit.person = Person.from_record(record)
            else:
                hit.profile = Profile.from_record(record)
            results.append(hit)
        return results

    @strawberry.field(description="Profiles within 'depth' (1–3) hops and the edges among them.")
    async def ego_network(
        self, info: Info, id: strawberry.ID, depth: int = 1, limit: int = 50
    ) -> Network | None:
        if not 1 <= depth <= MAX_EGO_DEPTH:
            raise ClientError(f"'depth' must be between 1 and {MAX_EGO_DEPTH} (got {depth}).")
        check_first(limit, "limit")
        return _network(await info.context.read(network.ego_network, str(id), depth, limit))

    @strawberry.field(description="One shortest follow/mention path between two profiles.")
    async def shortest_path(self, info: Info, a: strawberry.ID, b: strawberry.ID) -> Network | None:
        if str(a) == str(b):
            raise ClientError("'a' and 'b' are the same profile; give two different profiles.")
        return _network(await info.context.read(network.shortest_path, str(a), str(b)))

    @strawberry.field(
        description="Influencers ranked by score, highest first. By PERSON (the default) a "
        "person appears once, ranked by its person score, with its best-scored matching "
        "account as the node; by ACCOUNT every account is ranked on its own."
    )
    async def influencers(
        self,
        info: Info,
        filter: InfluencerFilter | None = None,
        order_by: InfluencerOrder = InfluencerOrder.SCORE,
        unit: InfluencerUnit = InfluencerUnit.PERSON,
        first: int = 20,
        after: str | None = None,
    ) -> InfluencerConnection:
        offset, first = window(first, after)
        where = filter or InfluencerFilter()
        chosen = analytics.InfluencerFilter(
            platform=where.platform,
            community=where.community,
            customers_only=where.customers_only,
            brand=where.brand,
        )
        full = not short_score_only(info, "edges", "node", "influence")
        if unit is InfluencerUnit.PERSON:
            rows = await info.context.read(
                persons.influencer_units, chosen, offset, first + 1, full_influence=full
            )
        else:
            found = await info.context.read(
                analytics.influencers,
                chosen,
                offset,
                first + 1,
                full_influence=full,
                text=selects_profile_text(info, "edges", "node"),
            )
            score = Influence.SCORE.column
            rows = [
                (record, influence, None, float(record["short_score"][score]))
                for record, influence in found
            ]
        return influencer_connection(rows, offset, first)

    @strawberry.field(
        description="Persons ranked by their influence over all their accounts (or by "
        "unduplicated audience), highest first; only persons an influence run scored."
    )
    async def persons(
        self,
        info: Info,
        filter: PersonFilter | None = None,
        order_by: PersonOrder = PersonOrder.INFLUENCE,
        first: int = 20,
        after: str | None = None,
    ) -> PersonConnection:
        offset, first = window(first, after)
        where = filter or PersonFilter()
        if where.min_accounts is not None and where.min_accounts < 1:
            raise ClientError("'minAccounts' must be 1 or more.")
        records = await info.context.read(
            persons.persons,
            persons.PersonFilter(
                platform=where.platform,
                community=where.community,
                customers_only=where.customers_only,
                brand=where.brand,
                min_accounts=where.min_accounts,
            ),
            order_by.value,
            offset,
            first + 1,
        )
        return person_connection(records, offset, first)

    @strawberry.field(description="Communities of the latest run, largest first.")
    async def communities(self, info: Info, first: int = 20) -> list[Community]:
        check_first(first)
        return [Community(record=r) for r in await info.context.read(analytics.communities, first)]

    @strawberry.field(description="Direct and second-degree follower reach of a profile.")
    async def reach(self, info: Info, id: strawberry.ID) -> Reach | None:
        found = await info.context.read(analytics.reach, str(id))
        if found is None:
            return None
        return Reach(
            profile_id=strawberry.ID(found["key"]),
            direct=found["direct"],
            second_degree=found["second_degree"],
            total=found["direct"] + found["second_degree"],
            direct_persons=found["direct_persons"],
            second_degree_persons=found["second_degree_persons"],
            total_persons=found["direct_persons"] + found["second_degree_persons"],
            estimated=found["estimated"],
            run_id=found["run_id"],
        )

    @strawberry.field(description="Brands (own and competitors).")
    async def brands(self, info: Info) -> list[Brand]:
        return [Brand(record=record) for record in await info.context.read(records.brands)]

    @strawberry.field(description="Marketing segments, optionally of one brand.")
    async def segments(self, info: Info, brand: str | None = None) -> list[Segment]:
        return [Segment(record=r) for r in await info.context.read(analytics.segments, brand)]

    @strawberry.field(
        description="Audience overlap of brand A with brand B, or with the CRM when brandB is "
        "omitted."
    )
    async def audience_overlap(
        self, info: Info, brand_a: str, brand_b: str | None = None
    ) -> AudienceOverlap | None:
        found = await info.context.read(analytics.overlap, brand_a, brand_b, 10)
        if found is None:
            return None
        sample = await info.context.profile.load_many(found.sample_keys)
        return AudienceOverlap(
            brand_a=brand_a,
            compared_with=brand_b or "crm",
            size_a=found.size_a,
            size_b=found.size_b,
            overlap=found.overlap,
            jaccard=found.jaccard,
            size_a_persons=found.size_a_persons,
            size_b_persons=found.size_b_persons,
            overlap_persons=found.overlap_persons,
            sample=[Profile.from_record(record) for record in sample if record is not None],
        )

    @strawberry.field(description="Identity-resolution pairs to review (analyst and admin).")
    async def merge_candidates(
        self,
        info: Info,
        status: MergeStatus | None = MergeStatus.CANDIDATE,
        min_probability: float = 0.0,
        first: int = 20,
        after: str | None = None,
    ) -> MergeCandidateConnection:
        info.context.principal.require("analyst", "admin", action="review merge candidates")
        offset, first = window(first, after)
        rows = await info.context.read(
            analytics.merge_candidates,
            status.value if status else None,
            min_probability,
            offset,
            first + 1,
        )
        return merge_candidate_connection(rows, offset, first)

    @strawberry.field(
        description="Unreviewed pairs whose labels would teach identity resolution most: "
        "nearest the threshold, varied in their evidence (analyst and admin; first ≤ 100)."
    )
    async def merge_suggestions(self, info: Info, first: int) -> list[MergeSuggestion]:
        info.context.principal.require("analyst", "admin", action="review merge candidates")
        check_first(first)
        rows = await info.context.call(review.merge_suggestions, first)
        return [MergeSuggestion.of(row) for row in rows]

    @strawberry.field(description="Identity review decisions, newest first (admin only).")
    async def identity_decisions(self, info: Info, first: int = 20) -> list[IdentityDecision]:
        info.context.principal.require("admin", action="read identity review decisions")
        check_first(first)
        rows = await info.context.call(review.decision_history, first)
        return [IdentityDecision(row=row) for row in rows]

    @strawberry.field(description="One analysis run (poll it after runAnalysis).")
    async def algorithm_run(self, info: Info, id: strawberry.ID) -> AlgorithmRun | None:
        return AlgorithmRun.of(await info.context.run_by_id.load(str(id)))

    @strawberry.field(description="A job started with runAnalysis (analyst and admin).")
    def analysis_job(self, info: Info, id: strawberry.ID) -> AnalysisJob | None:
        info.context.principal.require("analyst", "admin", action="read analysis jobs")
        job = info.context.jobs.get(str(id))
        return AnalysisJob(job=job) if job is not None else None

    @strawberry.field(description="Recent analysis runs, newest first.")
    async def algorithm_runs(self, info: Info, first: int = 20) -> list[AlgorithmRun]:
        check_first(first)
        return [
            AlgorithmRun(record=r) for r in await info.context.read(analytics.recent_runs, first)
        ]

    @strawberry.field(description="Audit events from 'since' on, oldest first (admin only).")
    async def audit_events(self, info: Info, since: datetime, first: int = 100) -> list[AuditEvent]:
        info.context.principal.require("admin", action="read the audit trail")
        check_first(first)
        directory = info.context.settings.audit_path
        events = await to_thread.run_sync(
            lambda: list(read_events(directory, since, None, None, first))
        )
        return [AuditEvent.of(event) for event in events]


def build_schema(production: bool) -> strawberry.Schema:
    """The schema with its limits; introspection and field suggestions off in production;
    plain leaf fields and argument-free resolvers on a short path (:mod:`srm.api.executor`)."""
    schema = QuietSchema(
        query=Query,
        mutation=Mutation,
        extensions=schema_extensions(production),
        config=StrawberryConfig(disable_field_suggestions=production),
        execution_context_class=CompiledExecutor,
    )
    lean_resolvers(schema)
    return schema


def export_sdl() -> str:
    """The schema in SDL, as committed in api/schema.graphql."""
    return build_schema(production=False).as_str() + "\n"


if __name__ == "__main__":
    # Regenerate the committed SDL: python -m srm.api.schema > api/schema.graphql
    print(export_sdl(), end="")
