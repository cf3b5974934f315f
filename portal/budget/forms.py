from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.domain.assessment import MAX_TEXT_LENGTH
from portal.i18n import lazy_number

TOO_LONG = _l("Your answer must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH))


class ReviewRequestForm(FlaskForm):
    # DataRequired, not InputRequired: a reason of only spaces is no reason.
    reason = TextAreaField(
        _l("Why do you think this is not right?"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Tell us why you think this is not right")),
            Length(
                max=MAX_TEXT_LENGTH,
                message=_l("Your answer must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH)),
            ),
        ],
    )
    what_is_needed = TextAreaField(
        _l("What support do you think you need?"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Tell us what support you think you need")),
            Length(
                max=MAX_TEXT_LENGTH,
                message=_l("Your answer must be %(most)s characters or fewer", most=lazy_number(MAX_TEXT_LENGTH)),
            ),
        ],
    )
    submit = SubmitField(_l("Send request"), widget=GovSubmitInput())
