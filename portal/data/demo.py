"""Demo accounts for development and for trying the portal out. Never loaded in production."""

from flask import current_app

from portal.data import assessments
from portal.data.accounts import create_user, get_user_by_email, link_representative
from portal.data.models import Role
from portal.timekeeping import today

# Published in the README on purpose: these accounts exist only when PORTAL_ENV=development.
DEMO_PASSWORD = "demo-password-2026"

# Sam Taylor's answers: a young adult with cerebral palsy who lives with Alex, a parent who helps 10 hours a week.
# The browser journey answers exactly these through the pages, and the README reports what they produce.
DEMO_ANSWERS = {
    "about_condition": "yes",
    "about_wellbeing": "significant",
    "about_what_matters": "I want to go to college, see my friends more, and give Alex a proper break.",
    "A1": "some_meals",
    "A2": "alone",
    "A_notes": "",
    "B1": "every_time",
    "B2": "help",
    "B_notes": "I like a shower in the morning, not at night.",
    "C1": "sometimes",
    "C2": "aids",
    "C_notes": "",
    "D1": "some_help",
    "D_notes": "",
    "E1": "sometimes",
    "E2": "equipment",
    "E3": "none",
    "E_notes": "",
    "F1": "some_jobs",
    "F2": "some_help",
    "F_notes": "",
    "G1": "sometimes",
    "G2": "a_little",
    "G_notes": "",
    "H1": "some_sessions",
    "H_notes": "I start a course at Anytown College in January.",
    "I1": "every_trip",
    "I2": "sometimes",
    "I_notes": "",
    "J1": "no_children",
    "J_notes": "",
    "K1": "advice",
    "K2": "sometimes",
    "K3": "reminding",
    "K_notes": "",
    "L1": "sometimes",
    "L2": "every_week",
    "L_notes": "",
    "M1": "yes",
    "M2": "10",
    "M3": "yes",
    "M4": "yes",
    "M_notes": "Alex helps in the evenings and at weekends.",
    "N1": "some",
    "N2": "significant",
    "N_notes": "",
}

DEMO_ACCOUNTS = [
    ("demo.person@example.org", "Sam Taylor", Role.PERSON),
    ("demo.carer@example.org", "Alex Taylor", Role.REPRESENTATIVE),
    ("demo.morgan@example.org", "Morgan Ellis", Role.PERSON),
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
    _sent_assessment_for_the_staff_queue(get_user_by_email("demo.morgan@example.org"))
    return report


def _sent_assessment_for_the_staff_queue(morgan) -> None:
    """Morgan has already sent a self-assessment, so council staff have something to check."""
    if morgan is None or assessments.latest_assessment(morgan.id) is not None:
        return
    content = current_app.extensions["content"]
    answers = {**DEMO_ANSWERS, "E3": "sleep_in", "M1": "no", "M_notes": "", "N1": "none", "N2": "none"}
    assessment = assessments.start_assessment(morgan.id, content.questionnaire.version, morgan)
    for question_id, value in answers.items():
        if question_id not in ("M2", "M3", "M4"):
            assessments.save_answer(assessment, question_id, value, 0, morgan)
    assessments.send_assessment(assessment, morgan, "friend", "Jo Ellis", content, today())
