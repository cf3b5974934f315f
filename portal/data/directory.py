"""The service directory in the database: upserts from ORUK JSON, full-text search with filters, staff edits."""

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, Integer, Select, func, literal_column, select, text

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import DirectoryService, DirectoryTag, User
from portal.domain.directory import distance_km, outward_code, search_facts

__all__ = ["DirectoryService"]

LISTED_STATUSES = ("active", "temporarily closed")
KM_PER_DEGREE = 111.2  # of latitude, anywhere; of longitude, times the cosine of the latitude
STOP_WORDS = frozenset({"a", "an", "and", "for", "i", "in", "me", "my", "of", "or", "the", "to", "with"})
# Name counts most, then the organisation, then the description, areas and venues (SQLite's bm25 weights).
SQLITE_RANK = "bm25(directory_search, 10.0, 4.0, 1.0)"


@dataclass(frozen=True)
class DirectorySearch:
    words: Sequence[str] = ()
    category: str | None = None
    term: str | None = None  # any taxonomy term code: a category, a flag or a venue feature (the ORUK API's filter)
    area: str | None = None
    whole_area: str | None = None  # the area name that means "all of the borough", e.g. "All of Anytown"
    near: tuple[float, float] | None = None  # latitude, longitude of the person's postcode
    within_km: float | None = None
    free: bool = False
    max_hourly_pence: int | None = None
    accessibility: Sequence[str] = ()
    language: str | None = None
    accepts_direct_payments: bool = False
    preferred_provider: bool = False
    sort: str = "relevance"  # relevance, name, cheapest, distance, checked
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Found:
    service: DirectoryService
    distance_km: float | None = None


@dataclass(frozen=True)
class SearchPage:
    results: list[Found]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", max(1, math.ceil(self.total / self.per_page)))


def _tags(facts) -> list[tuple[str, str]]:
    kinds = (
        ("category", facts.categories),
        ("flag", facts.flags),
        ("accessibility", facts.accessibility),
        ("language", facts.languages),
        ("area", facts.areas),
    )
    return sorted({(kind, value[:100]) for kind, values in kinds for value in values})


def _apply(service: DirectoryService, record: Mapping[str, Any]) -> None:
    facts = search_facts(record)
    postcodes = [
        address.get("postal_code") or ""
        for sal in record.get("service_at_locations") or []
        for address in (sal.get("location") or {}).get("addresses") or []
    ]
    service.oruk_id = record["id"]
    service.name = facts.name[:300]
    service.organization_name = facts.organization[:300]
    service.search_text = f"{facts.description} {facts.keywords}"
    service.status = facts.status
    service.record = dict(record)
    service.free = facts.free
    service.lowest_hourly_pence = facts.lowest_hourly_pence
    service.accepts_direct_payments = "accepts-direct-payments" in facts.flags
    service.preferred_provider = "preferred-provider" in facts.flags
    service.latitude, service.longitude = facts.latitude, facts.longitude
    service.outward_code = next((code for code in map(outward_code, postcodes) if code), None)
    service.last_checked = datetime.date.fromisoformat(facts.last_checked) if facts.last_checked else None
    wanted = _tags(facts)
    service.tags = [tag for tag in service.tags if (tag.kind, tag.value) in wanted]
    have = {(tag.kind, tag.value) for tag in service.tags}
    service.tags.extend(DirectoryTag(kind=kind, value=value) for kind, value in wanted if (kind, value) not in have)


def upsert_services(records: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """Add new services and update known ones (matched by ORUK id), all in one transaction.

    Returns (added, updated). The caller has validated every record first: nothing here is partial.
    """
    session = db_session()
    records = list(records)
    known = {
        service.oruk_id: service
        for service in session.scalars(
            select(DirectoryService).where(DirectoryService.oruk_id.in_([r["id"] for r in records]))
        )
    }
    added = 0
    for record in records:
        service = known.get(record["id"])
        if service is None:
            service = DirectoryService()
            session.add(service)
            added += 1
        _apply(service, record)
    session.commit()
    return added, len(records) - added


def save_service(record: Mapping[str, Any], by: User, action: str, **detail: object) -> DirectoryService:
    """A staff member's change to one service, audited."""
    session = db_session()
    service = session.scalar(select(DirectoryService).where(DirectoryService.oruk_id == record["id"]))
    if service is None:
        service = DirectoryService()
        session.add(service)
    _apply(service, record)
    record_event(by, None, action, service=record["id"], name=record["name"], **detail)
    session.commit()
    return service


def all_records() -> list[dict[str, Any]]:
    return [service.record for service in db_session().scalars(select(DirectoryService).order_by(DirectoryService.id))]


def get_service(oruk_id: str) -> DirectoryService | None:
    return db_session().scalar(select(DirectoryService).where(DirectoryService.oruk_id == oruk_id))


def tag_values(kind: str) -> list[str]:
    query = select(DirectoryTag.value).where(DirectoryTag.kind == kind).distinct().order_by(DirectoryTag.value)
    return list(db_session().scalars(query))


def postcode_centre(postcode: str) -> tuple[float, float] | None:
    """Where a postcode district is, from the venues in it: the demo borough has no postcode database to ask."""
    code = outward_code(postcode)
    if code is None:
        return None
    row = (
        db_session()
        .execute(
            select(func.avg(DirectoryService.latitude), func.avg(DirectoryService.longitude)).where(
                DirectoryService.outward_code == code, DirectoryService.latitude.is_not(None)
            )
        )
        .one()
    )
    return (float(row[0]), float(row[1])) if row[0] is not None else None


def _words(words: Sequence[str]) -> list[str]:
    return [word for word in words if word not in STOP_WORDS]


def _matching(search: DirectorySearch) -> tuple[Select[Any], Any]:
    """The ids of the services that pass every filter, with a rank (lower is better) when there are search words."""
    query = select(DirectoryService.id).where(DirectoryService.status.in_(LISTED_STATUSES))
    query, rank = _with_words(query, _words(search.words))
    for kinds, value in (
        (("category",), search.category),
        (("language",), search.language),
        (("category", "flag", "accessibility"), search.term),
        *((("accessibility",), feature) for feature in search.accessibility),
    ):
        if value:
            query = query.where(DirectoryService.id.in_(_tagged(kinds, [value])))
    if search.area:
        # A service for the whole borough serves every neighbourhood in it.
        query = query.where(DirectoryService.id.in_(_tagged(("area",), [search.area, search.whole_area or ""])))
    if search.free:
        query = query.where(DirectoryService.free.is_(True))
    if search.max_hourly_pence is not None:
        query = query.where(DirectoryService.lowest_hourly_pence <= search.max_hourly_pence)
    if search.accepts_direct_payments:
        query = query.where(DirectoryService.accepts_direct_payments.is_(True))
    if search.preferred_provider:
        query = query.where(DirectoryService.preferred_provider.is_(True))
    return query, rank


def _with_words(query: Select[Any], words: list[str]) -> tuple[Select[Any], Any]:
    """Full-text search with the database's own index: FTS5 on SQLite, tsvector on PostgreSQL."""
    if not words:
        return query, None
    if db_session().get_bind().dialect.name == "sqlite":
        # Whole words, stemmed; only the last may be unfinished ("home car" finds "home care").
        match = " ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*'
        fts = (
            text(f"SELECT rowid AS id, {SQLITE_RANK} AS rank FROM directory_search WHERE directory_search MATCH :m")
            .bindparams(m=match)
            .columns(id=Integer, rank=Float)
            .subquery()
        )
        return query.join(fts, fts.c.id == DirectoryService.id), fts.c.rank
    tsquery = func.to_tsquery("english", " & ".join([*words[:-1], f"{words[-1]}:*"]))
    vector = literal_column("directory_services.search_vector")
    return query.where(vector.op("@@")(tsquery)), -func.ts_rank(vector, tsquery)


def _tagged(kinds: Sequence[str], values: Sequence[str]) -> Select[Any]:
    return select(DirectoryTag.service_id).where(DirectoryTag.kind.in_(kinds), DirectoryTag.value.in_(values))


def search_services(search: DirectorySearch) -> SearchPage:
    query, rank = _matching(search)
    name = func.lower(DirectoryService.name)
    nearness = None
    if search.near is not None and search.within_km is not None:
        # Near a postcode: squared distance on a flat map, exact enough across a borough, in plain SQL
        # arithmetic that both databases index-scan; the distance shown is then worked out exactly.
        latitude, longitude = search.near
        squash = math.cos(math.radians(latitude))
        north = DirectoryService.latitude - latitude
        east = (DirectoryService.longitude - longitude) * squash
        nearness = north * north + east * east
        spread = search.within_km / KM_PER_DEGREE
        query = query.where(
            DirectoryService.latitude.between(latitude - spread, latitude + spread),  # the index narrows to a band
            DirectoryService.longitude.between(longitude - spread / squash, longitude + spread / squash),
            nearness <= spread**2,
        )
    by_relevance = [rank] if rank is not None else []
    order = {
        "name": [name],
        "cheapest": [DirectoryService.free.desc(), DirectoryService.lowest_hourly_pence.is_(None)]
        + [DirectoryService.lowest_hourly_pence, name],
        "checked": [DirectoryService.last_checked.desc(), name],
        "distance": [nearness, name] if nearness is not None else [name],
    }.get(search.sort, [*by_relevance, *([nearness] if nearness is not None else []), name])
    page = max(1, search.page)
    session = db_session()
    # Every match is counted and sorted by its id and sort keys alone, in one query; only the page's services are
    # then read in full. Each carries its whole ORUK record (kilobytes): sorting thousands of those was most of
    # the time of a search near a postcode.
    on_page = session.execute(
        query.add_columns(func.count().over())
        .order_by(*order, DirectoryService.id)
        .limit(search.per_page)
        .offset((page - 1) * search.per_page)
    ).all()
    if on_page:
        total = on_page[0][1]
    else:  # past the last page: nothing came back to carry the count
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = [row[0] for row in on_page]
    # (Any removed in between are left out.)
    services = {s.id: s for s in session.scalars(select(DirectoryService).where(DirectoryService.id.in_(ids)))}
    found = [
        Found(
            service,
            distance_km(search.near[0], search.near[1], service.latitude, service.longitude)
            if search.near is not None and service.latitude is not None and service.longitude is not None
            else None,
        )
        for service in (services[service_id] for service_id in ids if service_id in services)
    ]
    return SearchPage(found, total, page, search.per_page)


@dataclass(frozen=True)
class StaffListing:
    services: list[DirectoryService]
    total: int
    page: int
    pages: int


def staff_listing(name_contains: str, page: int, per_page: int = 50) -> StaffListing:
    """Every entry, retired ones too, by name; a plain name filter is enough for staff finding one to edit."""
    query = select(DirectoryService)
    if name_contains.strip():
        query = query.where(func.lower(DirectoryService.name).contains(name_contains.strip().lower(), autoescape=True))
    total = db_session().scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    services = db_session().scalars(
        query.order_by(func.lower(DirectoryService.name)).limit(per_page).offset((page - 1) * per_page)
    )
    return StaffListing(list(services), total, page, pages)
