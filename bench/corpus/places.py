"""How people write where they live: the official name, local-language names and codes
from geonames, nicknames, neighbourhoods and metro areas, state or country appended, an
emoji pin, another town after a move, or nothing at all."""

from __future__ import annotations

import random

from bench.corpus.names import strip_accents
from bench.corpus.sources import City

__all__ = ["COUNTRY_NAMES", "written_place"]

COUNTRY_NAMES = {
    "ES": ("España", "Spain", "ES"),
    "MX": ("México", "Mexico", "MX"),
    "US": ("USA", "United States", "US"),
    "GB": ("UK", "England", "United Kingdom"),
    "BR": ("Brasil", "Brazil", "BR"),
    "PT": ("Portugal", "PT"),
    "DE": ("Deutschland", "Germany", "DE"),
    "FR": ("France", "FR"),
    "IT": ("Italia", "Italy"),
}
PINS = ("📍", "🏠", "🌍", "📌")


def written_place(rng: random.Random, city: City, blank: float = 0.22) -> tuple[str, str]:
    """A location string for ``city`` and how it is written: ``official``, ``variant``
    (another name, code, nickname, region, or decorated) or ``blank``."""
    roll = rng.random()
    if roll < blank:
        return "", "blank"
    roll = rng.random()
    if roll < 0.40:
        return city.name, "official"
    country = rng.choice(COUNTRY_NAMES[city.country])
    if roll < 0.55:
        return f"{city.name}, {city.region or country}", "variant"
    if roll < 0.80 and city.variants:
        return rng.choice(city.variants), "variant"
    if roll < 0.88:
        return f"{rng.choice(PINS)} {city.name}", "variant"
    if roll < 0.94:
        return strip_accents(city.name).lower(), "variant"
    return rng.choice([country, f"{city.name.upper()}", f"{city.name} 🌞"]), "variant"
