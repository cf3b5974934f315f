from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

# NCSC and GOV.UK guidance: a length minimum, no composition rules; a maximum stops hashing abuse.
PASSWORD_MIN, PASSWORD_MAX = 10, 128
COMMON_PASSWORDS = {"password123", "1234567890", "qwertyuiop", "password1234", "iloveyou12", "letmein1234"}


def _password_rules(field_label):
    return [
        InputRequired(_l("Enter %(label)s", label=field_label)),
        Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            message=_l("Password must be between %(low)d and %(high)d characters", low=PASSWORD_MIN, high=PASSWORD_MAX),
        ),
    ]


def not_a_common_password(form, field):
    if field.data and field.data.lower() in COMMON_PASSWORDS:
        raise ValidationError(_l("This password is too easy to guess. Try a short sentence you will remember"))


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
        validators=[*_password_rules(_l("a password")), not_a_common_password],
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
    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        validators=[*_password_rules(_l("a new password")), not_a_common_password],
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
