from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain.assessment import MAX_TEXT_LENGTH
from portal.domain.money import pounds_to_pence
from portal.form_input import whole_number
from portal.i18n import lazy_number

LARGEST_YEARLY_AMOUNT = 1_000_000_00  # £1m: far above any community care package; catches a slip of the keyboard


REASON_TOO_LONG = _l("The reason must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH))


class BudgetDecisionForm(FlaskForm):
    decision = RadioField(
        _l("What is your decision?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("confirmed", _l("Confirm the amount")),
            SelectChoice("adjusted", _l("Change the amount")),
        ],
        validators=[InputRequired(_l("Select whether to confirm or change the amount"))],
        validate_choice=False,  # checked in validate_decision, against the choices this budget allows
    )
    amount = StringField(_l("New yearly amount"), widget=GovTextInput())
    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        validators=[
            Length(
                max=MAX_TEXT_LENGTH,
                message=_l("The reason must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH)),
            )
        ],
    )
    seen = HiddenField()
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())

    annual_pence: int | None = None

    def __init__(self, *args, eligible: bool, review_open: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible, self.review_open = eligible, review_open
        if not eligible:
            # Not eligible from the answers: staff confirm it; a different result needs a social worker's assessment.
            self.decision.choices = [SelectChoice("confirmed", _l("Confirm the result"))]

    def seen_count(self) -> int:
        return whole_number(self.seen.data, default=-1)

    def validate_decision(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select whether to confirm or change the amount"))

    def validate_amount(self, field):
        if self.decision.data != "adjusted":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter the new yearly amount"))
        try:
            pence = pounds_to_pence(field.data)
        except ValueError:
            raise ValidationError(_l("Enter the amount in pounds, like 12,500 or 12,500.50")) from None
        if pence > LARGEST_YEARLY_AMOUNT:
            raise ValidationError(_l("The yearly amount must be £1,000,000 or less"))
        if pence == 0:
            raise ValidationError(_l("The yearly amount must be more than £0"))
        self.annual_pence = pence

    def validate_reason(self, field):
        if (field.data or "").strip():
            return
        if self.decision.data == "adjusted":
            raise ValidationError(_l("Enter the reason for changing the amount. The person will see it"))
        if self.review_open:
            raise ValidationError(_l("Enter the reason for your decision on their review. The person will see it"))


class PlanDecisionForm(FlaskForm):
    """Approve, approve with a different final budget, send to the panel, or return with comments per part."""

    decision = RadioField(
        _l("What is your decision?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("approve", _l("Approve the plan at its cost")),
            SelectChoice("approve_changed", _l("Approve with a different personal budget")),
            SelectChoice("send to panel", _l("Send it to the panel")),
            SelectChoice("return", _l("Return it to the person with comments")),
        ],
        validators=[InputRequired(_l("Select your decision"))],
    )
    amount = StringField(_l("Personal budget for the year"), widget=GovTextInput())
    reason = TextAreaField(
        _l("Reason or message to the person"),
        widget=GovTextArea(),
        validators=[Length(max=MAX_TEXT_LENGTH, message=REASON_TOO_LONG)],
    )
    seen = HiddenField()
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())

    annual_pence: int | None = None
    PARTS = ("about_me", "outcomes", "budget", "management", "staying_safe", "helped")

    def comments(self) -> dict[str, str]:
        return {part: text for part in self.PARTS if (text := (getattr(self, f"comment_{part}").data or "").strip())}

    def validate_amount(self, field):
        if self.decision.data != "approve_changed":
            return
        try:
            self.annual_pence = pounds_to_pence(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the amount in pounds, like 12,500 or 12,500.50")) from None
        if not 0 < self.annual_pence <= LARGEST_YEARLY_AMOUNT:
            raise ValidationError(_l("The yearly amount must be more than £0 and no more than £1,000,000"))

    def validate_reason(self, field):
        if self.decision.data == "return" and not (field.data or "").strip() and not self.comments():
            raise ValidationError(_l("Say what needs to change: a message, or a comment on a part of the plan"))
        if self.decision.data == "approve_changed" and not (field.data or "").strip():
            raise ValidationError(_l("Enter the reason. The person will see it"))


def _comment_field(label):
    return TextAreaField(label, widget=GovTextArea(), validators=[Length(max=MAX_TEXT_LENGTH, message=REASON_TOO_LONG)])


PlanDecisionForm.comment_about_me = _comment_field(_l("Comment on “About me”"))
PlanDecisionForm.comment_outcomes = _comment_field(_l("Comment on “My outcomes”"))
PlanDecisionForm.comment_budget = _comment_field(_l("Comment on “How I will use my budget”"))
PlanDecisionForm.comment_management = _comment_field(_l("Comment on “How my budget will be managed”"))
PlanDecisionForm.comment_staying_safe = _comment_field(_l("Comment on “Staying safe”"))
PlanDecisionForm.comment_helped = _comment_field(_l("Comment on “Who helped”"))


CONTRIBUTION_METHODS = [
    SelectChoice("standing order", _l("Standing order into the account")),
    SelectChoice("direct debit", _l("Direct debit to the council")),
    SelectChoice("card top-up", _l("Top-up of the prepaid card")),
    SelectChoice("invoice", _l("Invoice every 4 weeks")),
]


class ContributionForm(FlaskForm):
    weekly = StringField(_l("Weekly contribution from the financial assessment"), widget=GovTextInput())
    method = RadioField(
        _l("How is it paid in?"),
        widget=GovRadioInput(),
        choices=CONTRIBUTION_METHODS,
        validators=[InputRequired(_l("Select how the contribution is paid in"))],
        validate_choice=False,
    )
    seen = HiddenField()
    save_contribution = SubmitField(_l("Save the contribution"), widget=GovSubmitInput())

    weekly_pence: int = 0

    def validate_weekly(self, field):
        try:
            self.weekly_pence = pounds_to_pence(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the weekly contribution in pounds, like 28.50, or 0")) from None
        if self.weekly_pence > LARGEST_YEARLY_AMOUNT // 52:
            raise ValidationError(_l("Enter the weekly contribution in pounds, like 28.50, or 0"))

    def validate_method(self, field):
        if field.data not in {choice.value for choice in CONTRIBUTION_METHODS}:
            raise ValidationError(_l("Select how the contribution is paid in"))


class ReviewHeldForm(FlaskForm):
    note = TextAreaField(
        _l("What was agreed at the review"),
        widget=GovTextArea(),
        validators=[Length(max=MAX_TEXT_LENGTH, message=REASON_TOO_LONG)],
    )
    record_review = SubmitField(_l("Record that a review was held today"), widget=GovSubmitInput())


class ReturnDecisionForm(FlaskForm):
    decision = RadioField(
        _l("What do you want to do?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("reviewed", _l("Mark the return as reviewed")),
            SelectChoice("question", _l("Ask a question")),
        ],
        validators=[InputRequired(_l("Select whether to mark it reviewed or ask a question"))],
        validate_choice=False,
    )
    question = TextAreaField(
        _l("Your question"), widget=GovTextArea(), validators=[Length(max=MAX_TEXT_LENGTH, message=REASON_TOO_LONG)]
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_decision(self, field):
        if field.data not in ("reviewed", "question"):
            raise ValidationError(_l("Select whether to mark it reviewed or ask a question"))

    def validate_question(self, field):
        if self.decision.data == "question" and not (field.data or "").strip():
            raise ValidationError(_l("Write your question"))
