"""Small canonical bundles written by the ingest tests (no real people's data)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

CUSTOMERS = """customer_id,first_name,last_name,email,phone,city,company,twitter_handle,segment
C1,Begoña,Muñoz Pérez,bego@example.test,+34 600 000 001,Bilbao,Acme,@BegoMunoz,gold
C2,Francisco,García,paco@example.test,+34 600 000 002,León,,pacog,
C3,Robert,Smith,bob@example.test,,Leeds,Initech,,silver
"""

PROFILES = """profile_id,platform,handle,display_name,bio,location,url,followers_count,created_at
1,x,begomunoz,Bego Muñoz,Marketing en Bilbao,Bilbao,,120,2020-01-02T10:00:00Z
2,x,pacog,Paco G.,,León,,15,2021-05-06
3,x,acme,Acme Official,Official account,,https://acme.test,5000,2019-03-01T00:00:00Z
4,mastodon,bob@social.test,Bob Smith,hi,,,3,
5,x,rival,Rival Co,,,,800,
"""

FOLLOWS = """follower_profile_id,followed_profile_id
1,3
2,3
2,1
1,5
"""

POSTS = """post_id,profile_id,created_at,text,mentioned_profile_ids
p1,1,2024-01-01T09:00:00Z,Hola @acme,3
p2,1,2024-02-01T09:00:00Z,Otra vez @acme y @pacog,3|2
p3,2,2024-03-01T09:00:00Z,@begomunoz gracias,1
"""

BRANDS = """name,is_own,official_profile_ids
Acme,true,3
Rival,false,x:5
"""


SMALL_BUNDLE = {
    "customers": CUSTOMERS,
    "profiles": PROFILES,
    "follows": FOLLOWS,
    "posts": POSTS,
    "brands": BRANDS,
}


def write_bundle(folder: Path, **overrides: str | None) -> Path:
    """Write the small bundle into ``folder``; ``overrides`` replace or (None) drop files."""
    return write_files(folder, **(SMALL_BUNDLE | overrides))


def write_files(folder: Path, **files: str | None) -> Path:
    """Write only ``files`` ({name: CSV text}; None writes none) as bundle files into
    ``folder``: a partial bundle, every other file absent."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """One bundle file: ``header``, then ``rows``, as CSV in UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows as dictionaries by header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
