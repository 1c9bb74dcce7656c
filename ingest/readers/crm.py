"""CRM exports: a generic CSV with a column mapping, Salesforce and HubSpot contacts.

Columns are matched by a normalised name (lower case, letters and digits only), so
Salesforce's Data Loader ``FIRSTNAME``, its API name ``FirstName`` and its report label
``First Name`` are the same column. ``--map field=Column`` (``ReadOptions.column_map``)
overrides or adds any match; a platform name as the field (``linkedin=Perfil``) maps a
column of handles or profile URLs to a claimed profile.

Customer ids get the CRM's name as a prefix (``salesforce:003…``, ``hubspot:5101``) so
records of two systems never collide; a generic CSV's ids are kept as they are. (LinkedIn's
``Connections.csv`` lists profiles, not customers: see :mod:`srm.ingest.readers.linkedin`.)

Encoding, delimiter and note lines above the header are handled by
:func:`srm.ingest.csvio.open_csv`; bad records become :class:`Rejected` (no values).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from srm.errors import IngestError
from srm.ingest.csvio import EXTRA_CELLS, open_csv
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.handles import column_key, linkedin_slug, table_header, x_handle
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import PLATFORMS, CustomerRow
from srm.ingest.validate import build, present

__all__ = [
    "detect_csv",
    "detect_hubspot",
    "detect_salesforce",
    "read_csv",
    "read_hubspot",
    "read_salesforce",
    "salesforce_id18",
]

CUSTOMER_FIELDS = (
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "city",
    "company",
    "twitter_handle",
)
# Columns never copied into `extra`: personal data beyond the one email/phone SRM keeps.
_PERSONAL = re.compile(
    r"email|mail|phone|mobile|fax|street|address|birth|postal|zip"
    r"|correo|telefono|movil|direccion|nacimiento"
)
# Values that are personal data whatever their column is called (an unmapped "Correo").
_EMAIL_VALUE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_VALUE = re.compile(r"\+?[\d\s().-]+")


def _is_personal_value(value: str) -> bool:
    """An email address, or a phone-like number (9+ digits: dates have 8)."""
    if _EMAIL_VALUE.fullmatch(value):
        return True
    return bool(_PHONE_VALUE.fullmatch(value)) and sum(char.isdigit() for char in value) >= 9


_ID18_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")


def _extra_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def salesforce_id18(record_id: str) -> str:
    """Salesforce's case-insensitive 18-character id for a 15- or 18-character id.

    Reports show 15-character ids, Data Loader 18; the three suffix characters encode which
    of the 15 are upper case (five bits per block of five), so both forms key one customer.
    """
    if len(record_id) != 15:
        return record_id
    suffix = ""
    for block in range(3):
        chunk = record_id[block * 5 : block * 5 + 5]
        bits = sum(1 << index for index, char in enumerate(chunk) if "A" <= char <= "Z")
        suffix += _ID18_ALPHABET[bits]
    return record_id + suffix


@dataclass(frozen=True)
class _Spec:
    """How one CRM names its columns (normalised aliases, best first) and prefixes its ids."""

    name: str
    aliases: Mapping[str, tuple[str, ...]]
    id_prefix: str


_SALESFORCE = _Spec(
    "salesforce",
    {
        "customer_id": ("id", "contactid", "18digitcontactid", "contactid18"),
        "first_name": ("firstname",),
        "last_name": ("lastname",),
        "email": ("email",),
        "phone": ("phone", "mobilephone", "mobile"),
        "city": ("mailingcity", "city", "othercity"),
        "company": ("accountname", "account", "company"),
        "twitter_handle": ("twitterc", "twitterhandlec", "twitterusernamec", "twitter"),
        "linkedin": ("linkedinc", "linkedinurlc", "linkedinprofilec"),
    },
    "salesforce:",
)
_HUBSPOT = _Spec(
    "hubspot",
    {
        "customer_id": ("recordid", "contactid", "hubspotid"),
        "first_name": ("firstname",),
        "last_name": ("lastname",),
        "email": ("email",),
        "phone": ("phonenumber", "mobilephonenumber"),
        "city": ("city",),
        "company": ("companyname", "associatedcompany"),
        "twitter_handle": ("twitterusername",),
        "linkedin": ("linkedinurl", "linkedinprofileurl", "linkedinprofile"),
    },
    "hubspot:",
)
_GENERIC = _Spec("csv", {name: (column_key(name),) for name in CUSTOMER_FIELDS}, "")


def detect_csv(path: Path) -> bool:
    """Never: a generic CSV needs ``--format csv`` and its ``--map``, as any header could be
    one, and guessing which column is the customer id would load wrong keys."""
    return False


def detect_salesforce(path: Path) -> bool:
    """A Salesforce contacts export: an id column, name columns and Salesforce's own names
    (``AccountId``, ``Account.Name``/``Account Name``, ``Mailing…``, ``OwnerId``)."""
    header = table_header(path)
    if header is None:
        return False
    names = {column_key(cell) for cell in header}
    has_id = bool(names & {"id", "contactid", "18digitcontactid"})
    salesforce_only = {"accountid", "accountname", "mailingcity", "mailingstreet", "ownerid"}
    return has_id and "lastname" in names and bool(names & salesforce_only)


def detect_hubspot(path: Path) -> bool:
    """A HubSpot contacts export: ``Record ID`` (or the older ``Contact ID`` with HubSpot's
    ``Lifecycle Stage``/``Contact owner``/``Phone Number`` columns) and name columns."""
    header = table_header(path)
    if header is None:
        return False
    names = {column_key(cell) for cell in header}
    hubspot_only = {"lifecyclestage", "contactowner", "phonenumber", "leadstatus", "companyname"}
    has_id = "recordid" in names or ("contactid" in names and bool(names & hubspot_only))
    return has_id and bool(names & {"firstname", "lastname", "email"})


def _columns(
    header: list[str], spec: _Spec, column_map: Mapping[str, str], path: Path
) -> dict[str, list[str]]:
    """Field → the header cells that feed it (first non-empty wins)."""
    by_norm: dict[str, str] = {}
    for cell in header:
        by_norm.setdefault(column_key(cell), cell)
    columns: dict[str, list[str]] = {}
    for field, aliases in spec.aliases.items():
        found = [by_norm[alias] for alias in aliases if alias in by_norm]
        if found:
            columns[field] = found
    for field, column in column_map.items():
        target = "twitter_handle" if field in {"x", "twitter"} else field
        if target not in CUSTOMER_FIELDS and target not in PLATFORMS:
            raise IngestError(
                f"--map {field}=…: unknown field. Use {', '.join(CUSTOMER_FIELDS)} or a "
                f"platform name ({', '.join(sorted(PLATFORMS))})."
            )
        if column not in header:
            raise IngestError(
                f"{path}: --map {field}={column}: no such column (found: "
                f"{', '.join(header[:12])}). Check the spelling and case."
            )
        columns[target] = [column]
    if "customer_id" not in columns:
        raise IngestError(
            f"{path}: wrong header, no customer id column (found: {', '.join(header[:12])}). "
            "Name it with --map customer_id=<column>, or choose the right --format."
        )
    return columns


def _first(values: Mapping[str, str], columns: list[str]) -> str | None:
    for column in columns:
        value = values.get(column, "").strip()
        if value:
            return value
    return None


def _read_customers(path: Path, options: ReadOptions, spec: _Spec) -> Iterator[Item]:
    source = str(path)
    with open_csv(path) as table:
        columns = _columns(table.header, spec, options.column_map, path)
        used = {column for feeding in columns.values() for column in feeding}
        extra_columns = {
            column: _extra_name(column)
            for column in table.header
            if column not in used and column and not _PERSONAL.search(column_key(column))
        }
        for record in table:
            if EXTRA_CELLS in record.values:
                yield Rejected(
                    source,
                    record.line,
                    "customer",
                    None,
                    f"{record.values[EXTRA_CELLS]} more cell(s) than the header; check the "
                    "quoting of that line",
                )
                continue
            yield from _customer(
                record.line, record.values, columns, extra_columns, spec, options, source
            )


def _customer(
    line: int,
    values: Mapping[str, str],
    columns: Mapping[str, list[str]],
    extra_columns: Mapping[str, str],
    spec: _Spec,
    options: ReadOptions,
    source: str,
) -> Iterator[Item]:
    fields: dict[str, object] = {
        field: _first(values, columns[field]) for field in CUSTOMER_FIELDS if field in columns
    }
    customer_id = fields.get("customer_id")
    if (
        isinstance(customer_id, str)
        and spec.name == "salesforce"
        and _SALESFORCE_ID.fullmatch(customer_id)
    ):
        customer_id = salesforce_id18(customer_id)
    if isinstance(customer_id, str):
        fields["customer_id"] = spec.id_prefix + customer_id
    notes: list[Rejected] = []
    try:
        fields["twitter_handle"] = x_handle(_as_str(fields.get("twitter_handle")))
    except ValueError as error:
        fields["twitter_handle"] = None
        notes.append(
            Rejected(
                source,
                line,
                "customer",
                "twitter_handle",
                f"{error}; the customer was loaded without it",
            )
        )
    claimed: dict[str, str] = {}
    for platform in sorted(PLATFORMS & columns.keys()):
        raw = _first(values, columns[platform])
        try:
            handle = linkedin_slug(raw) if platform == "linkedin" else _plain_handle(raw)
        except ValueError as error:
            notes.append(
                Rejected(
                    source,
                    line,
                    "customer",
                    platform,
                    f"{error}; the customer was loaded without it",
                )
            )
            continue
        if handle:
            claimed[platform] = handle
    fields["claimed_handles"] = claimed
    fields["extra"] = {
        name: value
        for column, name in extra_columns.items()
        if (value := values.get(column, "").strip()) and not _is_personal_value(value)
    }
    yield build(CustomerRow, source, line, present(fields), max_text_chars=options.max_text_chars)
    yield from notes


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _plain_handle(value: str | None) -> str | None:
    if value is None:
        return None
    handle = value.strip().removeprefix("@")
    if not handle or any(char.isspace() for char in handle):
        raise ValueError("not a valid handle (empty or with spaces)")
    return handle.rstrip("/").rsplit("/", 1)[-1].lower()


def read_csv(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Customers from any CSV; columns named like the canonical fields or given by --map."""
    return _read_customers(path, options, _GENERIC)


def read_salesforce(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Customers from a Salesforce Contacts export (Data Loader, data export or report)."""
    return _read_customers(path, options, _SALESFORCE)


def read_hubspot(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Customers from a HubSpot contacts export, with its Twitter and LinkedIn fields."""
    return _read_customers(path, options, _HUBSPOT)
