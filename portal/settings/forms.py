from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from portal.domain.settings import uk_phone_number

# The words for each choice; the summary page shows the same words as the change pages.
CONTACT_CHOICES = [
    SelectChoice("email", _l("Email")),
    SelectChoice("phone", _l("Phone")),
    SelectChoice("letter", _l("Letter")),
]
YES_NO_CHOICES = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
TEXT_SIZE_CHOICES = [
    SelectChoice("standard", _l("Standard")),
    SelectChoice("large", _l("Large")),
    SelectChoice("largest", _l("Largest")),
]
CONTRAST_CHOICES = [SelectChoice("standard", _l("Standard")), SelectChoice("high", _l("High contrast"))]


def choice_field(label, choices, when_missing) -> RadioField:
    """Radios whose only error, for nothing chosen or a value not offered, is GOV.UK's "Select …" message."""
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=choices,
        validators=[InputRequired(when_missing), AnyOf([choice.value for choice in choices], message=when_missing)],
        validate_choice=False,
    )


def save_button():
    return SubmitField(_l("Save"), widget=GovSubmitInput())


class LanguageForm(FlaskForm):
    language = RadioField(_l("Which language do you want to use?"), widget=GovRadioInput(), validate_choice=False)
    submit = save_button()

    def __init__(self, languages: dict[str, str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        missing = _l("Select the language you want to use")
        self.language.choices = [SelectChoice(code, name) for code, name in languages.items()]
        self.language.validators = [InputRequired(missing), AnyOf(list(languages), message=missing)]


class ContactForm(FlaskForm):
    contact_method = choice_field(
        _l("How should the council contact you?"),
        CONTACT_CHOICES,
        _l("Select how the council should contact you"),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class PhoneForm(FlaskForm):
    phone = StringField(_l("What number should the council call?"), widget=GovTextInput())
    submit = save_button()

    def validate_phone(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter a phone number"))
        if uk_phone_number(field.data) is None:
            # Shown again to be corrected, minus any control characters: sent back, they would break the page.
            field.data = "".join(character for character in field.data if character.isprintable())
            raise ValidationError(_l("Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"))


class RemindersForm(FlaskForm):
    reminders = choice_field(
        _l("Do you want reminders by email?"),
        YES_NO_CHOICES,
        _l("Select yes if you want reminders by email"),
    )
    submit = save_button()


class TextSizeForm(FlaskForm):
    text_size = choice_field(_l("What size text do you want?"), TEXT_SIZE_CHOICES, _l("Select a text size"))
    submit = save_button()


class ContrastForm(FlaskForm):
    contrast = choice_field(_l("Which contrast do you want?"), CONTRAST_CHOICES, _l("Select a contrast"))
    submit = save_button()
