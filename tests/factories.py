"""Test data made through the same query modules the portal uses."""

import itertools

from portal.data.accounts import create_user, link_representative
from portal.data.models import Role

PASSWORD = "correct horse battery"
_serial = itertools.count(1)


def make_user(app, role: Role = Role.PERSON, email: str | None = None, full_name: str | None = None, **extra):
    with app.app_context():
        number = next(_serial)
        user = create_user(
            email or f"user{number}@example.org",
            extra.pop("password", PASSWORD),
            full_name or f"Test User {number}",
            role,
            **extra,
        )
        return user.id, user.email


def make_helper_for(
    app, person_email: str, helper_email: str, relationship: str = "parent", permissions: list[str] | None = None
) -> None:
    """A helper linked to the person; by default they may do everything but act as nominee."""
    from portal.data.accounts import get_user_by_email

    with app.app_context():
        link_representative(get_user_by_email(person_email), get_user_by_email(helper_email), relationship, permissions)


def make_assessment(app, person_id: int, answers: dict[str, str], by_id: int | None = None, send: bool = False):
    """A self-assessment answered through the query module, and sent (issuing its budget) if asked."""
    from portal.data import assessments
    from portal.data.accounts import get_user
    from portal.timekeeping import today

    with app.app_context():
        by = get_user(by_id or person_id)
        content = app.extensions["content"]
        assessment = assessments.start_assessment(person_id, content.questionnaire.version, by)
        for question_id, value in answers.items():
            assert assessments.save_answer(assessment, question_id, value, 0, by).saved
        if send:
            assert assessments.send_assessment(assessment, by, "myself", None, content, today())
        return assessment.id


def oruk_service(name: str, **facts) -> dict:
    """A small, valid ORUK 3.0 service; `facts` set what searching and filtering read.

    categories/flags/access: term codes; costs: [(pounds, "per hour"), …]; areas: names;
    languages: names; postcode and latitude/longitude: a venue; description, organisation: text.
    """
    import uuid

    service_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"test/{name}"))
    term = _taxonomy_term

    def attribute(link_type, code, link_id=service_id, entity="service"):
        found = term(code)
        return {
            "id": str(uuid.uuid4()),
            "link_id": link_id,
            "link_type": link_type,
            "link_entity": entity,
            "taxonomy_term_id": found["id"],
            "taxonomy_term": found,
        }

    record = {
        "id": service_id,
        "name": name,
        "description": facts.get("description", f"{name}: a service for testing."),
        "url": "https://test.example.org/" + service_id,
        "status": facts.get("status", "active"),
        "organization": {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "org/" + facts.get("organisation", "Test Org"))),
            "name": facts.get("organisation", "Test Org"),
            "description": "An organisation for testing.",
        },
        "cost_options": [
            {"id": str(uuid.uuid4()), "amount": pounds, "currency": "GBP", "amount_description": per}
            for pounds, per in facts.get("costs", [(0, "Free")])
        ],
        "service_areas": [{"id": str(uuid.uuid4()), "name": area} for area in facts.get("areas", ["All of Anytown"])],
        "languages": [{"id": str(uuid.uuid4()), "name": language} for language in facts.get("languages", ["English"])],
        "attributes": [attribute("category", code) for code in facts.get("categories", ["leisure-community"])]
        + [attribute("flag", code) for code in facts.get("flags", [])],
        "assured_date": facts.get("checked", "2026-10-01"),
    }
    if "postcode" in facts:
        location_id = str(uuid.uuid4())
        accessibility = [
            {
                "id": (feature_id := str(uuid.uuid4())),
                "description": code,
                "attributes": [attribute("accessibility_feature", code, feature_id, "accessibility")],
            }
            for code in facts.get("access", [])
        ]
        record["service_at_locations"] = [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": facts.get("venue", "The Venue"),
                    "latitude": facts["latitude"],
                    "longitude": facts["longitude"],
                    "addresses": [
                        {
                            "id": str(uuid.uuid4()),
                            "address_1": "1 High Street",
                            "city": "Anytown",
                            "state_province": "",
                            "postal_code": facts["postcode"],
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": accessibility,
                },
            }
        ]
    return record


def _taxonomy_term(code: str) -> dict:
    import json
    from pathlib import Path

    for taxonomy in json.loads(Path("content/directory/taxonomy.json").read_text()):
        for term in taxonomy["taxonomy_terms"]:
            if term["code"] == code:
                return term
    raise LookupError(code)


def add_services(app, *records) -> None:
    from portal.data.directory import upsert_services

    with app.app_context():
        upsert_services(records)


def make_approved_plan(app, person_id: int, items=None, staff_id: int | None = None) -> int:
    """A person with an approved support plan (so an open budget account), made through the query modules.

    `items`: (description, unit pence, quantity hundredths, frequency); by default a PA and a day service.
    """
    from portal.data.demo import DEMO_ANSWERS

    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    return approve_a_plan(app, person_id, items, staff_id)


def approve_a_plan(app, person_id: int, items=None, staff_id: int | None = None) -> int:
    """A support plan written, sent and approved for someone who already has an indicative budget."""
    from portal.data import budgets, plans
    from portal.data.accounts import get_user
    from portal.domain.support_plan import PlanAction

    if staff_id is None:
        staff_id, _ = make_user(app, Role.STAFF)
    with app.app_context():
        person, staff = get_user(person_id), get_user(staff_id)
        plan = plans.start_plan(person_id, budgets.latest_budget(person_id), person)

        def fill(p):
            rows = items or [("Personal assistant", 1750, 1000, "week"), ("Day opportunities", 5500, 100, "week")]
            for position, (description, unit, quantity, frequency) in enumerate(rows, 1):
                p.items.append(
                    plans.PlanItemRecord(
                        position=position,
                        description=description,
                        unit_label="hour",
                        unit_pence=unit,
                        quantity_hundredths=quantity,
                        frequency=frequency,
                    )
                )

        assert plans.change_plan(plan, plan.revision, person, fill).saved
        assert plans.move(plan, PlanAction.SUBMIT, person)
        assert plans.move(plan, PlanAction.APPROVE, staff, final_budget_pence=plans.costing_of(plan).annual_pence)
        return plan.id


def tiny_png() -> bytes:
    """A real, valid 1×1 PNG: signature, header, image data and end, each chunk with its CRC."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    image = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", image) + chunk(b"IEND", b"")
