"""Post: something a profile published, with who amplified it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from srm.api.context import Info
from srm.api.services.records import Page
from srm.api.types.paging import PageInfo, encode_cursor, page_info, window
from srm.api.values import iso

if TYPE_CHECKING:
    from srm.api.types.profile import Profile

__all__ = ["Post", "PostConnection", "PostEdge", "post_connection"]


@strawberry.type(description="A post (key: platform:native_id).")
class Post:
    record: strawberry.Private[dict[str, Any]]
    id: strawberry.ID = strawberry.field(description="The post key, 'platform:native_id'.")
    created_at: str | None
    text: str | None
    kind: str | None = strawberry.field(
        description="How this post relates to the one it was listed under: REPLY_TO, QUOTES "
        "or REPOSTS (only in amplifications)."
    )

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Post:
        return cls(
            record=record,
            id=strawberry.ID(record["post_key"]),
            created_at=iso(record.get("created_at")),
            text=record.get("text"),
            kind=record.get("kind"),
        )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Post | None:
        return cls.from_record(record) if record is not None else None

    @strawberry.field
    async def author(
        self, info: Info
    ) -> Annotated[Profile, strawberry.lazy("srm.api.types.profile")] | None:
        from srm.api.types.profile import Profile

        key = self.record.get("author_key")
        return Profile.of(await info.context.profile.load(key)) if key else None

    @strawberry.field(description="Replies, quotes and reposts of this post: who amplified it.")
    async def amplifications(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> PostConnection:
        offset, first = window(first, after)
        page = await info.context.amplifications.load((self.record["post_key"], offset, first))
        return post_connection(page, offset, first)


@strawberry.type
class PostEdge:
    cursor: str
    node: Post


@strawberry.type(description="A page of posts (Relay connection).")
class PostConnection:
    edges: list[PostEdge]
    page_info: PageInfo
    total_count: int


def post_connection(page: Page, offset: int, first: int) -> PostConnection:
    records = page.records[:first]
    return PostConnection(
        edges=[
            PostEdge(cursor=encode_cursor(offset + index), node=Post.from_record(record))
            for index, record in enumerate(records)
        ],
        page_info=page_info(offset, len(records), len(page.records) > first),
        total_count=page.total,
    )
