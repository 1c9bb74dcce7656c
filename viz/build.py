"""One call per map kind: load the subgraph (srm.viz.data) and build the map
(srm.viz.maps). The API's /maps/ routes, ``srm map …`` and the demo all go through here.

Example::

    from srm.viz import build, render
    render.write_map(build.communities(driver), "maps/communities.html")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from neo4j import Driver

from srm.errors import ValidationError
from srm.viz import data, data_brands, data_records, maps, maps_records, render
from srm.viz.persons import cascade_by_account, collapse_persons

__all__ = [
    "CASCADE_UNITS",
    "audience",
    "cascade",
    "communities",
    "ego",
    "identity",
    "influencers",
    "write_demo_maps",
]


def _view(subgraph: data.Subgraph, by_person: bool) -> data.Subgraph:
    """The subgraph as drawn: each person's accounts in one node when ``by_person``."""
    return collapse_persons(subgraph) if by_person else subgraph


def ego(
    driver: Driver,
    *,
    profile_key: str | None = None,
    person_id: str | None = None,
    hops: int = 1,
    limit: int = 150,
    relationships: Iterable[str] = data.EGO_RELATIONSHIPS,
    by_person: bool = False,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """The ego network of a profile or of a person's accounts (see data.load_ego);
    ``by_person`` collapses each person's accounts into one node (srm.viz.persons)."""
    subgraph = data.load_ego(
        driver,
        profile_key=profile_key,
        person_id=person_id,
        hops=hops,
        limit=limit,
        relationships=relationships,
        database=database,
    )
    return maps.ego_map(_view(subgraph, by_person), show_personal_data=show_personal_data)


def communities(
    driver: Driver,
    *,
    limit: int = 600,
    by_person: bool = False,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """The latest community run, trimmed to ``limit`` profiles (persons collapsed when
    ``by_person``)."""
    subgraph = data.load_communities(driver, limit=limit, database=database)
    return maps.communities_map(_view(subgraph, by_person), show_personal_data=show_personal_data)


def influencers(
    driver: Driver,
    *,
    top: int = 50,
    brand: str | None = None,
    by_person: bool = False,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """The ``top`` influencers and their links to each other and to the brand (persons
    collapsed when ``by_person``)."""
    subgraph = data_brands.load_influencers(driver, top=top, brand=brand, database=database)
    return maps.influencers_map(_view(subgraph, by_person), show_personal_data=show_personal_data)


def audience(
    driver: Driver,
    *,
    brand: str | None = None,
    limit: int = 600,
    by_person: bool = False,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """Customers, community and competitors' audience around the brands (persons
    collapsed when ``by_person``)."""
    subgraph = data_brands.load_audience(driver, brand=brand, limit=limit, database=database)
    return maps.audience_map(_view(subgraph, by_person), show_personal_data=show_personal_data)


def identity(
    driver: Driver,
    *,
    person_id: str | None = None,
    record_id: str | None = None,
    collapsed: bool = False,
    neighbours: int = 25,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """A person's records, expanded with SAME_AS links or collapsed into one node."""
    subgraph = data_records.load_identity(
        driver, person_id=person_id, record_id=record_id, neighbours=neighbours, database=database
    )
    return maps_records.identity_map(
        subgraph, collapsed=collapsed, show_personal_data=show_personal_data
    )


CASCADE_UNITS = ("post", "account", "person")


def cascade(
    driver: Driver,
    *,
    post_key: str | None = None,
    limit: int = 800,
    unit: str = "post",
    by_person: bool = False,
    show_personal_data: bool = False,
    database: str | None = None,
) -> maps.MapSpec:
    """A post's replies, quotes and reposts over time, one node per ``unit``: ``post``,
    ``account`` (the accounts that spread it, srm.viz.persons.cascade_by_account) or
    ``person`` (those accounts collapsed into their persons); ``by_person`` is
    ``unit="person"``, as on the other maps."""
    if by_person:
        unit = "person"
    if unit not in CASCADE_UNITS:
        raise ValidationError(f"Unknown cascade unit {unit!r}; use post, account or person.")
    subgraph = data_records.load_cascade(driver, post_key=post_key, limit=limit, database=database)
    if unit != "post":
        subgraph = _view(cascade_by_account(subgraph), unit == "person")
    return maps_records.cascade_map(subgraph, unit=unit, show_personal_data=show_personal_data)


def write_demo_maps(
    driver: Driver, folder: Path | str, *, database: str | None = None
) -> dict[str, Path]:
    """Write the community map and the identity map (the person with the most records,
    expanded) into ``folder``; returns {"communities": path, "identity": path}."""
    target = Path(folder)
    return {
        "communities": render.write_map(
            communities(driver, database=database), target / "communities.html"
        ),
        "identity": render.write_map(identity(driver, database=database), target / "identity.html"),
    }
