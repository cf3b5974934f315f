"""The service directory: reading Open Referral UK 3.0 services into what people search and filter by.

Configured by content/directory/ (taxonomy.json names the categories and flags). Follows domain.md §6:
a service is one fully nested ORUK record; this module only reads it, so the record stays the truth.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.domain.money import Pence

ServiceRecord = Mapping[str, Any]

# ORUK's amount_description is free text; these are the ones that mean "an hour of help".
HOURLY = frozenset({"per hour", "an hour", "hourly", "per 1 hour session"})
EARTH_RADIUS_KM = 6371.0
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Cost:
    label: str  # the option's own words, e.g. "Weekdays, 7am to 8pm"
    pence: Pence
    per: str  # amount_description, e.g. "per hour"; "Free" for free options


@dataclass(frozen=True)
class SearchFacts:
    """What the search page filters and sorts by, read once from a service's record when it is saved."""

    name: str
    organization: str
    description: str
    keywords: str
    status: str
    categories: tuple[str, ...]
    flags: tuple[str, ...]
    accessibility: tuple[str, ...]
    languages: tuple[str, ...]
    areas: tuple[str, ...]
    free: bool
    lowest_hourly_pence: Pence | None
    latitude: float | None
    longitude: float | None
    last_checked: str | None


def amount_to_pence(amount: object) -> Pence:
    """ORUK amounts are JSON numbers in pounds (27.5); read them exactly, through Decimal, never float arithmetic."""
    try:
        pounds = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not pounds.is_finite() or pounds < 0:
        raise ValueError(f"not an amount: {amount!r}")
    return Pence(int((pounds * 100).to_integral_value()))


def pence_to_amount(pence: int) -> int | float:
    """Back to ORUK's pounds: a whole number where it is one (35, not 35.0), else two decimal places."""
    return pence // 100 if pence % 100 == 0 else float(Decimal(pence) / 100)


def costs(record: ServiceRecord) -> list[Cost]:
    found = []
    for option in record.get("cost_options") or []:
        if option.get("amount") is None:
            continue
        pence = amount_to_pence(option["amount"])
        per = (option.get("amount_description") or "").strip() or ("Free" if pence == 0 else "")
        found.append(Cost(label=(option.get("option") or "").strip(), pence=pence, per=per))
    return found


def _terms(attributes: Sequence[Mapping[str, Any]], link_type: str) -> list[str]:
    return [
        attribute["taxonomy_term"]["code"]
        for attribute in attributes or []
        if attribute.get("link_type") == link_type and (attribute.get("taxonomy_term") or {}).get("code")
    ]


def locations(record: ServiceRecord) -> list[Mapping[str, Any]]:
    return [sal["location"] for sal in record.get("service_at_locations") or [] if sal.get("location")]


def search_facts(record: ServiceRecord) -> SearchFacts:
    organization = record.get("organization") or {}
    places = locations(record)
    accessibility = sorted(
        {
            code
            for place in places
            for feature in place.get("accessibility") or []
            for code in _terms(feature.get("attributes") or [], "accessibility_feature")
        }
    )
    prices = costs(record)
    hourly = [cost.pence for cost in prices if cost.per.lower() in HOURLY]
    located = next((p for p in places if p.get("latitude") is not None and p.get("longitude") is not None), None)
    categories = _terms(record.get("attributes") or [], "category")
    return SearchFacts(
        name=record["name"],
        organization=organization.get("name", ""),
        description=record.get("description") or "",
        keywords=" ".join(
            [*(a.get("name", "") for a in record.get("service_areas") or []), *(p.get("name") or "" for p in places)]
        ),
        status=record.get("status", "active"),
        categories=tuple(categories),
        flags=tuple(_terms(record.get("attributes") or [], "flag")),
        accessibility=tuple(accessibility),
        # ORUK's language schema has no `name`, so nothing checks what a file puts there.
        languages=tuple(sorted({lang["name"] for lang in record.get("languages") or [] if _is_text(lang.get("name"))})),
        areas=tuple(sorted({a["name"] for a in record.get("service_areas") or [] if a.get("name")})),
        free=bool(prices) and any(cost.pence == 0 for cost in prices),
        lowest_hourly_pence=Pence(min(hourly)) if hourly else None,
        latitude=float(located["latitude"]) if located else None,
        longitude=float(located["longitude"]) if located else None,
        last_checked=record.get("assured_date") or (record.get("last_modified") or "")[:10] or None,
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def outward_code(postcode: str) -> str | None:
    """The first half of a UK postcode ("AT3" from "at3 4qd"), or None if it does not look like one."""
    match = POSTCODE.match(postcode.strip().upper())
    return match.group(1) if match else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): close enough for "within 2 miles" at a borough's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def search_words(text: str, limit: int = 12) -> list[str]:
    """The words of a search, lower-cased, with everything else dropped, so no input can break the query."""
    return [word.lower() for word in WORD.findall(text)][:limit]
