from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.content.schema import Question
from portal.domain.assessment import MAX_HOURS_A_WEEK, MAX_TEXT_LENGTH, AnswerProblem, check_answer
from portal.form_input import whole_number
from portal.i18n import lazy_number

PROBLEM_MESSAGES = {
    AnswerProblem.MISSING: {
        "choice": _l("Select the answer that fits you best"),
        "hours": _l("Enter the number of hours a week, or 0 if none"),
    },
    AnswerProblem.NOT_AN_OPTION: {"choice": _l("Select the answer that fits you best")},
    AnswerProblem.NOT_A_WHOLE_NUMBER: {"hours": _l("Hours a week must be a whole number, like 10")},
    AnswerProblem.TOO_MANY_HOURS: {
        "hours": _l("Hours a week must be %(most)d or fewer: there are %(most)d hours in a week", most=MAX_HOURS_A_WEEK)
    },
    AnswerProblem.TOO_LONG: {
        "text": _l("Your answer must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH))
    },
}


class QuestionForm(FlaskForm):
    """One question per page. The answer field is added per question by `question_form`."""

    seen_version = HiddenField(default="0")
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())

    question: Question
    cleaned_answer: str | None = None

    def validate_answer(self, field):
        value, problem = check_answer(self.question, field.data or "")
        if problem is not None:
            raise ValidationError(PROBLEM_MESSAGES[problem][self.question.type])
        self.cleaned_answer = value

    def seen(self) -> int:
        seen = self.seen_version.data  # the form's own int when the page was sent without it
        return seen if isinstance(seen, int) else whole_number(seen, default=0)


def question_form(question: Question, **kwargs) -> QuestionForm:
    """A form class for this question: radios for a choice, a number box for hours, a text box for words."""
    label = _(question.text)
    if question.type == "choice":
        field = RadioField(
            label,
            widget=GovRadioInput(),
            choices=[SelectChoice(option.value, _(option.label)) for option in question.options],
            validate_choice=False,  # the domain's check_answer says what is allowed, with our own message
        )
    elif question.type == "hours":
        field = StringField(label, widget=GovTextInput())
    else:
        field = TextAreaField(label, widget=GovTextArea())
    form_class = type("AnswerForm", (QuestionForm,), {"answer": field})
    form = form_class(**kwargs)
    form.question = question
    return form


WHO_HELPED = [
    SelectChoice("myself", _l("Nobody – I did it myself")),
    SelectChoice("family", _l("A family member")),
    SelectChoice("friend", _l("A friend")),
    SelectChoice("broker", _l("A support broker")),
    SelectChoice("social_worker", _l("A social worker")),
    SelectChoice("other", _l("Someone else")),
]


def who_helped_field(question, when_missing) -> RadioField:
    return RadioField(question, widget=GovRadioInput(), choices=WHO_HELPED, validators=[InputRequired(when_missing)])


def helper_name_field() -> StringField:
    return StringField(
        _l("Their name"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Their name must be 200 characters or fewer"))],
    )


class HelperName:
    """A name is needed whenever someone other than the person helped. Mixed into forms that ask who helped."""

    def validate_helper_name(self, field):
        if self.who_helped.data not in (None, "", "myself") and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of the person who helped"))


class SendForm(HelperName, FlaskForm):
    who_helped = who_helped_field(
        _l("Who helped to fill in this self-assessment?"), _l("Select who helped to fill in this self-assessment")
    )
    helper_name = helper_name_field()
    submit = SubmitField(_l("Accept and send"), widget=GovSubmitInput())


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start now"), widget=GovSubmitInput())
