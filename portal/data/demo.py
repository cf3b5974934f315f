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
    ("demo.jamie@example.org", "Jamie Patel", Role.PERSON),
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
    _budget_account_in_use(get_user_by_email("demo.jamie@example.org"), get_user_by_email("demo.staff@example.org"))
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


# Jamie's plan: a personal assistant, a day service and a week of respite, approved ten weeks ago.
JAMIE_PLAN = [
    ("Personal assistant", "hour", 1750, 1200, "week"),
    ("Anytown Day Opportunities", "day", 5500, 100, "week"),
    ("Respite break at Elm House", "night", 15000, 700, "year"),
]


def _budget_account_in_use(jamie, staff) -> None:
    """Jamie's plan was approved ten weeks ago and the account has been used since, so the account pages and the
    council's monitoring list have something real to show: spending, a receipt missing, a payment outside the plan,
    a PA's timesheets and money set aside for respite."""
    from datetime import timedelta

    from portal.data import budget_accounts, budgets, plans
    from portal.data.db import db_session
    from portal.domain.ledger import EntryKind
    from portal.domain.support_plan import PlanAction

    if jamie is None or staff is None or assessments.latest_assessment(jamie.id) is not None:
        return
    content = current_app.extensions["content"]
    assessment = assessments.start_assessment(jamie.id, content.questionnaire.version, jamie)
    for question_id, value in DEMO_ANSWERS.items():
        assessments.save_answer(assessment, question_id, value, 0, jamie)
    assessments.send_assessment(assessment, jamie, "myself", None, content, today())
    plan = plans.start_plan(jamie.id, budgets.latest_budget(jamie.id), jamie)

    def write(p):
        p.about_me = {
            "important": "Keeping my flat and my job at the library.",
            "good_day": "",
            "strengths": "",
            "circle": "",
        }
        p.management = {"method": "direct_payment"}
        for position, (description, unit, pence, hundredths, often) in enumerate(JAMIE_PLAN, 1):
            p.items.append(
                plans.PlanItemRecord(
                    position=position, description=description, unit_label=unit, unit_pence=pence,
                    quantity_hundredths=hundredths, frequency=often,
                )
            )  # fmt: skip

    plans.change_plan(plan, plan.revision, jamie, write)
    plans.move(plan, PlanAction.SUBMIT, jamie)
    plans.move(plan, PlanAction.APPROVE, staff, final_budget_pence=plans.costing_of(plan).annual_pence)
    account = budget_accounts.account_for(jamie.id)
    started = today() - timedelta(weeks=10)
    account.starts_on = started - timedelta(days=started.weekday())  # the plan started on a Monday
    db_session().commit()
    budget_accounts.post_due_payments(account, today())
    pa, day_service, respite = account.plan.items

    def spend(on, pence, payee, item, method, reason=None):
        new = budget_accounts.NewEntry(
            EntryKind.SPENDING, on, pence, payee, plan_item_id=item, other_reason=reason, payment_method=method
        )
        budget_accounts.record_entry(account, new, jamie)

    assistant = budget_accounts.set_up_assistant(account, pa, "Chris Wood", "irregular", None, jamie)
    for week in range(9):
        monday = account.starts_on + timedelta(weeks=week)
        hours = [300, 300, 0, 300, 300, 0, 0] if week % 3 else [300, 300, 200, 300, 300, 0, 0]
        budget_accounts.save_timesheet(account, assistant, monday, hours, pa.unit_pence, 0, jamie)
        spend(monday + timedelta(days=7), sum(hours) * pa.unit_pence // 100, "Chris Wood", pa.id, "bank transfer")
        spend(monday + timedelta(days=2), 5500, "Anytown Day Opportunities", day_service.id, "prepaid card")
    taxi = "Taxi to a hospital appointment when the bus was cancelled"
    spend(today() - timedelta(days=12), 2400, "Anytown Taxis", None, "bank transfer", taxi)
    booked = today() + timedelta(weeks=6)
    budget_accounts.add_commitment(account, "Respite week at Elm House, booked", 105000, booked, respite.id, jamie)
