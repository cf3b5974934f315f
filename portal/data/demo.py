"""Demo accounts for development and for trying the portal out. Never loaded in production."""

from portal.data.accounts import create_user, get_user_by_email, link_representative
from portal.data.models import Role

# Published in the README on purpose: these accounts exist only when PORTAL_ENV=development.
DEMO_PASSWORD = "demo-password-2026"

DEMO_ACCOUNTS = [
    ("demo.person@example.org", "Sam Taylor", Role.PERSON),
    ("demo.carer@example.org", "Alex Taylor", Role.REPRESENTATIVE),
    ("demo.staff@example.org", "Priya Shah", Role.STAFF),
    ("demo.admin@example.org", "Jordan Lee", Role.ADMIN),
]


def load_demo_accounts() -> list[tuple[str, bool]]:
    """Create what is missing and leave the rest alone, so a second run changes nothing."""
    report = []
    for email, full_name, role in DEMO_ACCOUNTS:
        existing = get_user_by_email(email)
        if existing is None:
            create_user(email, DEMO_PASSWORD, full_name, role)
        report.append((email, existing is None))
    person = get_user_by_email("demo.person@example.org")
    carer = get_user_by_email("demo.carer@example.org")
    if person and carer and not any(link.representative_id == carer.id for link in person.helpers):
        link_representative(person, carer, "Parent")
    return report
