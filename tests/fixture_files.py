"""The files under tests/fixtures/ that the reader and ingest tests share, named once."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SALESFORCE = FIXTURES / "salesforce" / "Contact.csv"
SALESFORCE_REPORT = FIXTURES / "salesforce" / "report_contacts.csv"
HUBSPOT = FIXTURES / "hubspot" / "hubspot-crm-exports-all-contacts-2024-03-05.csv"
LINKEDIN = FIXTURES / "linkedin" / "Connections.csv"
# a generic Spanish CRM export, in UTF-8 and in Windows-1252
GENERIC = FIXTURES / "crm" / "clientes.csv"
GENERIC_1252 = FIXTURES / "crm" / "clientes_windows1252.csv"
MASTODON_ACCOUNTS = FIXTURES / "mastodon" / "accounts.json"
BLUESKY_FOLLOWERS = FIXTURES / "bluesky" / "followers.json"
X_FOLLOWERS = FIXTURES / "x-api" / "followers_1500000000000000003.json"
