"""The Open Referral UK 3.0 read API, so other council systems can read the directory (domain.md §6.3)."""

import math
from typing import Any

from flask import Blueprint, jsonify, request, send_from_directory, url_for

from portal.data import directory
from portal.domain.directory import search_words
from portal.oruk.validate import SCHEMA_DIR
from portal.people import current_content

bp = Blueprint("api", __name__, url_prefix="/api/oruk")

PROFILE = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/profile"
MAX_PER_PAGE = 100
# A service in a list: its own fields and its organisation, as ORUK's paged examples show; `full` gives the rest.
LIST_FIELDS = frozenset(
    {
        "id", "name", "alternate_name", "description", "url", "email", "status", "fees", "fees_description",
        "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
        "assurer_email", "alert", "last_modified", "organization", "organization_id",
    }
)  # fmt: skip


def _problem(message: str, status: int = 400):
    return jsonify({"error": message}), status


def _whole_number(name: str, default: int, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    return int(raw) if raw.isascii() and raw.isdigit() and low <= int(raw) <= high else None


@bp.route("/")
def root():
    return jsonify({"version": "3.0", "profile": PROFILE, "openapi_url": url_for("api.openapi", _external=True)})


@bp.route("/openapi.json")
def openapi():
    return send_from_directory(SCHEMA_DIR, "openapi.json", mimetype="application/json")


@bp.route("/services")
def services():
    page = _whole_number("page", 1, 1, 1_000_000)
    per_page = _whole_number("per_page", 50, 1, MAX_PER_PAGE)
    if page is None or per_page is None:
        return _problem(f"page must be a whole number from 1, and per_page from 1 to {MAX_PER_PAGE}")
    category = None
    term_id = request.args.get("taxonomy_term_id")
    if term_id:
        term = next(
            (t for tax in current_content().directory.taxonomies for t in tax.taxonomy_terms if t.id == term_id), None
        )
        if term is None:
            return _empty(page, per_page)
        category = term.code
    near, within_km = None, None
    if request.args.get("postcode"):
        near = directory.postcode_centre(request.args["postcode"])
        metres = _whole_number("proximity", 1609, 1, 100_000)
        if near is None or metres is None:
            return _problem("postcode must be a postcode in this directory's area, and proximity metres up to 100000")
        within_km = metres / 1000
    found = directory.search_services(
        directory.DirectorySearch(
            words=search_words(request.args.get("search", "")),
            term=category,
            near=near,
            within_km=within_km,
            sort="distance" if near else ("relevance" if request.args.get("search") else "name"),
            page=page,
            per_page=per_page,
        )
    )
    full = request.args.get("full", "").lower() in {"true", "1", "yes"}
    contents = [item.service.record if full else _listed(item.service.record) for item in found.results]
    return jsonify(_page(found.total, page, per_page, contents))


def _listed(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key in LIST_FIELDS}


def _page(total: int, page: int, per_page: int, contents: list[Any]) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _empty(page: int, per_page: int):
    return jsonify(_page(0, page, per_page, []))


@bp.route("/services/<service_id>")
def service(service_id):
    found = directory.get_service(service_id)
    if found is None:
        return _problem("no service with that id", 404)
    return jsonify(found.record)
