"""Explicit cross-references: the accounts and personal web pages a record points to.

An account reference is a normalised ``platform:handle`` key (``x:ana_gil``,
``instagram:ana.gil``, ``bsky:anagil``, ``mastodon:ana@social.example``,
``linkedin:ana-gil-perez``). A record *is* its own account (its self key) and *points to*
others: links in its bio and url field (``instagram.com/x``, ``x.com/x``,
``twitter.com/x``, ``bsky.app/profile/x``, ``https://instance/@user``,
``linkedin.com/in/slug`` or bare ``in/slug``), Mastodon addresses (``@user@instance``),
a platform word before a handle (``IG: @x``, ``insta x``), and a CRM row's twitter
column.

Whose account a reference names depends on how it is presented: "also on", "my", or a
bare link in a bio present the record's own account; "thanks @x", "follow my friend @x",
"via", "cc", "with", "by" credit somebody else. References of the second kind are kept
apart (``credited``) and are never evidence of sameness.

A personal URL key keeps the part of a URL that names one person: the path on profile
hosts (``github.com/someone``, ``about.me/someone``, ``medium.com/@someone``), the
subdomain on hosted sites (``someone.substack.com``, ``someone.github.io``), or the
registrable domain of any other site (``janedoe.com``). Domains are split with
``tldextract`` on its bundled public-suffix snapshot (never fetched). Hosts shared by
millions (``google.com``, a platform's home page) give no key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tldextract

from srm.graph.identity.normalise import fold

__all__ = ["References", "account_key", "deobfuscate_emails", "text_references", "url_keys"]

_PLATFORM_HOSTS = {
    "x.com": "x",
    "twitter.com": "x",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "bsky.app": "bsky",
    "linkedin.com": "linkedin",
}
_PLATFORM_WORDS = {
    "ig": "instagram", "insta": "instagram", "instagram": "instagram", "x": "x",
    "twitter": "x", "tw": "x", "bsky": "bsky", "bluesky": "bsky", "mastodon": "mastodon",
    "linkedin": "linkedin",
}  # fmt: skip
# hosts whose first path segment names one person
_PROFILE_HOSTS = frozenset({
    "github.com", "gitlab.com", "about.me", "linktr.ee", "medium.com", "behance.net",
    "dribbble.com", "keybase.io", "youtube.com", "tiktok.com", "facebook.com", "flickr.com",
    "soundcloud.com", "twitch.tv", "patreon.com", "ko-fi.com", "buymeacoffee.com",
    "vimeo.com", "pinterest.com", "threads.net", "substack.com", "codeberg.org",
    "orcid.org", "scholar.google.com", "researchgate.net",
})  # fmt: skip
# hosts whose subdomain names one person
_HOSTED_SITES = frozenset({
    "substack.com", "github.io", "wordpress.com", "blogspot.com", "tumblr.com",
    "medium.com", "netlify.app", "carrd.co", "bandcamp.com", "wixsite.com", "gitlab.io",
    "neocities.org", "micro.blog", "bsky.social",
})  # fmt: skip
# registrable domains shared by millions: a link to their home page names nobody
_SHARED_HOSTS = frozenset({
    "google.com", "youtube.com", "facebook.com", "wikipedia.org", "amazon.com", "apple.com",
    "microsoft.com", "bit.ly", "t.co", "lnkd.in", "linktr.ee", "goo.gl", "x.com",
    "twitter.com", "instagram.com", "linkedin.com", "bsky.app", "tiktok.com", "github.com",
    "medium.com", "substack.com", "spotify.com", "example.com", "example.org",
    "example.net", "wa.me", "t.me", "gmail.com", "outlook.com", "hotmail.com",
})  # fmt: skip
_NOT_A_HANDLE = frozenset({
    "in", "p", "profile", "share", "home", "status", "intent", "hashtag", "search",
    "explore", "i", "company", "pub", "school",
})  # fmt: skip
_LINK = re.compile(r"(?:https?://)?(?:www\.|m\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s,;)\]]*)?", re.I)
_FEDIVERSE = re.compile(r"(?<![\w/])@([a-z0-9_.]+)@((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.I)
_BARE_LINKEDIN = re.compile(r"(?<![\w/.])in/([a-z0-9-]{3,})", re.I)
_WORD_HANDLE = re.compile(
    r"\b(ig|insta|instagram|twitter|tw|bsky|bluesky|x|linkedin)(?:\s*[:=]\s*|\s+)@?([a-z0-9_.]{2,30})\b",
    re.I,
)
_MENTION = re.compile(r"(?<![\w@/])@([a-z0-9_][a-z0-9_.]*)(?![\w@])", re.I)
# words shortly before a reference that credit somebody else
_CREDIT = re.compile(
    r"\b(thanks?|thx|gracias|ty|via|cc|by|with|con|follow|sigue|friend|amig[oa]s?|"
    r"colleague|partner|wife|husband|esposa|marido|mujer|novi[oa]|boss|jefe|"
    r"mentor|team|equipo|love|rip|dedicated|congrats|felicidades|hi|hola|shoutout|ft|feat)\b"
)
_CONTEXT = 28
_AT = re.compile(
    r"\s*[(\[{<]\s*(?:at|arroba)\s*[)\]}>]\s*|\s+(?:at|arroba)\s+(?=[\w-]+\s*[(\[{<]\s*(?:dot|punto))",
    re.I,
)
_DOT = re.compile(r"\s*[(\[{<]\s*(?:dot|punto)\s*[)\]}>]\s*", re.I)
_EMAIL = re.compile(r"(?<![@\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def deobfuscate_emails(text: str) -> str:
    """E-mails written to dodge scrapers made plain: ``ana (at) gil (dot) com`` →
    ``ana@gil.com``."""
    if "(" not in text and "[" not in text and "{" not in text and "<" not in text:
        return text
    return _DOT.sub(".", _AT.sub("@", text))


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # the bundled public-suffix snapshot only: no download, no cache directory
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def account_key(platform: object, handle: object) -> str:
    """``platform:handle`` for an account (folded, no ``@``, Bluesky's default
    ``.bsky.social`` dropped, Mastodon keeping its instance); ``""`` when empty."""
    name = fold(platform)
    value = fold(handle).strip().lstrip("@").rstrip("/.")
    if name in ("bluesky",):
        name = "bsky"
    if name == "twitter":
        name = "x"
    if not name or not value:
        return ""
    if name == "bsky" and value.endswith(".bsky.social"):
        value = value[: -len(".bsky.social")]
    if name != "mastodon":
        value = value.split("@")[0]
    return f"{name}:{value}" if value else ""


def _credited(text: str, start: int) -> bool:
    before = text[max(0, start - _CONTEXT) : start]
    return bool(_CREDIT.search(before))


@dataclass(frozen=True)
class References:
    """What a text points to: ``own`` account keys (presented as the record's own),
    ``credited`` account keys (somebody else's), personal ``urls`` keys."""

    own: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


def _link_account(host: str, path: str) -> str:
    platform = _PLATFORM_HOSTS.get(host.removeprefix("www.").removeprefix("mobile."))
    segments = [s for s in path.split("/") if s]
    if platform is None or not segments:
        return ""
    if platform == "bsky":
        return (
            account_key("bsky", segments[1])
            if segments[0] == "profile" and len(segments) > 1
            else ""
        )
    if platform == "linkedin":
        return (
            account_key("linkedin", segments[1])
            if segments[0] == "in" and len(segments) > 1
            else ""
        )
    if segments[0] in _NOT_A_HANDLE:
        return ""
    return account_key(platform, segments[0])


def url_keys(host: str, path: str = "") -> list[str]:
    """Personal URL keys of one link (see module doc); ``[]`` for shared hosts."""
    host = host.lower().removeprefix("www.")
    parts = _extractor()(host)
    domain = f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain
    segments = [s for s in path.split("/") if s and s not in ("@",)]
    on_profile_host = host in _PROFILE_HOSTS or domain in _PROFILE_HOSTS
    if on_profile_host and segments and segments[0].lower() not in _NOT_A_HANDLE:
        return [f"url:{domain}/{segments[0].lower().lstrip('@')}"]
    if domain in _HOSTED_SITES and parts.subdomain and parts.subdomain not in ("www", "m"):
        return [f"url:{parts.subdomain.split('.')[-1]}.{domain}"]
    if domain in _SHARED_HOSTS or domain in _PROFILE_HOSTS or domain in _HOSTED_SITES:
        return []
    if not parts.suffix or domain.endswith((".example", ".social", ".local")):
        return []
    return [f"url:{domain}"]


@lru_cache(maxsize=200_000)
def text_references(text: str, url_field: bool = False) -> References:
    """References in a bio (or, with ``url_field``, a profile's url field, all own)."""
    # e-mail addresses are not links: blank them out, keeping positions
    folded = _EMAIL.sub(lambda found: " " * len(found.group(0)), fold(text))
    if not folded.strip():
        return References()
    own: list[str] = []
    credited: list[str] = []
    urls: list[str] = []
    taken: list[tuple[int, int]] = []

    def add(key: str, start: int) -> None:
        if not key:
            return
        target = credited if (not url_field and _credited(folded, start)) else own
        if key not in target:
            target.append(key)

    for found in _FEDIVERSE.finditer(folded):
        user, instance = found.group(1), found.group(2)
        taken.append(found.span())
        add(account_key("mastodon", f"{user}@{instance}"), found.start())
    for found in _LINK.finditer(folded):
        if any(a <= found.start() < b for a, b in taken):
            continue
        host, path = found.group(1), found.group(2) or ""
        if "/@" in path and host not in _PLATFORM_HOSTS and not url_keys(host, path):
            add(
                account_key("mastodon", f"{path.split('/@')[1].split('/')[0]}@{host}"),
                found.start(),
            )
        elif key := _link_account(host, path):
            add(key, found.start())
        elif host.lower().endswith(".bsky.social") and path.strip("/") == "":
            # a Bluesky handle written out ("🦋 @ana.bsky.social") names the account
            add(account_key("bsky", host), found.start())
        else:
            for key in url_keys(host, path):
                if key not in urls and not (not url_field and _credited(folded, found.start())):
                    urls.append(key)
        taken.append(found.span())
    for found in _BARE_LINKEDIN.finditer(folded):
        add(account_key("linkedin", found.group(1)), found.start())
    for found in _WORD_HANDLE.finditer(folded):
        if any(a <= found.start() < b for a, b in taken):
            continue
        if found.group(1) == "x" and "@" not in found.group(0):
            continue  # "x" alone is too common a word
        add(account_key(_PLATFORM_WORDS[found.group(1)], found.group(2)), found.start())
    for found in _MENTION.finditer(folded):
        if any(a <= found.start() < b for a, b in taken):
            continue
        if _credited(folded, found.start()):
            credited.append(f"any:{found.group(1).rstrip('.')}")
    return References(tuple(own), tuple(credited), tuple(urls))
