from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

MESSAGE_LENGTH = 500


class ChatForm(FlaskForm):
    message = StringField(
        _l("Your question"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Type a question")),
            Length(max=MESSAGE_LENGTH, message=_l("Your question must be 500 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class JargonSearchForm(FlaskForm):
    """A GET form: words to look for in the Jargon buster."""

    q = StringField(
        _l("Search for a word"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message=_l("Search for 100 characters or fewer"))],
    )


class NewChatForm(FlaskForm):
    """Only its CSRF token: starting again clears the conversation."""
