from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.assessment.forms import HelperName, helper_name_field, who_helped_field
from portal.domain.money import pounds_to_pence
from portal.domain.plan_costing import hundredths
from portal.form_input import whole_number
from portal.i18n import lazy_number

LONG = 2000
TOO_LONG = _l("This must be %(most)s characters or fewer", most=lazy_number(LONG))

MANAGEMENT = [
    SelectChoice("direct_payment", _l("A direct payment")),
    SelectChoice("nominee", _l("A direct payment managed by someone I trust (a nominee or agent)")),
    SelectChoice("trust", _l("A user-controlled trust")),
    SelectChoice("isf", _l("An individual service fund with a provider")),
    SelectChoice("council", _l("The council arranges and pays for my support")),
    SelectChoice("mix", _l("A mix: I will choose for each part of my plan")),
]
FREQUENCIES = [
    SelectChoice("week", _l("Every week")),
    SelectChoice("4 weeks", _l("Every 4 weeks")),
    SelectChoice("year", _l("Once a year")),
    SelectChoice("one-off", _l("Just once (a one-off)")),
]


def long_text(label, required_message=None):
    validators = [Length(max=LONG, message=TOO_LONG)]
    if required_message:
        validators.insert(0, DataRequired(required_message))
    return TextAreaField(label, widget=GovTextArea(), validators=validators)


class PlanForm(FlaskForm):
    """Every part of the plan carries the revision the page was made from, so a stale save is caught."""

    revision = HiddenField()
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())

    def seen_revision(self) -> int:
        return whole_number(self.revision.data, default=-1)


class StartPlanForm(FlaskForm):
    submit = SubmitField(_l("Start your support plan"), widget=GovSubmitInput())


class AboutMeForm(PlanForm):
    important = long_text(_l("What is important to me"), _l("Tell us what is important to you"))
    good_day = long_text(_l("What a good day looks like"))
    strengths = long_text(_l("What I am good at, and what I enjoy"))
    circle = long_text(_l("The people in my life who support me"))


class OutcomeForm(PlanForm):
    what = long_text(_l("What do you want to change or achieve?"), _l("Tell us what you want to change or achieve"))
    how_we_know = long_text(_l("How will you know it is working?"), _l("Tell us how you will know it is working"))
    needs = SelectMultipleField(
        _l("Which of your needs does this help with?"), widget=GovCheckboxesInput(), validate_choice=False
    )


class NeedReasonsForm(PlanForm):
    """One reason box per need no outcome covers; added to the form per plan."""


class ItemForm(PlanForm):
    description = StringField(
        _l("What is it?"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Say what it is, like a personal assistant or a tandem bicycle")),
            Length(max=300, message=_l("This must be 300 characters or fewer")),
        ],
    )
    price = StringField(_l("Price"), widget=GovTextInput())
    unit_label = StringField(
        _l("For each"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Say what the price is for, like an hour, a night or the whole thing")),
            Length(max=60, message=_l("This must be 60 characters or fewer")),
        ],
    )
    quantity = StringField(_l("How many each time"), widget=GovTextInput())
    frequency = RadioField(
        _l("How often?"),
        widget=GovRadioInput(),
        choices=FREQUENCIES,
        validators=[InputRequired(_l("Select how often"))],
        validate_choice=False,
    )
    outcomes = SelectMultipleField(
        _l("Which of your outcomes is it for?"), widget=GovCheckboxesInput(), validate_choice=False
    )
    management = SelectField(
        _l("How will this be paid for?"),
        widget=GovSelect(),
        choices=[SelectChoice("", _l("As for the rest of my plan")), *MANAGEMENT[:-1]],
        validate_choice=False,
    )
    recalculate = SubmitField(_l("Recalculate"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save this item"), widget=GovSubmitInput())

    unit_pence: int = 0
    quantity_hundredths: int = 0

    def validate_price(self, field):
        try:
            self.unit_pence = pounds_to_pence(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the price in pounds, like 16.50")) from None

    def validate_quantity(self, field):
        try:
            self.quantity_hundredths = hundredths(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter how many, like 1, 7.5 or 10")) from None
        if self.quantity_hundredths == 0:
            raise ValidationError(_l("Enter how many, like 1, 7.5 or 10"))

    def validate_frequency(self, field):
        if field.data not in {choice.value for choice in FREQUENCIES}:
            raise ValidationError(_l("Select how often"))

    def validate_management(self, field):
        if field.data and field.data not in {choice.value for choice in MANAGEMENT}:
            raise ValidationError(_l("Select how this will be paid for"))


class ManagementForm(PlanForm):
    method = RadioField(
        _l("How will your budget be managed?"),
        widget=GovRadioInput(),
        choices=MANAGEMENT,
        validators=[InputRequired(_l("Select how your budget will be managed"))],
        validate_choice=False,
    )

    def validate_method(self, field):
        if field.data not in {choice.value for choice in MANAGEMENT}:
            raise ValidationError(_l("Select how your budget will be managed"))


class StayingSafeForm(PlanForm):
    risks = long_text(_l("What could go wrong?"), _l("Tell us what could go wrong, for example if your carer is away"))
    plan = long_text(_l("What will you do if it does?"), _l("Tell us what you will do if it does"))
    contacts = long_text(
        _l("Who to call in an emergency"), _l("Give at least one person to call in an emergency, with their number")
    )


class HelpedForm(HelperName, PlanForm):
    who_helped = who_helped_field(_l("Who helped you write this plan?"), _l("Select who helped you write this plan"))
    helper_name = helper_name_field()
    consent = BooleanField(
        _l("I agree to share this plan with the council so it can be agreed and paid for"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_l("You need to agree to share the plan before the council can agree it"))],
    )


class SubmitPlanForm(PlanForm):
    over_budget_reason = long_text(_l("Why does your plan cost more than the indicative budget?"))
    submit = SubmitField(_l("Send my plan to the council"), widget=GovSubmitInput())
