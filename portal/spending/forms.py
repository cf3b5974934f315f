import uuid
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.domain.money import pounds_to_pence
from portal.domain.pa_pay import DAYS, hours_from_text
from portal.form_input import whole_number
from portal.i18n import lazy_number
from portal.timekeeping import today

LONG = 2000
TOO_LONG = _l("This must be %(most)s characters or fewer", most=lazy_number(LONG))

PAYMENT_METHODS = [
    SelectChoice("bank transfer", _l("Bank transfer")),
    SelectChoice("prepaid card", _l("Prepaid card")),
    SelectChoice("cheque", _l("Cheque")),
    SelectChoice("standing order", _l("Standing order or direct debit")),
]
MONEY_IN_KINDS = [
    SelectChoice("contribution", _l("My contribution, paid in by me")),
    SelectChoice("money in", _l("Something else, like a refund from a provider")),
]
OTHER = "other"


class DayMonthYear(GovDateInput):
    """GOV.UK's date input with its Day, Month and Year labels in the reader's language."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            # A hand-made request with fewer (or more) boxes than three: show three, never fail to draw them.
            field.raw_data = [*field.raw_data[:3], "", "", ""][:3]
        params = super().map_gov_params(field, **kwargs)
        params["id"] = field.name  # the group; the day box carries the field's id, for the error summary's link
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year")), strict=True):
            item["label"] = label
        return params


class PastDateField(DateField):
    """A GOV.UK date (day, month, year boxes) that must be a real date, not in the future."""

    def __init__(self, label, missing, **kwargs):
        super().__init__(label, format="%d %m %Y", widget=DayMonthYear(), validators=[], **kwargs)
        self.missing = missing
        # The error summary links to the field's id: make that the day box, which can take focus (GOV.UK pattern).
        self.id = f"{self.name}-day"

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not any(part.strip() for part in valuelist):
            return
        try:
            day, month, year = (int(part.strip()) for part in valuelist)
            self.data = date(year, month, day)
        except (ValueError, TypeError):
            raise ValueError(_l("Enter a real date, like 27 3 2026")) from None

    def pre_validate(self, form):
        if self.data is None and not self.errors:
            raise ValidationError(self.missing)
        if self.data is not None and self.data > today():
            raise ValidationError(_l("The date must be today or in the past"))
        if self.data is not None and self.data.year < 2000:
            raise ValidationError(_l("Enter a real date, like 27 3 2026"))


class AmountField(StringField):
    """Money typed in pounds, kept as pence; must be more than nothing."""

    pence: int = 0

    def __init__(self, label, missing, **kwargs):
        super().__init__(label, widget=GovTextInput(), **kwargs)
        self.missing = missing

    def pre_validate(self, form):
        text = (self.data or "").strip()
        if not text:
            raise ValidationError(self.missing)
        try:
            self.pence = pounds_to_pence(text)
        except ValueError:
            raise ValidationError(_l("Enter an amount in pounds, like 24.50")) from None
        if self.pence <= 0:
            raise ValidationError(_l("Enter an amount more than £0"))


def short_text(label, missing=None, most=200):
    validators = [Length(max=most, message=_l("This must be %(most)s characters or fewer", most=most))]
    if missing:
        validators.insert(0, DataRequired(missing))
    else:
        validators.insert(0, Optional())
    return StringField(label, widget=GovTextInput(), validators=validators)


def long_text(label, missing=None):
    validators = [Length(max=LONG, message=TOO_LONG)]
    validators.insert(0, DataRequired(missing) if missing else Optional())
    return TextAreaField(label, widget=GovTextArea(), validators=validators)


def one_time_token() -> str:
    return uuid.uuid4().hex


class SpendingForm(FlaskForm):
    once = HiddenField(default=one_time_token)
    occurred_on = PastDateField(_l("When did you pay?"), missing=_l("Enter the date you paid"))
    payee = short_text(_l("Who did you pay?"), _l("Enter who you paid, like the name of a company or person"))
    plan_item = RadioField(
        _l("What was it for?"),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select what the money was for"))],
        validate_choice=False,
    )
    other_reason = long_text(_l("What was it for, and why was it needed?"))
    amount = AmountField(_l("How much did you pay?"), missing=_l("Enter how much you paid"))
    payment_method = RadioField(
        _l("How did you pay?"),
        widget=GovRadioInput(),
        choices=PAYMENT_METHODS,
        validators=[InputRequired(_l("Select how you paid"))],
        validate_choice=False,
    )
    receipt = FileField(_l("Upload a receipt (optional)"), widget=GovFileInput())
    note = long_text(_l("Anything else to note (optional)"))
    submit = SubmitField(_l("Save this spending"), widget=GovSubmitInput())

    def validate_plan_item(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select what the money was for"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Not an inline validator: Optional() would stop the chain before it when the box is empty.
        if self.plan_item.data == OTHER and not (self.other_reason.data or "").strip():
            self.other_reason.errors = [
                *self.other_reason.errors,
                _("Say what the money was for and why it was needed"),
            ]
            return False
        return valid

    def validate_payment_method(self, field):
        if field.data not in {choice.value for choice in PAYMENT_METHODS}:
            raise ValidationError(_l("Select how you paid"))


class MoneyInForm(FlaskForm):
    once = HiddenField(default=one_time_token)
    kind = RadioField(
        _l("What was paid in?"),
        widget=GovRadioInput(),
        choices=MONEY_IN_KINDS,
        validators=[InputRequired(_l("Select what was paid in"))],
        validate_choice=False,
    )
    occurred_on = PastDateField(_l("When was it paid in?"), missing=_l("Enter the date it was paid in"))
    amount = AmountField(_l("How much was paid in?"), missing=_l("Enter how much was paid in"))
    payee = short_text(_l("Who paid it in? (optional)"))
    note = long_text(_l("Anything else to note (optional)"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_kind(self, field):
        if field.data not in {choice.value for choice in MONEY_IN_KINDS}:
            raise ValidationError(_l("Select what was paid in"))


class CorrectionForm(FlaskForm):
    reason = long_text(_l("Why is this entry wrong?"), _l("Say why this entry is wrong"))
    submit = SubmitField(_l("Correct this entry"), widget=GovSubmitInput())


class ReceiptForm(FlaskForm):
    receipt = FileField(_l("Upload a receipt"), widget=GovFileInput())
    submit = SubmitField(_l("Add the receipt"), widget=GovSubmitInput())


class CommitmentForm(FlaskForm):
    description = short_text(
        _l("What is the money for?"), _l("Say what the money is for, like a booked week of respite")
    )
    amount = AmountField(_l("How much?"), missing=_l("Enter how much it will cost"))
    due_on = DateField(
        _l("When will it be paid?"), format="%d %m %Y", widget=DayMonthYear(), validators=[], id="due_on-day"
    )
    plan_item = SelectField(_l("Which part of your plan is it for?"), widget=GovSelect(), validate_choice=False)
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_due_on(self, field):
        if field.data is None:
            raise ValidationError(_l("Enter a real date, like 27 3 2026"))


class CloseCommitmentForm(FlaskForm):
    how = HiddenField()


STATEMENT_SOURCES = [
    SelectChoice("bank", _l("A bank account")),
    SelectChoice("card", _l("A prepaid card")),
]


class StatementUploadForm(FlaskForm):
    source = RadioField(
        _l("Is the statement from a bank account or a prepaid card?"),
        widget=GovRadioInput(),
        choices=STATEMENT_SOURCES,
        validators=[InputRequired(_l("Select whether the statement is from a bank account or a prepaid card"))],
        validate_choice=False,
    )
    statement = FileField(_l("Upload a statement (a CSV file)"), widget=GovFileInput())

    def validate_source(self, field):
        if field.data not in ("bank", "card"):
            raise ValidationError(_l("Select whether the statement is from a bank account or a prepaid card"))

    submit = SubmitField(_l("Upload and check"), widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    submit = SubmitField(_l("Import these lines"), widget=GovSubmitInput())
    remap = SubmitField(_l("Check again with these columns"), widget=GovSubmitInput())


class AssistantForm(FlaskForm):
    name = short_text(_l("Your personal assistant's name"), _l("Enter your personal assistant's name"))
    hours_pattern = RadioField(
        _l("Are their hours the same every week?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("regular", _l("Yes, the same hours every week")),
            SelectChoice("irregular", _l("No, the hours change from week to week")),
        ],
        validators=[InputRequired(_l("Select whether their hours are the same every week"))],
        validate_choice=False,
    )
    usual_hours = StringField(_l("How many hours a week, usually?"), widget=GovTextInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    usual_hundredths: int | None = None

    def validate_hours_pattern(self, field):
        if field.data not in ("regular", "irregular"):
            raise ValidationError(_l("Select whether their hours are the same every week"))

    def validate_usual_hours(self, field):
        if self.hours_pattern.data != "regular":
            self.usual_hundredths = None
            return
        try:
            self.usual_hundredths = _weekly_hours(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the hours a week, like 20 or 7.5")) from None


def _weekly_hours(text: str) -> int:
    from portal.domain.plan_costing import hundredths

    value = hundredths(text)
    if not 0 < value <= 168_00:
        raise ValueError(text)
    return value


class TimesheetForm(FlaskForm):
    revision = HiddenField()
    submit = SubmitField(_l("Save timesheet"), widget=GovSubmitInput())

    hours: list[int]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        self.hours = []
        for day in DAYS:
            field = getattr(self, day)
            try:
                self.hours.append(hours_from_text(field.data or ""))
            except ValueError:
                field.errors = [*field.errors, _("Enter hours for %(day)s like 7.5 or 7:30", day=field.label.text)]
                valid = False
        return valid

    def seen_revision(self) -> int:
        return whole_number(self.revision.data, default=-1)


DAY_NAMES = {
    "monday": _l("Monday"),
    "tuesday": _l("Tuesday"),
    "wednesday": _l("Wednesday"),
    "thursday": _l("Thursday"),
    "friday": _l("Friday"),
    "saturday": _l("Saturday"),
    "sunday": _l("Sunday"),
}
for _day in DAYS:
    setattr(
        TimesheetForm,
        _day,
        StringField(
            DAY_NAMES[_day], widget=GovTextInput(), validators=[Length(max=6, message=_l("Enter hours like 7.5"))]
        ),
    )


class StatementPeriodForm(FlaskForm):
    """A GET form: which period a statement covers."""

    class Meta:
        csrf = False

    period = SelectField(_l("Which period?"), widget=GovSelect(), validate_choice=False)


class SendReturnForm(FlaskForm):
    period = RadioField(
        _l("Which period is this return for?"),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select the period the return is for"))],
        validate_choice=False,
    )
    declaration = BooleanField(
        _l(
            "I declare that the records for this period are true and complete, and that the money was spent on "
            "the support in my plan"
        ),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_l("You need to make the declaration before you send the return"))],
    )
    submit = SubmitField(_l("Send the return"), widget=GovSubmitInput())

    def validate_period(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select the period the return is for"))


class ReturnAnswerForm(FlaskForm):
    text = long_text(_l("Your answer"), _l("Write your answer"))
    submit = SubmitField(_l("Send your answer"), widget=GovSubmitInput())
