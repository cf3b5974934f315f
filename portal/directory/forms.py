from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional, ValidationError

from portal.domain.directory import outward_code
from portal.domain.money import pounds_to_pence
from portal.i18n import lazy_number

SORTS = [
    SelectChoice("relevance", _l("Best match")),
    SelectChoice("name", _l("Name, A to Z")),
    SelectChoice("cheapest", _l("Cheapest first")),
    SelectChoice("distance", _l("Nearest first")),
    SelectChoice("checked", _l("Most recently checked")),
]


class DirectorySearchForm(FlaskForm):
    """A GET form: every search has an address that can be bookmarked and shared. No CSRF: it changes nothing."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search for support"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Search words must be 200 characters or fewer"))],
    )
    category = SelectField(_l("Type of support"), widget=GovSelect(), validate_choice=False)
    area = SelectField(_l("Area"), widget=GovSelect(), validate_choice=False)
    postcode = StringField(_l("Postcode"), widget=GovTextInput(), validators=[Optional()])
    within = SelectField(_l("Distance"), widget=GovSelect(), validate_choice=False)
    cost = RadioField(_l("Cost"), widget=GovRadioInput(), default="", validate_choice=False)
    access = SelectMultipleField(_l("Venue access"), widget=GovCheckboxesInput(), validate_choice=False)
    language = SelectField(_l("Language"), widget=GovSelect(), validate_choice=False)
    only = SelectMultipleField(
        _l("Only show services that"),
        widget=GovCheckboxesInput(),
        choices=[
            SelectChoice("direct-payments", _l("accept direct payments")),
            SelectChoice("preferred", _l("are on the council's preferred provider list")),
        ],
        validate_choice=False,
    )
    sort = SelectField(_l("Sort by"), widget=GovSelect(), choices=SORTS, validate_choice=False)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])

    def validate_postcode(self, field):
        if field.data and (len(field.data) > 10 or outward_code(field.data) is None):
            raise ValidationError(_l("Enter a full postcode, like AT3 4QD, or the first half, like AT3"))


COST_UNITS = [
    SelectChoice("Free", _l("Free")),
    SelectChoice("per hour", _l("per hour")),
    SelectChoice("per session", _l("per session")),
    SelectChoice("per day", _l("per day")),
    SelectChoice("per night", _l("per night")),
    SelectChoice("per week", _l("per week")),
    SelectChoice("per trip", _l("per trip")),
    SelectChoice("per mile", _l("per mile")),
    SelectChoice("one-off", _l("one-off")),
]


def _money(form, field):
    if field.data and field.data.strip():
        try:
            pounds_to_pence(field.data)
        except ValueError:
            raise ValidationError(_l("Enter the cost in pounds, like 27.50")) from None


COST_ROWS = 3


class CostForm(Form):
    """One cost option. A row left empty is ignored."""

    label = StringField(
        _l("What the cost is for"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("What the cost is for must be 200 characters or fewer"))],
    )
    amount = StringField(_l("Cost in pounds"), widget=GovTextInput(), validators=[_money])
    unit = SelectField(
        _l("Charged"),
        widget=GovSelect(),
        choices=[SelectChoice("", _l("Choose")), *COST_UNITS],
        default="",
        validate_choice=False,
    )

    def filled(self) -> bool:
        return bool((self.amount.data or "").strip()) or self.unit.data == "Free"

    def validate_amount(self, field):
        if (self.unit.data or "") not in ("", "Free") and not (field.data or "").strip():
            raise ValidationError(_l("Enter the cost, or choose Free"))

    def validate_unit(self, field):
        if field.data and field.data not in {choice.value for choice in COST_UNITS}:
            raise ValidationError(_l("Choose how it is charged, like per hour"))
        if (self.amount.data or "").strip() and not field.data:
            raise ValidationError(_l("Choose how it is charged, like per hour"))


class ServiceForm(FlaskForm):
    """What council staff add or change in a directory entry; the rest of its ORUK record is kept as it is."""

    name = StringField(
        _l("Name of the service"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter the name of the service")),
            Length(max=300, message=_l("Name must be 300 characters or fewer")),
        ],
    )
    organisation = StringField(
        _l("Organisation that runs it"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter the organisation that runs it")),
            Length(max=300, message=_l("Organisation must be 300 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("What it offers"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Describe what the service offers")),
            Length(max=2000, message=_l("Description must be 2,000 characters or fewer")),
        ],
    )
    categories = SelectMultipleField(
        _l("Types of support"),
        widget=GovCheckboxesInput(),
        validators=[DataRequired(_l("Select at least one type of support"))],
    )
    costs = FieldList(FormField(CostForm), min_entries=COST_ROWS, max_entries=COST_ROWS)
    phone = StringField(
        _l("Phone number"),
        widget=GovTextInput(),
        validators=[Length(max=30, message=_l("Phone number must be 30 characters or fewer"))],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Email(message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    url = StringField(
        _l("Website"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(message=_l("Enter a web address that starts with https://")),
            Length(max=500, message=_l("Web address must be 500 characters or fewer")),
        ],
    )
    flags = SelectMultipleField(
        _l("Also"),
        widget=GovCheckboxesInput(),
        choices=[
            SelectChoice("accepts-direct-payments", _l("Accepts direct payments")),
            SelectChoice("preferred-provider", _l("On the council's preferred provider list")),
        ],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not any(row.form.filled() for row in self.costs):
            # On the first row's amount, so the error summary links to a field people can fill in.
            self.costs[0].form.amount.errors = [*self.costs[0].form.amount.errors, _l("Enter a cost, or choose Free")]
            self.costs.errors = [row.errors for row in self.costs]  # FieldList keeps a copy made while validating
            return False
        return valid


class RetireForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this service being taken out of the directory?"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Enter why the service is being taken out")),
            Length(max=2000, message=_l("The reason must be %(most)s characters or fewer", most=lazy_number(2000))),
        ],
    )
    submit = SubmitField(_l("Take it out of the directory"), widget=GovSubmitInput())
