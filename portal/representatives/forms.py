from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from portal.domain.permissions import LegalBasis, Permission
from portal.representatives.wording import LEGAL_BASIS_NAMES, PERMISSION_NAMES


class PermissionsField(SelectMultipleField):
    def pre_validate(self, form):
        # WTForms' own message repeats what was sent back into the page; this one does not.
        if any(value not in {permission.value for permission in Permission} for value in self.data or []):
            raise ValidationError(_l("Select from the list of things they can do"))


def _permissions_field() -> SelectMultipleField:
    return PermissionsField(
        _l("What can they do?"),
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(permission.value, PERMISSION_NAMES[permission]) for permission in Permission],
        validators=[InputRequired(_l("Select at least one thing they can do"))],
    )


def _name(label, message):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            DataRequired(message),
            Length(max=200, message=_l("This must be 200 characters or fewer")),
        ],
    )


def _relationship():
    return StringField(
        _l("How do they know you?"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Say how they know you, like “my daughter” or “my support broker”")),
            Length(max=100, message=_l("This must be 100 characters or fewer")),
        ],
    )


class PermissionsForm(FlaskForm):
    permissions = _permissions_field()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def chosen(self) -> list[Permission]:
        return [Permission(value) for value in self.permissions.data or []]


class InviteForm(PermissionsForm):
    helper_name = _name(_l("Their name"), _l("Enter the name of the person you want to help you"))
    relationship = _relationship()
    send_by = RadioField(
        _l("How do you want to give them the invitation?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("email", _l("By email")),
            SelectChoice("code", _l("I will read them a code, on the phone or in person")),
        ],
        validators=[InputRequired(_l("Select how you want to give them the invitation"))],
    )
    email = StringField(
        _l("Their email address"),
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Send the invitation"), widget=GovSubmitInput())

    def validate_email(self, field):
        """Only asked for when sending by email (the box is revealed by that choice)."""
        if self.send_by.data != "email":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter their email address"))
        Length(max=320, message=_l("This must be 320 characters or fewer"))(self, field)
        Email(message=_l("Enter an email address in the correct format, like name@example.com"))(self, field)


class AcceptForm(FlaskForm):
    code = StringField(
        _l("Invitation code"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter the invitation code")),
            Length(max=40, message=_l("The code is 9 letters and numbers, like ABC-DEF-234")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class FindPersonForm(FlaskForm):
    class Meta:
        csrf = False  # a search: a GET that changes nothing

    search = StringField(
        _l("Name or email address"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter a name or email address")),
            Length(min=2, max=100, message=_l("Enter between 2 and 100 characters")),
        ],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())


class RecordRepresentativeForm(PermissionsForm):
    email = StringField(
        _l("The representative’s email address"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter the email address of the representative’s account")),
            Length(max=320, message=_l("This must be 320 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    relationship = StringField(
        _l("Their relationship to the person"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter their relationship to the person")),
            Length(max=100, message=_l("This must be 100 characters or fewer")),
        ],
    )
    legal_basis = RadioField(
        _l("On what legal basis do they act?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(basis.value, LEGAL_BASIS_NAMES[basis]) for basis in LegalBasis],
        validators=[InputRequired(_l("Select the legal basis"))],
    )
    reason = TextAreaField(
        _l("Why the person cannot give consent themselves"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Explain why the person cannot give consent themselves")),
            Length(max=2000, message=_l("This must be 2,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Record the representative"), widget=GovSubmitInput())

    def legal_basis_chosen(self) -> LegalBasis:
        return LegalBasis(self.legal_basis.data)
