"""A directory service as its page shows it: ORUK's nested record turned into plain facts, in the reader's words."""

import datetime
from typing import Any

from babel.dates import get_day_names
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from portal.domain.directory import Cost, costs, locations, search_facts
from portal.i18n import pence
from portal.people import current_content
from portal.templating import translate

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def cost_in_words(cost: Cost) -> str:
    if cost.pence == 0:
        return _("Free")
    return f"{pence(cost.pence)} {_(cost.per) if cost.per else ''}".strip()


def cheapest(record: dict[str, Any]) -> str | None:
    """The lowest price, for a search result: "Free", or "From £27.50 per hour"."""
    options = costs(record)
    if not options:
        return None
    if any(cost.pence == 0 for cost in options):
        return (
            _("Free")
            if all(cost.pence == 0 for cost in options)
            else _("Free, or from %(cost)s", cost=_paid_from(options))
        )
    return _("From %(cost)s", cost=_paid_from(options))


def _paid_from(options: list[Cost]) -> str:
    return cost_in_words(min((cost for cost in options if cost.pence), key=lambda cost: cost.pence))


def _days(byday: str) -> str:
    names = get_day_names("wide", locale=get_locale())
    days = [ICAL_DAYS.index(code) for code in byday.split(",") if code in ICAL_DAYS]
    if not days:
        return byday
    if len(days) == 7:
        return _("Every day")
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s", first=names[days[0]], last=names[days[-1]])
    return ", ".join(names[day] for day in days)


def opening_times(record: dict[str, Any]) -> list[str]:
    times = []
    for schedule in record.get("schedules") or []:
        if schedule.get("description"):
            times.append(schedule["description"])
        elif schedule.get("byday") and schedule.get("opens_at") and schedule.get("closes_at"):
            times.append(
                _(
                    "%(days)s, %(opens)s to %(closes)s",
                    days=_days(schedule["byday"]),
                    opens=schedule["opens_at"][:5],
                    closes=schedule["closes_at"][:5],
                )
            )
    return times


def service_view(record: dict[str, Any]) -> dict[str, Any]:
    facts = search_facts(record)
    directory = current_content().directory
    organisation = record.get("organization") or {}
    age = None
    if record.get("minimum_age") and record.get("maximum_age"):
        age = _("Ages %(low)d to %(high)d", low=record["minimum_age"], high=record["maximum_age"])
    elif record.get("minimum_age"):
        age = _("Aged %(low)d and over", low=record["minimum_age"])
    places = []
    for place in locations(record):
        address = next(iter(place.get("addresses") or []), {})
        places.append(
            {
                "name": place.get("name"),
                "description": place.get("description"),
                "address": [
                    address.get(k) for k in ("address_1", "address_2", "city", "postal_code") if address.get(k)
                ],
                # ORUK's feature description is free text; ours are the taxonomy's names, which are translated.
                "access": [
                    (translate(a.get("description")), a.get("details")) for a in place.get("accessibility") or []
                ],
            }
        )
    return {
        "id": record["id"],
        "name": record["name"],
        "organisation": organisation.get("name"),
        "organisation_description": organisation.get("description"),
        "description": record.get("description"),
        "who_for": [text for text in (record.get("eligibility_description"), age) if text],
        "costs": [(cost.label, cost_in_words(cost)) for cost in costs(record)],
        "fees": record.get("fees_description"),
        "times": opening_times(record),
        "areas": list(facts.areas),
        "places": places,
        "phones": [(p.get("number"), p.get("description")) for p in record.get("phones") or [] if p.get("number")],
        "email": record.get("email"),
        "url": web_address(record.get("url")),
        "languages": list(facts.languages),
        "categories": [_(term.name) for code in facts.categories if (term := directory.term(code))],
        "accepts_direct_payments": "accepts-direct-payments" in facts.flags,
        "preferred_provider": "preferred-provider" in facts.flags,
        "at_home": "delivered-at-home" in facts.flags,
        "accreditations": record.get("accreditations"),
        "last_checked": datetime.date.fromisoformat(facts.last_checked) if facts.last_checked else None,
    }


def web_address(url: object) -> str | None:
    """Only http(s) addresses become links: an imported record could carry a "javascript:" one."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def miles_away(km: float) -> str:
    return _("%(miles)s miles away", miles=format_decimal(round(km / 1.609344, 1), format="0.0"))


def pagination(found: Any, page_url: Any) -> dict[str, Any]:
    """GOV.UK pagination: first, last and two either side of this page, with gaps shown as an ellipsis."""
    shown = sorted({1, found.pages, *range(max(1, found.page - 2), min(found.pages, found.page + 2) + 1)})
    items: list[dict[str, Any]] = []
    for number in shown:
        if items and number - items[-1]["number"] > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": page_url(number),
                "current": number == found.page,
                "visuallyHiddenText": _("Page %(number)d", number=number),
            }
        )
    result: dict[str, Any] = {"items": items, "landmarkLabel": _("Results pages")}
    if found.page > 1:
        result["previous"] = {"href": page_url(found.page - 1), "text": _("Previous")}
    if found.page < found.pages:
        result["next"] = {"href": page_url(found.page + 1), "text": _("Next")}
    return result
