"""Staff changes to a directory entry, made to its ORUK record so the record stays the one truth."""

import copy
import datetime
import uuid
from typing import Any

from portal.content.load import Directory
from portal.domain.directory import Cost, costs, pence_to_amount
from portal.domain.money import pounds_to_pence

MANAGED_FLAGS = ("accepts-direct-payments", "preferred-provider")


def form_data(record: dict[str, Any]) -> dict[str, Any]:
    """An existing record as the staff form's starting values."""
    attributes = record.get("attributes") or []
    codes = [(a.get("link_type"), (a.get("taxonomy_term") or {}).get("code")) for a in attributes]
    rows = [
        {"label": cost.label, "amount": "" if cost.pence == 0 else f"{cost.pence / 100:.2f}", "unit": _unit(cost)}
        for cost in costs(record)
    ]
    return {
        "name": record.get("name"),
        "organisation": (record.get("organization") or {}).get("name"),
        "description": record.get("description"),
        "categories": [code for kind, code in codes if kind == "category"],
        "flags": [code for kind, code in codes if kind == "flag" and code in MANAGED_FLAGS],
        "costs": rows[:3],
        "phone": next((p.get("number") for p in record.get("phones") or []), ""),
        "email": record.get("email"),
        "url": record.get("url"),
    }


def _unit(cost: Cost) -> str:
    return "Free" if cost.pence == 0 else cost.per


def _attribute(service_id: str, link_type: str, term) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "link_id": service_id,
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term_id": term.id,
        "taxonomy_term": term.model_dump(),
    }


def updated_record(
    existing: dict[str, Any] | None, form, directory: Directory, today: datetime.date, page_url: str
) -> dict[str, Any]:
    """The record with the form's changes. Fields the form does not show are kept exactly as they were.

    `page_url` is where the service's page will be (with `{id}` for its id): ORUK requires a url, and a
    small group without a website still has its page in this directory.
    """
    record = copy.deepcopy(existing) if existing else {"id": str(uuid.uuid4()), "status": "active"}
    service_id = record["id"]
    organisation = record.setdefault("organization", {"id": str(uuid.uuid4()), "description": ""})
    organisation["name"] = form.organisation.data.strip()
    organisation["description"] = organisation.get("description") or organisation["name"]
    record["organization_id"] = organisation["id"]
    record["name"] = form.name.data.strip()
    record["description"] = form.description.data.strip()
    record["url"] = (form.url.data or "").strip() or page_url.format(id=service_id)
    if form.email.data:
        record["email"] = form.email.data.strip()
    kept = [
        a
        for a in record.get("attributes") or []
        if a.get("link_type") != "category"
        and not (a.get("link_type") == "flag" and (a.get("taxonomy_term") or {}).get("code") in MANAGED_FLAGS)
    ]
    chosen = [("category", code) for code in form.categories.data] + [("flag", code) for code in form.flags.data]
    record["attributes"] = kept + [
        _attribute(service_id, kind, term) for kind, code in chosen if (term := directory.term(code)) is not None
    ]
    earlier = record.get("cost_options") or []
    record["cost_options"] = [_cost(service_id, row.form) for row in form.costs if row.form.filled()] + earlier[3:]
    if form.phone.data and form.phone.data.strip():
        phones = record.get("phones") or [{"id": str(uuid.uuid4()), "service_id": service_id}]
        phones[0]["number"] = form.phone.data.strip()
        record["phones"] = phones
    now = datetime.datetime.now(datetime.UTC)
    record["last_modified"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    record["assured_date"] = today.isoformat()  # staff have just checked it
    return record


def _cost(service_id: str, row) -> dict[str, Any]:
    free = row.unit.data == "Free"
    pence = 0 if free else pounds_to_pence(row.amount.data)
    option: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "service_id": service_id,
        "amount": pence_to_amount(pence),
        "currency": "GBP",
        "amount_description": "Free" if free else row.unit.data,
    }
    if (row.label.data or "").strip():
        option["option"] = row.label.data.strip()
    return option


def retired(record: dict[str, Any]) -> dict[str, Any]:
    """Taken out of the directory: kept (and in the ORUK export) as "inactive", never deleted."""
    return {**copy.deepcopy(record), "status": "inactive"}
