"""Every catalog query. Bulk paths use Core statements (executemany in chunks) because an
import of 100,000 resources cannot afford an ORM flush per row; reads build plain dicts in
the shape of ``ResourceRecord`` from one joined select plus one select for categories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from resources_catalog.hsds.ids import organization_id
from resources_catalog.models import (
    CatalogRevisionCounter,
    Contact,
    CostOption,
    Location,
    Organization,
    ResourceChange,
    Schedule,
    Service,
    ServiceCapacity,
    ServiceTaxonomy,
    TaxonomyTerm,
)
from resources_catalog.records import WEEKDAYS

if TYPE_CHECKING:
    import psycopg

CHUNK = 5000
BULK_CACHE_KIB = 256 * 1024


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


T = TypeVar("T")

_BYDAY = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
_FROM_BYDAY = {v: k for k, v in _BYDAY.items()}
_SERVICE_FLAGS = (
    "requires_certificate",
    "quiet_environment",
    "small_group",
    "visit_ok",
    "trial_ok",
    "paid",
)


@dataclass(frozen=True)
class StoredRow:
    """One resource as stored: record fields (a dict shaped like ResourceRecord) and metadata."""

    service_id: str
    data: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Slices of at most ``size`` (bound-parameter limits and memory stay flat)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _compact_json(value: Any) -> str:
    """JSON as bulk writes store it: compact UTF-8 text, encoded by orjson.

    Reads go through the standard ``json.loads``, which reads it the same; the history of a
    100,000-resource import is a few hundred megabytes of JSON, where ``json.dumps`` was a
    large part of the write.
    """
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows given as dicts of the same keys (see ``bulk_insert_rows``)."""
    if not rows:
        return
    keys = tuple(rows[0])
    getter = itemgetter(*keys)
    values = [getter(row) for row in rows] if len(keys) > 1 else [(row[keys[0]],) for row in rows]
    bulk_insert_rows(session, table, keys, values)


def bulk_insert_rows(
    session: Session, table: Table, keys: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows given as tuples in ``keys`` order, by each database's fastest path.

    SQLite: straight to the driver's ``executemany`` (SQLAlchemy's per-row parameter
    handling was most of a 100,000-resource import), converting only the columns sqlite3
    cannot bind itself: JSON (orjson) and datetimes (the one ``now`` of an import is
    converted once). Tables without such columns go to the driver untouched.
    PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3. Anything else: Core
    executemany (insertmanyvalues).
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_rows(connection, table, keys, rows)
        return
    if dialect.name != "sqlite":
        for part in chunks(rows):
            connection.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in part])
        return
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
        f"VALUES ({', '.join('?' for _ in keys)})"
    )
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    flags: list[int] = []
    for i, key in enumerate(keys):
        column_type = table.c[key].type
        if isinstance(column_type, JSON):
            converters.append((i, _compact_json))
            continue
        if isinstance(column_type, Boolean):
            flags.append(i)
            continue
        proc = column_type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            converters.append((i, _memoised(proc)))
    for part in chunks(rows, 20_000):
        if converters or flags:
            # Column by column: one comprehension per converted column instead of a Python
            # step (and a list and a tuple) per row; zip turns the columns back into rows.
            columns: list[Sequence[Any]] = list(zip(*part, strict=True))
            for i, convert in converters:
                columns[i] = [None if value is None else convert(value) for value in columns[i]]
            for i in flags:
                columns[i] = _sqlite_flags(columns[i])
            connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))
        else:
            connection.exec_driver_sql(sql, list(part))


def _sqlite_flags(values: Sequence[Any]) -> list[Any]:
    """Booleans as the plain ints 1 / 0 that sqlite3 stores for them anyway.

    sqlite3 binds exact ``int``, ``float`` and ``str`` directly; a ``bool`` (an int subclass)
    first goes through its adapter look-up (a key tuple, a registry miss, two attribute
    look-ups) before it is bound as the same integer. A 100,000-resource import binds
    800,000 flags. Anything that is not a bool (None, an int) is passed on as it is.
    """
    return [1 if value is True else 0 if value is False else value for value in values]


def _memoised(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bind processor that converts a value equal to the previous one only once."""
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, proc(value)
        return last[1]

    return convert


def _copy_rows(
    connection: Connection, table: Table, keys: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """PostgreSQL COPY in the caller's transaction; JSON columns are sent as text."""
    json_at = [i for i, k in enumerate(keys) if isinstance(table.c[k].type, JSON)]
    raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
    columns = ", ".join(f'"{k}"' for k in keys)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    if values[i] is not None:
                        values[i] = _compact_json(values[i])
                copy.write_row(values)
            else:
                copy.write_row(row)


@contextmanager
def bulk_write(session: Session) -> Iterator[None]:
    """Room for a large write: on SQLite a page cache big enough to hold the new indexes.

    With the default 2 MB cache, inserting 100,000 rows under random UUID keys spills and
    re-reads the same index pages over and over; 256 MB keeps them in memory until commit.
    The connection's previous setting is restored afterwards.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


# The catalog tables an import fills, and the row count from which a load into empty
# tables builds their secondary indexes and checks their foreign keys once at the end
# instead of row by row (PostgreSQL).
_FILLED_TABLES = (
    "service", "location", "schedule", "service_capacity", "cost_option", "contact",
    "service_taxonomy", "resource_change",
)  # fmt: skip
BUILD_AFTER_ROWS = 10_000


@contextmanager
def indexes_built_after(session: Session, rows: int) -> Iterator[None]:
    """Load ``rows`` new resources into empty catalog tables, then index and check them.

    PostgreSQL only. COPY into a table with foreign keys runs a trigger per row (a parent
    lookup for each child row) and keeps every secondary index up to date row by row; for
    100,000 resources that was most of the write. Here the secondary indexes and foreign
    keys of the tables that are still empty are dropped, the rows written, and both
    created again from their own stored definitions (``pg_get_indexdef``,
    ``pg_get_constraintdef``), so the schema ends as it began. Adding a foreign key back
    checks every row in one join and still refuses the whole load if one reference is
    wrong.

    Everything runs in a savepoint: if the load fails, rolling it back restores the
    indexes and constraints with the rows. The dropped structures lock those (empty)
    tables against readers until the import commits. SQLite writes as it is: it cannot
    drop a foreign key inside a transaction, and building its secondary indexes at the
    end was no faster over a whole import (README, Benchmarks). Tables that already hold
    rows, and loads below ``BUILD_AFTER_ROWS``, are written as they are.
    """
    connection = session.connection()
    if rows < BUILD_AFTER_ROWS or connection.dialect.name != "postgresql":
        yield
        return
    empty = [
        name
        for name in _FILLED_TABLES
        if connection.exec_driver_sql(f'SELECT 1 FROM "{name}" LIMIT 1').first() is None
    ]
    if not empty:
        yield
        return
    drops, creates = _deferred_structures(connection, empty)
    with session.begin_nested():
        connection = session.connection()  # emits the SAVEPOINT (begin_nested alone is lazy)
        for statement in drops:
            connection.exec_driver_sql(statement)
        yield
        for statement in creates:
            connection.exec_driver_sql(statement)


def _deferred_structures(connection: Connection, tables: list[str]) -> tuple[list[str], list[str]]:
    """DROP and CREATE statements for the secondary indexes and foreign keys (PostgreSQL)."""
    indexes = connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(:tables) AND t.relnamespace = current_schema()::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1"
        ),
        {"tables": tables},
    ).all()
    foreign_keys = connection.execute(
        text(
            "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
            "pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.contype = 'f' AND t.relname = ANY(:tables) "
            "AND t.relnamespace = current_schema()::regnamespace ORDER BY 1, 2"
        ),
        {"tables": tables},
    ).all()
    drops = [f"ALTER TABLE {table} DROP CONSTRAINT {name}" for table, name, _ in foreign_keys]
    drops += [f"DROP INDEX {name}" for name, _ in indexes]
    creates = [definition for _, definition in indexes]
    creates += [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        for table, name, definition in foreign_keys
    ]
    return drops, creates


def aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything the catalog hands out is UTC-aware."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- reads


def _record_select() -> Select[Any]:
    stmt = (
        select(
            Service.id,
            Service.resource_id,
            Service.name,
            Service.description,
            Service.status,
            Service.min_age,
            Service.max_age,
            Service.requires_certificate,
            Service.quiet_environment,
            Service.small_group,
            Service.visit_ok,
            Service.trial_ok,
            Service.paid,
            Service.cooperation_fee_yen,
            Service.cooperation_fee_unit,
            Service.version,
            Service.extra,
            Service.created_at,
            Service.updated_at,
            Organization.name.label("organization"),
            Location.address,
            Location.ward,
            Location.latitude,
            Location.longitude,
            Location.location_source,
            Location.nearest_station,
            Location.wheelchair_accessible,
            Schedule.byday,
            Schedule.opens_at,
            Schedule.closes_at,
            ServiceCapacity.maximum,
            ServiceCapacity.available,
            CostOption.amount_yen,
            Contact.name.label("contact_name"),
            Contact.phone,
            Contact.email,
        )
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Location, Location.service_id == Service.id)
        .outerjoin(Schedule, Schedule.service_id == Service.id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .outerjoin(CostOption, CostOption.service_id == Service.id)
        .outerjoin(Contact, Contact.service_id == Service.id)
    )
    return cast(Select[Any], stmt)


def _row_to_stored(row: Sequence[Any], categories: list[str]) -> StoredRow:
    """One row of ``_record_select`` as a stored record (unpacked by position, in its order).

    Positions rather than ``row._mapping[name]``: a re-import reads 100,000 of these.
    """
    (
        sid, resource_id, name, description, status, min_age, max_age, requires_certificate,
        quiet_environment, small_group, visit_ok, trial_ok, paid, cooperation_fee_yen,
        cooperation_fee_unit, version, extra, created_at, updated_at, organization, address,
        ward, latitude, longitude, location_source, nearest_station, wheelchair_accessible,
        byday, opens_at, closes_at, maximum, available, amount_yen, contact_name, phone, email,
    ) = row  # fmt: skip
    data = {
        "resource_id": resource_id,
        "name": name,
        "organization": organization,
        "description": description,
        "categories": categories,
        "ward": ward,
        "address": address,
        "lat": latitude,
        "lon": longitude,
        "location_source": location_source,
        "nearest_station": nearest_station,
        "days": [_FROM_BYDAY[d] for d in byday.split(",") if d] if byday else [],
        "start_time": opens_at,
        "end_time": closes_at,
        "capacity_total": maximum or 0,
        "capacity_remaining": available or 0,
        "min_age": min_age,
        "max_age": max_age,
        "requires_certificate": requires_certificate,
        "wheelchair_accessible": bool(wheelchair_accessible),
        "quiet_environment": quiet_environment,
        "small_group": small_group,
        "visit_ok": visit_ok,
        "trial_ok": trial_ok,
        "paid": paid,
        "participant_cost_yen": amount_yen or 0,
        "cooperation_fee_yen": cooperation_fee_yen,
        "cooperation_fee_unit": cooperation_fee_unit,
        "status": status,
        "contact_name": contact_name,
        "phone": phone,
        "email": email,
        "extra": extra or {},
    }
    return StoredRow(
        service_id=sid,
        data=data,
        version=version,
        created_at=aware(created_at),
        updated_at=aware(updated_at),
    )


def _categories(session: Session, service_ids: Sequence[str] | None) -> dict[str, list[str]]:
    stmt = (
        select(ServiceTaxonomy.service_id, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == ServiceTaxonomy.taxonomy_term_id)
        .order_by(ServiceTaxonomy.service_id, ServiceTaxonomy.position)
    )
    found: dict[str, list[str]] = defaultdict(list)
    if service_ids is None:
        for sid, code in session.execute(stmt):
            found[sid].append(code)
        return found
    for part in chunks(service_ids):
        for sid, code in session.execute(stmt.where(ServiceTaxonomy.service_id.in_(part))):
            found[sid].append(code)
    return found


def load_all(session: Session) -> dict[str, StoredRow]:
    """Every resource keyed by resource_id (the import compares the whole file against it)."""
    categories = _categories(session, None)
    # Core rows (session.connection()): the ORM's row handling is not needed for columns.
    rows = session.connection().execute(_record_select())
    return {row[1]: _row_to_stored(row, categories.get(row[0], [])) for row in rows}


def load_by_service_ids(session: Session, service_ids: Sequence[str]) -> list[StoredRow]:
    """Resources of these services, in the order given."""
    categories = _categories(session, service_ids)
    found: dict[str, StoredRow] = {}
    for part in chunks(service_ids):
        for row in session.execute(_record_select().where(Service.id.in_(part))):
            found[row.id] = _row_to_stored(row, categories.get(row.id, []))
    return [found[sid] for sid in service_ids if sid in found]


def load_one(session: Session, resource_id: str) -> StoredRow | None:
    """One resource by resource_id, or None."""
    row = session.execute(_record_select().where(Service.resource_id == resource_id)).first()
    if row is None:
        return None
    return _row_to_stored(row, _categories(session, [row.id]).get(row.id, []))


def service_id_for(session: Session, key: str) -> str | None:
    """The service id for an HSDS service id or a resource_id."""
    return session.scalar(
        select(Service.id).where(or_(Service.id == key, Service.resource_id == key))
    )


def count_services(session: Session) -> int:
    """How many resources the catalog holds (inactive included)."""
    return session.scalar(select(func.count()).select_from(Service)) or 0


def _words_match(text: str) -> list[Any]:
    """One condition a word of ``text``: the word in the service's name, description,
    resource_id or organization name (every word must match somewhere)."""
    conditions: list[Any] = []
    for word in text.split():
        pattern = f"%{word}%"
        conditions.append(
            or_(
                Service.name.ilike(pattern),
                Service.description.ilike(pattern),
                Service.resource_id.ilike(pattern),
                exists().where(
                    Organization.id == Service.organization_id,
                    Organization.name.ilike(pattern),
                ),
            )
        )
    return conditions


def page_service_ids(
    session: Session,
    *,
    ward: str | None = None,
    category: str | None = None,
    status: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[str], int]:
    """Service ids of one page ordered by resource_id, and the total that match."""
    conditions: list[Any] = []
    if ward:
        conditions.append(exists().where(Location.service_id == Service.id, Location.ward == ward))
    if category:
        conditions.append(
            exists().where(
                ServiceTaxonomy.service_id == Service.id,
                ServiceTaxonomy.taxonomy_term_id == TaxonomyTerm.id,
                TaxonomyTerm.code == category,
            )
        )
    if status:
        conditions.append(Service.status == status)
    if q:
        conditions.extend(_words_match(q))
    where = and_(true(), *conditions)
    total = session.scalar(select(func.count()).select_from(Service).where(where)) or 0
    ids = session.scalars(
        select(Service.id).where(where).order_by(Service.resource_id).offset(offset).limit(limit)
    ).all()
    return list(ids), total


@dataclass(frozen=True)
class HsdsServiceFilter:
    """The HSDS 3.1 API's service filters (None: not asked for)."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    address_contains: str | None = None
    located_only: bool = False


def hsds_page_service_ids(
    session: Session, wanted: HsdsServiceFilter, *, offset: int, limit: int
) -> tuple[list[str], int]:
    """Service ids of one HSDS page ordered by resource_id, and the total that match."""
    conditions: list[Any] = []
    if wanted.search:
        conditions.extend(_words_match(wanted.search))
    if wanted.taxonomy_term_id is not None:
        conditions.append(
            exists().where(
                ServiceTaxonomy.service_id == Service.id,
                ServiceTaxonomy.taxonomy_term_id == wanted.taxonomy_term_id,
            )
        )
    if wanted.taxonomy_id is not None:
        conditions.append(
            exists().where(
                ServiceTaxonomy.service_id == Service.id,
                ServiceTaxonomy.taxonomy_term_id == TaxonomyTerm.id,
                TaxonomyTerm.taxonomy == wanted.taxonomy_id,
            )
        )
    if wanted.organization_id is not None:
        conditions.append(Service.organization_id == wanted.organization_id)
    if wanted.modified_after is not None:
        conditions.append(Service.updated_at >= wanted.modified_after)
    if wanted.address_contains is not None:
        conditions.append(
            exists().where(
                Location.service_id == Service.id,
                Location.address.contains(wanted.address_contains, autoescape=True),
            )
        )
    if wanted.located_only:
        conditions.append(exists().where(Location.service_id == Service.id))
    where = and_(true(), *conditions)
    total = session.scalar(select(func.count()).select_from(Service).where(where)) or 0
    if offset >= total:
        return [], total
    ids = session.scalars(
        select(Service.id).where(where).order_by(Service.resource_id).offset(offset).limit(limit)
    ).all()
    return list(ids), total


def organization_by_id(session: Session, org_id: str) -> Organization | None:
    """One receiver by its HSDS id, or None."""
    return session.get(Organization, org_id)


def hsds_page_organizations(
    session: Session,
    *,
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    offset: int,
    limit: int,
) -> tuple[list[Organization], int]:
    """Receivers ordered by name (optionally offering a service with such a term), and total."""
    conditions: list[Any] = []
    if search:
        conditions.append(Organization.name.ilike(f"%{search}%"))
    if taxonomy_term_id is not None or taxonomy_id is not None:
        inner: list[Any] = [
            Service.organization_id == Organization.id,
            ServiceTaxonomy.service_id == Service.id,
        ]
        if taxonomy_term_id is not None:
            inner.append(ServiceTaxonomy.taxonomy_term_id == taxonomy_term_id)
        if taxonomy_id is not None:
            inner.append(ServiceTaxonomy.taxonomy_term_id == TaxonomyTerm.id)
            inner.append(TaxonomyTerm.taxonomy == taxonomy_id)
        conditions.append(exists().where(*inner))
    where = and_(true(), *conditions)
    total = session.scalar(select(func.count()).select_from(Organization).where(where)) or 0
    if offset >= total:
        return [], total
    rows = session.scalars(
        select(Organization).where(where).order_by(Organization.name).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def located_service_keys(session: Session) -> list[tuple[str, str, dict[str, Any]]]:
    """(service id, resource_id, extra) of every service with a place, for id look-ups."""
    stmt = select(Service.id, Service.resource_id, Service.extra).where(
        exists().where(Location.service_id == Service.id)
    )
    return [(sid, rid, extra or {}) for sid, rid, extra in session.execute(stmt)]


def services_of_organizations(session: Session, org_ids: Sequence[str]) -> dict[str, list[str]]:
    """Service ids per organization id, ordered by resource_id."""
    found: dict[str, list[str]] = defaultdict(list)
    stmt = (
        select(Service.organization_id, Service.id)
        .where(Service.organization_id.in_(org_ids))
        .order_by(Service.resource_id)
    )
    for org_id, sid in session.execute(stmt):
        found[org_id].append(sid)
    return found


def taxonomy_terms(session: Session) -> list[TaxonomyTerm]:
    """The seeded categories, in code order of the seed."""
    return list(session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.code)).all())


def taxonomy_term_ids(session: Session) -> dict[str, str]:
    """Category code → taxonomy_term id."""
    return {
        code: term_id
        for code, term_id in session.execute(select(TaxonomyTerm.code, TaxonomyTerm.id))
    }


def history(session: Session, resource_id: str) -> list[ResourceChange]:
    """Changes of one resource, oldest first."""
    stmt = (
        select(ResourceChange)
        .where(ResourceChange.resource_id == resource_id)
        .order_by(ResourceChange.changed_at, ResourceChange.id)
    )
    return list(session.scalars(stmt).all())


# ---------------------------------------------------------------------------- writes


def ensure_organizations(session: Session, names: Iterable[str], now: datetime) -> dict[str, str]:
    """Organization id per name, inserting the receivers not seen before."""
    wanted = sorted(set(names))
    known: dict[str, str] = {}
    for part in chunks(wanted):
        stmt = select(Organization.name, Organization.id).where(Organization.name.in_(part))
        known.update({name: org_id for name, org_id in session.execute(stmt)})
    missing = [
        {"id": organization_id(n), "name": n, "description": "", "created_at": now}
        for n in wanted
        if n not in known
    ]
    bulk_insert(session, _table(Organization), missing)
    known.update({str(row["name"]): str(row["id"]) for row in missing})
    return known


# Column order of the tuples each table's rows are built in (see bulk_insert_rows).
_SERVICE_KEYS = (
    "id", "organization_id", "resource_id", "name", "description", "status", "min_age",
    "max_age", *_SERVICE_FLAGS, "cooperation_fee_yen", "cooperation_fee_unit", "extra",
    "version", "created_at", "updated_at",
)  # fmt: skip
_CHILD_KEYS: dict[str, tuple[str, ...]] = {
    "location": (
        "service_id", "address", "ward", "latitude", "longitude", "location_source",
        "nearest_station", "wheelchair_accessible",
    ),
    "schedule": ("service_id", "freq", "byday", "opens_at", "closes_at"),
    "service_capacity": ("service_id", "unit", "maximum", "available", "updated_at"),
    "cost_option": ("service_id", "option", "currency", "amount_yen"),
    "contact": ("service_id", "name", "phone", "email"),
    "service_taxonomy": ("service_id", "taxonomy_term_id", "position"),
}  # fmt: skip
_CHILD_TABLES = {
    "location": _table(Location),
    "schedule": _table(Schedule),
    "service_capacity": _table(ServiceCapacity),
    "cost_option": _table(CostOption),
    "contact": _table(Contact),
    "service_taxonomy": _table(ServiceTaxonomy),
}
_Children = dict[str, list[tuple[Any, ...]]]


def _add_child_rows(
    rows: _Children, sid: str, data: dict[str, Any], term_ids: dict[str, str], now: datetime
) -> None:
    """Append the child-table rows of one resource to ``rows`` (tuples in _CHILD_KEYS order)."""
    if (
        data["address"]
        or data["ward"]
        or data["lat"] is not None
        or data["lon"] is not None
        or data["nearest_station"]
        or data["wheelchair_accessible"]
    ):
        rows["location"].append(
            (
                sid,
                data["address"],
                data["ward"],
                data["lat"],
                data["lon"],
                data["location_source"],
                data["nearest_station"],
                data["wheelchair_accessible"],
            )
        )
    if data["days"] or data["start_time"] or data["end_time"]:
        rows["schedule"].append(
            (
                sid,
                "WEEKLY",
                ",".join([_BYDAY[d] for d in data["days"]]),
                data["start_time"],
                data["end_time"],
            )
        )
    rows["service_capacity"].append(
        (
            sid,
            "人",
            data["capacity_total"],
            data["capacity_remaining"],
            now,
        )
    )
    if data["participant_cost_yen"]:
        rows["cost_option"].append((sid, "参加費", "JPY", data["participant_cost_yen"]))
    if data["contact_name"] or data["phone"] or data["email"]:
        rows["contact"].append((sid, data["contact_name"], data["phone"], data["email"]))
    taxonomy = rows["service_taxonomy"]
    for position, code in enumerate(data["categories"]):
        taxonomy.append((sid, term_ids[code], position))


def _service_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "resource_id": data["resource_id"],
        "name": data["name"],
        "description": data["description"],
        "status": data["status"],
        "min_age": data["min_age"],
        "max_age": data["max_age"],
        **{flag: data[flag] for flag in _SERVICE_FLAGS},
        "cooperation_fee_yen": data["cooperation_fee_yen"],
        "cooperation_fee_unit": data["cooperation_fee_unit"],
        "extra": data["extra"],
    }


_service_fields = itemgetter(
    "resource_id", "name", "description", "status", "min_age", "max_age", *_SERVICE_FLAGS,
    "cooperation_fee_yen", "cooperation_fee_unit", "extra",
)  # fmt: skip


def _insert_children(session: Session, children: _Children) -> None:
    for name, table in _CHILD_TABLES.items():
        bulk_insert_rows(session, table, _CHILD_KEYS[name], children.get(name, []))


def insert_resources(
    session: Session,
    items: Sequence[tuple[str, str, dict[str, Any]]],
    term_ids: dict[str, str],
    now: datetime,
) -> None:
    """Insert new resources: (service id, organization id, record dict) each.

    Rows go in service-id order, so the primary-key and ``service_id`` indexes grow at
    their ends instead of splitting pages all over the tree.
    """
    services = []
    children: _Children = defaultdict(list)
    for sid, org_id, data in sorted(items, key=itemgetter(0)):
        services.append((sid, org_id, *_service_fields(data), 1, now, now))
        _add_child_rows(children, sid, data, term_ids, now)
    bulk_insert_rows(session, _table(Service), _SERVICE_KEYS, services)
    _insert_children(session, children)


def replace_resources(
    session: Session,
    items: Sequence[tuple[str, str, dict[str, Any]]],
    term_ids: dict[str, str],
    now: datetime,
) -> None:
    """Rewrite changed resources in place and bump their versions."""
    table = _table(Service)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("_sid"))
        .values(version=table.c.version + 1, updated_at=bindparam("_now"))
    )
    params = []
    children: _Children = defaultdict(list)
    for sid, org_id, data in items:
        params.append(
            {"_sid": sid, "_now": now, "organization_id": org_id, **_service_values(data)}
        )
        _add_child_rows(children, sid, data, term_ids, now)
    for part in chunks(params):
        session.execute(stmt, list(part))
    ids = [sid for sid, _, _ in items]
    for id_part in chunks(ids):
        for child in _CHILD_TABLES.values():
            session.execute(delete(child).where(child.c.service_id.in_(id_part)))
    _insert_children(session, children)


def guarded_bump(session: Session, sid: str, version: int) -> bool:
    """Claim version ``version`` of one service (False when someone else moved it on)."""
    result = session.execute(
        update(_table(Service))
        .where(_table(Service).c.id == sid, _table(Service).c.version == version)
        .values(version=version)
    )
    return bool(getattr(result, "rowcount", 0))


def add_changes(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append history rows: resource_id, changed_at, actor, action, changes."""
    bulk_insert(session, _table(ResourceChange), rows)


# ------------------------------------------------------------ revision and free places

_REVISION_ID = 1


# Read on every ranking request: built once (building a select costs more than running it).
_REVISION_COUNTERS = select(
    CatalogRevisionCounter.content, CatalogRevisionCounter.availability
).where(CatalogRevisionCounter.id == _REVISION_ID)


def revision_counters(session: Session) -> tuple[int, int] | None:
    """(content, availability) of the single revision row, or None when it is missing."""
    # On the session's connection: the counters change only by direct UPDATEs, never through
    # pending ORM objects, so autoflush is not needed (~0.1 ms less per ranking request).
    row = session.connection().execute(_REVISION_COUNTERS).first()
    return None if row is None else (int(row[0]), int(row[1]))


def bump_revision(session: Session, *, content: bool, availability: bool) -> None:
    """Add one to the chosen counters in the caller's transaction.

    One ``UPDATE ... SET x = x + 1``: atomic on SQLite (write lock) and PostgreSQL (row
    lock), so two concurrent writers never read the same value and both write it back.
    The row is seeded by the migration; should it be missing, it is created here.
    """
    if not (content or availability):
        return
    table = _table(CatalogRevisionCounter)
    values: dict[str, Any] = {}
    if content:
        values["content"] = table.c.content + 1
    if availability:
        values["availability"] = table.c.availability + 1
    result = session.execute(update(table).where(table.c.id == _REVISION_ID).values(**values))
    if getattr(result, "rowcount", 0) == 1:
        return
    session.execute(
        insert(table).values(id=_REVISION_ID, content=int(content), availability=int(availability))
    )


def availability_by_resource(session: Session) -> dict[str, tuple[int, str]]:
    """resource_id → (free places, status) of every resource, in one query.

    Read through the driver cursor: at 100,000 resources building ORM rows would cost more
    than the query itself.
    """
    service, capacity = _table(Service), _table(ServiceCapacity)
    stmt = select(
        service.c.resource_id, func.coalesce(capacity.c.available, 0), service.c.status
    ).select_from(service.outerjoin(capacity, capacity.c.service_id == service.c.id))
    result = session.execute(stmt)
    return {rid: (free, status) for rid, free, status in result}


def _service_id_of(resource_id: str) -> Any:
    service = _table(Service)
    return select(service.c.id).where(service.c.resource_id == resource_id).scalar_subquery()


def take_slot(session: Session, resource_id: str) -> bool:
    """One conditional UPDATE (``available > 0``); False when no place was free.

    On PostgreSQL the row lock plus the re-checked WHERE, on SQLite the write lock, make
    two coordinators confirming the last place get one True and one False.
    """
    capacity = _table(ServiceCapacity)
    result = session.execute(
        update(capacity)
        .where(capacity.c.service_id == _service_id_of(resource_id), capacity.c.available > 0)
        .values(available=capacity.c.available - 1)
    )
    return getattr(result, "rowcount", 0) == 1


def free_slot(session: Session, resource_id: str) -> bool:
    """Give one place back, never above the maximum; False when there was none to give."""
    capacity = _table(ServiceCapacity)
    result = session.execute(
        update(capacity)
        .where(
            capacity.c.service_id == _service_id_of(resource_id),
            capacity.c.available < capacity.c.maximum,
        )
        .values(available=capacity.c.available + 1)
    )
    return getattr(result, "rowcount", 0) == 1


def available_slots(session: Session, resource_id: str) -> int | None:
    """Free places of one resource, or None when it has no capacity row."""
    capacity = _table(ServiceCapacity)
    return session.execute(
        select(capacity.c.available).where(capacity.c.service_id == _service_id_of(resource_id))
    ).scalar_one_or_none()


def fee_row(session: Session, resource_id: str) -> tuple[str, int, str] | None:
    """(organization id, cooperation fee yen, fee unit) of one resource, or None."""
    service = _table(Service)
    row = session.execute(
        select(
            service.c.organization_id, service.c.cooperation_fee_yen, service.c.cooperation_fee_unit
        ).where(service.c.resource_id == resource_id)
    ).one_or_none()
    return None if row is None else (str(row[0]), int(row[1]), str(row[2]))


def organization_of(session: Session, resource_id: str) -> str | None:
    """The organization id offering a resource, or None when the resource is unknown."""
    service = _table(Service)
    return session.execute(
        select(service.c.organization_id).where(service.c.resource_id == resource_id)
    ).scalar_one_or_none()


def resource_exists(session: Session, resource_id: str) -> bool:
    """True when a resource with this id is in the catalog (any status)."""
    service = _table(Service)
    found = session.execute(
        select(service.c.id).where(service.c.resource_id == resource_id)
    ).first()
    return found is not None


def resource_names_of_organization(session: Session, organization_id: str) -> dict[str, str]:
    """resource_id → name of every resource an organization offers."""
    stmt = select(Service.resource_id, Service.name).where(
        Service.organization_id == organization_id
    )
    return {rid: name for rid, name in session.execute(stmt)}
