"""``/maps/…``: the network maps as self-contained HTML pages (srm.viz), for the roles that
read the graph. Contact data (email, phone) appears in tooltips only for roles allowed to
read it (``Principal.may_read_contact_data``).

Include with ``app.include_router(maps.router)``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from neo4j import Driver

from srm.api.dependencies import DriverDep, SettingsDep, principal_with_roles
from srm.api.errors import http_status
from srm.api.security import Principal
from srm.errors import SRMError
from srm.viz import build, render
from srm.viz.maps import MapSpec

__all__ = ["router"]

router = APIRouter(prefix="/maps", tags=["maps"])

Reader = Annotated[
    Principal,
    Depends(principal_with_roles("marketer", "analyst", "admin", action="view network maps")),
]


@dataclass(frozen=True)
class MapContext:
    """What every map route passes on: the driver, the database, and whether the caller's
    role may see contact data."""

    driver: Driver
    database: str
    show_personal_data: bool


async def map_context(
    principal: Reader,
    driver: DriverDep,
    settings: SettingsDep,
) -> MapContext:
    return MapContext(driver, settings.neo4j_database, principal.may_read_contact_data())


Context = Annotated[MapContext, Depends(map_context)]

# Pages carry their own CSP (script hashes); these headers add what a meta tag cannot.
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>SRM maps</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2em; }}</style></head>
<body><h1>Network maps</h1><ul>{items}</ul></body></html>"""

_MAP_LINKS = (
    ("communities", "Communities: coloured by community, sized by influence (?view=persons)"),
    ("influencers", "Influencers: the top 50 and their links to the brand (?view=persons)"),
    ("audience", "Brand audience: customers, community, competitors' audience (?view=persons)"),
    ("identity", "Identity: a person's accounts and CRM records (?person=ID, ?view=collapsed)"),
    (
        "cascade",
        "Cascade: a post's replies, quotes and reposts over time "
        "(?post=KEY, ?view=accounts or ?view=persons)",
    ),
)
_EGO_HINT = "Ego network: /maps/ego?profile=KEY (or ?person=ID), optional &hops=2&limit=300"


def _error_page(error: SRMError) -> HTMLResponse:
    status = http_status(error)
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Map not '
        f"available</title></head><body><h1>Map not available</h1><p>{html.escape(str(error))}"
        '</p><p><a href="/maps/">All maps</a></p></body></html>'
    )
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


@router.get("/", response_class=HTMLResponse, summary="List the maps")
def index(principal: Reader) -> HTMLResponse:
    items = (
        "".join(
            f'<li><a href="/maps/{path}">{html.escape(text)}</a></li>' for path, text in _MAP_LINKS
        )
        + f"<li>{html.escape(_EGO_HINT)}</li>"
    )
    return HTMLResponse(_INDEX.format(items=items), headers=_HEADERS)


# ?view= of the maps that draw accounts: every account, or one node per person.
AccountView = Literal["accounts", "persons"]
_ACCOUNT_VIEWS = (("accounts", "every account"), ("persons", "one node per person"))
_IDENTITY_VIEWS = (("expanded", "every record"), ("collapsed", "one person node"))
# The cascade draws posts by default; its accounts and persons are the other two views.
_CASCADE_VIEWS = (("posts", "every post"), *_ACCOUNT_VIEWS)


def _views(
    request: Request, current: str, options: tuple[tuple[str, str], ...]
) -> list[tuple[str, str, bool]]:
    """The page's view control: each view's label, link (this page with ?view= changed,
    the other parameters kept) and whether it is the one shown."""
    links = []
    for value, label in options:
        url = request.url.include_query_params(view=value)
        links.append((label, f"{url.path}?{url.query}", value == current))
    return links


def _run(
    context: MapContext,
    builder: Callable[..., MapSpec],
    views: list[tuple[str, str, bool]] | None = None,
    **parameters: Any,
) -> HTMLResponse:
    """Build and render a map; SRM errors become a short page with the right status."""
    try:
        spec = builder(
            context.driver,
            database=context.database,
            show_personal_data=context.show_personal_data,
            **parameters,
        )
        spec.views = views or []
        page = render.render_html(spec)
    except SRMError as error:
        return _error_page(error)
    # The page's own policy as a header as well (a meta tag cannot say frame-ancestors).
    headers = {**_HEADERS, "Content-Security-Policy": render.map_csp() + "; frame-ancestors 'none'"}
    return HTMLResponse(page, headers=headers)


def _run_accounts(
    context: MapContext,
    request: Request,
    view: str,
    builder: Callable[..., MapSpec],
    **parameters: Any,
) -> HTMLResponse:
    """:func:`_run` for a map that draws accounts, with its view control: every account,
    or one node per person."""
    views = _views(request, view, _ACCOUNT_VIEWS)
    return _run(context, builder, views, by_person=view == "persons", **parameters)


@router.get("/ego", response_class=HTMLResponse, summary="Ego network of a profile or person")
def ego(
    context: Context,
    request: Request,
    profile: Annotated[str | None, Query(max_length=600)] = None,
    person: Annotated[str | None, Query(max_length=600)] = None,
    hops: Annotated[int, Query(ge=1, le=2)] = 1,
    limit: Annotated[int, Query(ge=1, le=2000)] = 150,
    relationships: Annotated[list[Literal["follows", "mentioned"]] | None, Query()] = None,
    view: AccountView = "accounts",
) -> HTMLResponse:
    return _run_accounts(
        context,
        request,
        view,
        build.ego,
        profile_key=profile,
        person_id=person,
        hops=hops,
        limit=limit,
        relationships=relationships or ("follows", "mentioned"),
    )


@router.get("/communities", response_class=HTMLResponse, summary="Communities of the latest run")
def communities(
    context: Context,
    request: Request,
    limit: Annotated[int, Query(ge=10, le=3000)] = 600,
    view: AccountView = "accounts",
) -> HTMLResponse:
    return _run_accounts(context, request, view, build.communities, limit=limit)


@router.get("/influencers", response_class=HTMLResponse, summary="Top influencers and the brand")
def influencers(
    context: Context,
    request: Request,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    brand: Annotated[str | None, Query(max_length=512)] = None,
    view: AccountView = "accounts",
) -> HTMLResponse:
    return _run_accounts(context, request, view, build.influencers, top=top, brand=brand)


@router.get("/audience", response_class=HTMLResponse, summary="Brand audience")
def audience(
    context: Context,
    request: Request,
    brand: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=10, le=3000)] = 600,
    view: AccountView = "accounts",
) -> HTMLResponse:
    return _run_accounts(context, request, view, build.audience, brand=brand, limit=limit)


@router.get("/identity", response_class=HTMLResponse, summary="A person's records")
def identity(
    context: Context,
    request: Request,
    person: Annotated[str | None, Query(max_length=600)] = None,
    record: Annotated[str | None, Query(max_length=600)] = None,
    view: Literal["expanded", "collapsed"] = "expanded",
) -> HTMLResponse:
    return _run(
        context,
        build.identity,
        views=_views(request, view, _IDENTITY_VIEWS),
        person_id=person,
        record_id=record,
        collapsed=view == "collapsed",
    )


@router.get("/cascade", response_class=HTMLResponse, summary="A post's spread over time")
def cascade(
    context: Context,
    request: Request,
    post: Annotated[str | None, Query(max_length=600)] = None,
    limit: Annotated[int, Query(ge=1, le=3000)] = 800,
    view: Literal["posts", "accounts", "persons"] = "posts",
) -> HTMLResponse:
    return _run(
        context,
        build.cascade,
        views=_views(request, view, _CASCADE_VIEWS),
        post_key=post,
        limit=limit,
        unit=view.removesuffix("s"),
    )
