import functools

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.assessment.forms import SendForm, StartForm, question_form
from portal.data import assessments
from portal.data.assessments import AssessmentStatus
from portal.domain import assessment as progress
from portal.people import current_content, record_holder
from portal.timekeeping import today

bp = Blueprint("assessment", __name__, template_folder="templates", url_prefix="/people/<int:person_id>/assessment")


def draft_only(view):
    """Pages of a draft: before one is started they go to the start page; once it is sent, to its budget."""

    @functools.wraps(view)
    def with_draft(person_id, **kwargs):
        assessment = assessments.latest_assessment(person_id)
        if assessment is None:
            return redirect(url_for("assessment.start", person_id=person_id))
        if assessment.status is not AssessmentStatus.DRAFT:
            return redirect(url_for("budget.indicative_budget", person_id=person_id))
        return view(person_id, assessment, assessments.answers_of(assessment), **kwargs)

    return with_draft


@bp.route("", methods=["GET", "POST"])
def start(person_id):
    person = record_holder(person_id)
    assessment = assessments.latest_assessment(person_id)
    form = StartForm()
    if assessment is not None and assessment.status is not AssessmentStatus.DRAFT and form.is_submitted():
        # A start page left open in another tab: the assessment was sent meanwhile, so there is nothing to start.
        return redirect(url_for("budget.indicative_budget", person_id=person_id))
    if form.validate_on_submit():
        assessments.start_assessment(person_id, current_content().questionnaire.version, current_user)
        return redirect(url_for("assessment.resume", person_id=person_id))
    return render_template("assessment/start.html", person=person, assessment=assessment, form=form)


@bp.route("/continue")
@draft_only
def resume(person_id, assessment, answers):
    questionnaire = current_content().questionnaire
    question = progress.resume_point(questionnaire, answers, assessment.last_question_id)
    if question is None:
        return redirect(url_for("assessment.check_and_send", person_id=person_id))
    return redirect(url_for("assessment.question", person_id=person_id, question_id=question.id))


@bp.route("/sections")
@draft_only
def task_list(person_id, assessment, answers):
    questionnaire = current_content().questionnaire
    return render_template(
        "assessment/task_list.html",
        reminder=questionnaire.answer_without_help_reminder,
        person=record_holder(person_id),
        sections=progress.section_progress(questionnaire, answers),
        complete=progress.is_complete(questionnaire, answers),
    )


@bp.route("/questions/<question_id>", methods=["GET", "POST"])
@draft_only
def question(person_id, assessment, answers, question_id):
    questionnaire = current_content().questionnaire
    asked = questionnaire.question(question_id)
    if asked is None or question_id not in progress.visible_questions(questionnaire, answers):
        abort(404)
    record = assessments.answer_record(assessment, question_id)
    form = question_form(
        asked, data={"answer": record.value if record else None, "seen_version": record.version if record else 0}
    )
    conflict = None
    if form.validate_on_submit():
        outcome = assessments.save_answer(assessment, question_id, form.cleaned_answer, form.seen(), current_user)
        if outcome.already_sent:
            flash(_("This self-assessment had already been sent, so that answer was not saved."))
            return redirect(url_for("budget.indicative_budget", person_id=person_id))
        if outcome.saved:
            answers[question_id] = form.cleaned_answer
            following = progress.next_question(questionnaire, answers, question_id)
            if following is not None:
                return redirect(url_for("assessment.question", person_id=person_id, question_id=following.id))
            section = questionnaire.section_of(question_id)
            return redirect(url_for("assessment.check_section", person_id=person_id, section_id=section.id))
        # Someone else changed this answer after the page was opened: show theirs, keep ours, ask again.
        conflict = outcome.conflicting_answer
        form.seen_version.data = str(conflict.version) if conflict else "0"
    section = questionnaire.section_of(question_id)
    before = progress.previous_question(questionnaire, answers, question_id)
    return render_template(
        "assessment/question.html",
        person=record_holder(person_id),
        form=form,
        question=asked,
        section=section,
        conflict=conflict,
        back_url=url_for("assessment.question", person_id=person_id, question_id=before.id)
        if before
        else url_for("assessment.task_list", person_id=person_id),
    )


@bp.route("/sections/<section_id>/check")
@draft_only
def check_section(person_id, assessment, answers, section_id):
    questionnaire = current_content().questionnaire
    part = next((p for p in progress.section_progress(questionnaire, answers) if p.section.id == section_id), None)
    if part is None:
        abort(404)
    return render_template(
        "assessment/check_section.html",
        person=record_holder(person_id),
        part=part,
        answers=answers,
        answered_by=assessments.answered_by_helpers(assessment),
    )


@bp.route("/check-and-send", methods=["GET", "POST"])
@draft_only
def check_and_send(person_id, assessment, answers):
    content = current_content()
    questionnaire = content.questionnaire
    sections = progress.section_progress(questionnaire, answers)
    complete = progress.is_complete(questionnaire, answers)
    form = SendForm()
    if complete and form.validate_on_submit():
        helper_name = None if form.who_helped.data == "myself" else form.helper_name.data.strip()
        if assessments.send_assessment(assessment, current_user, form.who_helped.data, helper_name, content, today()):
            flash(_("Your self-assessment has been sent."), "success")
        else:
            flash(_("This self-assessment had already been sent."))
        return redirect(url_for("budget.indicative_budget", person_id=person_id))
    return render_template(
        "assessment/check_and_send.html",
        person=record_holder(person_id),
        form=form,
        sections=sections,
        answers=answers,
        answered_by=assessments.answered_by_helpers(assessment),
        complete=complete,
    )
