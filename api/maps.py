"""``/maps/…``: the network maps as self-contained HTML pages (srm.viz), for the roles that
read the graph. Contact data (email, phone) appears in tooltips only for roles allowed to
read it (``Principal.may_read_contact_data``).

Include with ``app.include_router(maps.router)``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from neo4j import Driver
from srm.api.dependencies import get_driver, get_settings, principal_with_roles
from srm.api.security import Principal
from srm.viz import build, render
from srm.viz.maps import MapSpec

from srm.errors import NotFoundError, SRMError, StoreUnavailable, ValidationError
from srm.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/maps", tags=["maps"])

Reader = Annotated[
    Principal,
    Depends(principal_with_roles("marketer", "analyst", "admin", action="view network maps")),
]
DriverDependency = Annotated[Driver, Depends(get_driver)]
SettingsDependency = Annotated[Settings, Depends(get_settings)]

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
    ("communities", "Communities: coloured by community, sized by influence"),
    ("influencers", "Influencers: the top 50 and their links to the brand"),
    ("audience", "Brand audience: customers, community, competitors' audience"),
    ("identity", "Identity: a person's accounts and CRM records (?person=ID, ?view=collapsed)"),
    ("cascade", "Cascade: a post's replies, quotes and reposts over time (?post=KEY)"),
    ("ego?profile=KEY", "Ego network of a profile (?profile=KEY or ?person=ID, ?hops=2)"),
)


def _error_page(error: SRMError) -> HTMLResponse:
    status = 500
    if isinstance(error, NotFoundError):
        status = 404
    elif isinstance(error, ValidationError):
        status = 400
    elif isinstance(error, StoreUnavailable):
        status = 503
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Map not '
        f"available</title></head><body><h1>Map not available</h1><p>{html.escape(str(error))}"
        '</p><p><a href="/maps/">All maps</a></p></body></html>'
    )
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


@router.get("/", response_class=HTMLResponse, summary="List the maps")
def index(principal: Reader) -> HTMLResponse:
    items = "".join(
        f'<li><a href="/maps/{path}">{html.escape(text)}</a></li>' for path, text in _MAP_LINKS
    )
    return HTMLResponse(_INDEX.format(items=items), headers=_HEADERS)


def _run(builder: Callable[..., MapSpec], **parameters: Any) -> HTMLResponse:
    """Build and render a map; SRM errors become a short page with the right status."""
    try:
        page = render.render_html(builder(**parameters))
    except SRMError as error:
        return _error_page(error)
    return HTMLResponse(page, headers=_HEADERS)


@router.get("/ego", response_class=HTMLResponse, summary="Ego network of a profile or person")
def ego(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    profile: Annotated[str | None, Query(max_length=600)] = None,
    person: Annotated[str | None, Query(max_length=600)] = None,
    hops: Annotated[int, Query(ge=1, le=2)] = 1,
    limit: Annotated[int, Query(ge=1, le=2000)] = 150,
    relationships: Annotated[list[Literal["follows", "mentioned"]] | None, Query()] = None,
) -> HTMLResponse:
    return _run(
        build.ego,
        driver=driver,
        profile_key=profile,
        person_id=person,
        hops=hops,
        limit=limit,
        relationships=relationships or ("follows", "mentioned"),
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )


@router.get("/communities", response_class=HTMLResponse, summary="Communities of the latest run")
def communities(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    limit: Annotated[int, Query(ge=10, le=3000)] = 600,
) -> HTMLResponse:
    return _run(
        build.communities,
        driver=driver,
        limit=limit,
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )


@router.get("/influencers", response_class=HTMLResponse, summary="Top influencers and the brand")
def influencers(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    brand: Annotated[str | None, Query(max_length=512)] = None,
) -> HTMLResponse:
    return _run(
        build.influencers,
        driver=driver,
        top=top,
        brand=brand,
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )


@router.get("/audience", response_class=HTMLResponse, summary="Brand audience")
def audience(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    brand: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=10, le=3000)] = 600,
) -> HTMLResponse:
    return _run(
        build.audience,
        driver=driver,
        brand=brand,
        limit=limit,
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )


@router.get("/identity", response_class=HTMLResponse, summary="A person's records")
def identity(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    person: Annotated[str | None, Query(max_length=600)] = None,
    record: Annotated[str | None, Query(max_length=600)] = None,
    view: Literal["expanded", "collapsed"] = "expanded",
) -> HTMLResponse:
    return _run(
        build.identity,
        driver=driver,
        person_id=person,
        record_id=record,
        collapsed=view == "collapsed",
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )


@router.get("/cascade", response_class=HTMLResponse, summary="A post's spread over time")
def cascade(
    principal: Reader,
    driver: DriverDependency,
    settings: SettingsDependency,
    post: Annotated[str | None, Query(max_length=600)] = None,
    limit: Annotated[int, Query(ge=1, le=3000)] = 800,
) -> HTMLResponse:
    return _run(
        build.cascade,
        driver=driver,
        post_key=post,
        limit=limit,
        show_personal_data=principal.may_read_contact_data(),
        database=settings.neo4j_database,
    )
