from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovPasswordInput, GovSubmitInput
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import DataRequired, InputRequired


class DownloadForm(FlaskForm):
    submit = SubmitField(_l("Download your data"), widget=GovSubmitInput())


class CloseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password"))],
    )
    understood = BooleanField(
        _l("I understand that closing my account cannot be undone"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_l("Confirm that you understand closing your account cannot be undone"))],
    )
    submit = SubmitField(_l("Close my account"), widget=GovSubmitInput())
