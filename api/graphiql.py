"""GraphiQL with the explorer plugin, served from SRM's own static files (no CDN), with
example queries for marketers preloaded as tabs."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path

__all__ = ["EXAMPLES", "STATIC_DIR", "STATIC_PATH", "graphiql_html", "page_csp"]

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/static"

EXAMPLES: dict[str, str] = {
    "top influencers who are customers": """\
# Top influencers who are also CRM customers.
# Send your key in the Headers tab: {"X-API-Key": "..."} (not needed in local demo mode).
query TopInfluencersWhoAreCustomers {
  influencers(filter: {customersOnly: true}, first: 10) {
    edges {
      node {
        handle
        platform
        displayName
        influence { value percentile explanation { followers mentionsReceived } }
        customers { id firstName lastName company }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    "top persons by influence": """\
# The most influential persons: each person once, its accounts scored together, its
# audience counted once per follower person (a fan with two accounts counts once).
query TopPersonsByInfluence {
  persons(orderBy: INFLUENCE, filter: {minAccounts: 1}, first: 10) {
    edges {
      node {
        name
        influence { value percentile audience audienceAccounts followers accountCount }
        accounts { platform handle influence { value } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
  influencers(unit: PERSON, first: 10) {
    edges { score person { name } node { platform handle } }
  }
}
""",
    "who amplified this post": """\
# Who replied to, quoted or reposted a post (replace the id with one of yours).
query WhoAmplifiedThisPost($post: ID! = "x:1") {
  post(id: $post) {
    text
    author { handle }
    amplifications(first: 20) {
      totalCount
      edges { node { kind createdAt author { handle followersCount } } }
    }
  }
}
""",
    "accounts of this person": """\
# Every account and CRM record of one person (replace the id with one of yours).
query AccountsOfThisPerson($person: ID! = "person-1") {
  person(id: $person) {
    name
    accounts { platform handle followersCount influence { value } }
    customers { id firstName lastName city }
  }
}
""",
}


@cache
def graphiql_html() -> str:
    """The GraphiQL page: vendored React 18.2.0, GraphiQL 3.8.3, explorer plugin 1.0.2."""
    template = (STATIC_DIR / "graphiql.html").read_text(encoding="utf-8")
    tabs = [{"query": query} for query in EXAMPLES.values()]
    return template.replace("{{STATIC}}", STATIC_PATH).replace(
        "{{TABS}}", json.dumps(tabs).replace("</", "<\\/")
    )


def page_csp(html: str) -> str:
    """The Content-Security-Policy of a page built on the vendored files: scripts from this
    server plus the page's own inline scripts by hash, requests to this server only."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
