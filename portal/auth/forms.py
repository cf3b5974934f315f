from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from portal.auth.passwords import Guessable, guessable, words_about

# NCSC guidance: a length minimum and no composition rules; passphrases are welcome, and the maximum only stops
# someone making the server hash megabytes.
PASSWORD_MIN, PASSWORD_MAX = 10, 256


def _password_rules(field_label):
    return [
        InputRequired(_l("Enter %(label)s", label=field_label)),
        Length(min=PASSWORD_MIN, message=_l("Password must be %(low)d characters or more", low=PASSWORD_MIN)),
        Length(max=PASSWORD_MAX, message=_l("Password must be %(high)d characters or fewer", high=PASSWORD_MAX)),
        hard_to_guess,
    ]


def hard_to_guess(form, field):
    if not field.data or field.errors:
        return  # one message at a time: a too-short password is told only that
    found = guessable(field.data, words_about(*form.details_of_the_person(), current_app.config["COUNCIL_NAME"]))
    if found is Guessable.COMMON:
        raise ValidationError(_l("This password is too common. Try three random words, like ‘otter lantern biscuit’"))
    if found is Guessable.ABOUT_THEM:
        raise ValidationError(
            _l("Your password must not be based on your name, your email address or the name of this service")
        )


def email_rules():
    return [
        InputRequired(_l("Enter your email address")),
        Length(max=320, message=_l("Email address must be 320 characters or fewer")),
        Email(
            check_deliverability=False,
            message=_l("Enter an email address in the correct format, like name@example.com"),
        ),
    ]


class RegisterForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_rules())
    account_for = RadioField(
        _l("Who is this account for?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("person", _l("Me – I want support for myself")),
            SelectChoice("representative", _l("Someone I help – for example, a family member I care for")),
        ],
        validators=[InputRequired(_l("Select who this account is for"))],
    )
    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        validators=_password_rules(_l("a password")),
    )
    password_confirm = PasswordField(
        _l("Confirm password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(_l("Confirm your password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
    )
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())

    def details_of_the_person(self) -> tuple[str, ...]:
        return (self.full_name.data or "", self.email.data or "")


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_rules())
    password = PasswordField(
        _l("Password"), widget=GovPasswordInput(), validators=[InputRequired(_l("Enter your password"))]
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_rules())
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    """For a known account (`account=`): a reset, or a change when signed in."""

    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        validators=_password_rules(_l("a new password")),
    )
    password_confirm = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(_l("Confirm your new password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
    )
    submit = SubmitField(_l("Save new password"), widget=GovSubmitInput())

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def details_of_the_person(self) -> tuple[str, ...]:
        return (self.account.full_name or "", self.account.email or "")
