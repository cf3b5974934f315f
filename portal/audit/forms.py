import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, ValidationError

from portal.audit.wording import KIND_NAMES
from portal.domain.audit_trail import Kind, PersonGroup
from portal.spending.forms import DayMonthYear

MOST_TYPED = 200
EARLIEST_YEAR = 2000  # before the portal, or a slip of the keyboard
LATEST_YEAR = 2999  # the log has nothing from the future; a year like 9999 is a slip too (and cannot be searched to)
# U+FFFD too: that is what a NUL becomes as the query string is read (portal/incoming.py).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffd]")


def _printable(text: str | None) -> str | None:
    # A pasted control character is not part of anyone's name: searching for it would find nobody.
    return _CONTROL.sub("", text) if text else text


class DayField(DateField):
    """A day to search from or to, in GOV.UK's day, month and year boxes; left empty, no limit."""

    def __init__(self, label, **kwargs):
        super().__init__(label, format="%d %m %Y", widget=DayMonthYear(), validators=[], **kwargs)
        # The error summary links to the day box, which can take focus (GOV.UK pattern).
        self.id = f"{self.name}-day"

    def process_formdata(self, valuelist):
        # A hand-made address can carry any number of parts, of any length: the boxes always get three, short.
        parts = [str(part)[:10] for part in valuelist[:3]]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data = None
        if not any(part.strip() for part in self.raw_data):
            return
        try:
            day, month, year = (int(part.strip()) for part in self.raw_data)
            self.data = date(year, month, day)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(_l("Enter a real date, like 27 3 2026")) from None
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            self.data = None
            raise ValueError(_l("Enter a real date, like 27 3 2026"))

    def pre_validate(self, form):
        pass  # an empty day is allowed; a wrong one was caught when the boxes were read


class DateRangeForm(FlaskForm):
    """A GET form: every search has an address that can be bookmarked. No CSRF: it changes nothing."""

    class Meta:
        csrf = False

    since = DayField(_l("From"))
    until = DayField(_l("To"))

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The ‘to’ date must be the same as or after the ‘from’ date"))


class HistoryFilterForm(DateRangeForm):
    kind = RadioField(
        _l("What to show"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("", _l("Everything")),
            SelectChoice(PersonGroup.VIEWS.value, _l("Council staff looking at your record")),
            SelectChoice(PersonGroup.CHANGES.value, _l("Changes to your record or account")),
            SelectChoice(PersonGroup.DECISIONS.value, _l("Council decisions")),
            SelectChoice(PersonGroup.SIGN_INS.value, _l("Signing in")),
        ],
        default="",
        validate_choice=False,  # checked below, with a message that says what to do
    )

    def validate_kind(self, field):
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select what to show"))

    def group(self) -> PersonGroup | None:
        return PersonGroup(self.kind.data) if self.kind.data else None


class AuditSearchForm(DateRangeForm):
    person = StringField(
        _l("Whose record"),
        widget=GovTextInput(),
        filters=[_printable],
        validators=[Length(max=MOST_TYPED, message=_l("Whose record must be 200 characters or fewer"))],
    )
    actor = StringField(
        _l("Who did it"),
        widget=GovTextInput(),
        filters=[_printable],
        validators=[Length(max=MOST_TYPED, message=_l("Who did it must be 200 characters or fewer"))],
    )
    kind = SelectField(
        _l("Kind of event"),
        widget=GovSelect(),
        choices=[SelectChoice("", _l("Any kind"))] + [SelectChoice(kind.value, KIND_NAMES[kind]) for kind in Kind],
        default="",
        validate_choice=False,  # checked below, with a message that says what to do
    )

    def validate_kind(self, field):
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select a kind of event from the list"))

    def chosen_kind(self) -> Kind | None:
        return Kind(self.kind.data) if self.kind.data else None
