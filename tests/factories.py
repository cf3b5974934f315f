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


def make_helper_for(app, person_email: str, helper_email: str, relationship: str = "parent") -> None:
    from portal.data.accounts import get_user_by_email

    with app.app_context():
        link_representative(get_user_by_email(person_email), get_user_by_email(helper_email), relationship)


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
