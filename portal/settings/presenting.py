"""Settings and signed-in sessions in the reader's words."""

from flask_babel import _

from portal.domain.devices import Device


def device_words(label: str) -> str:
    """A stored device ("Firefox on Windows") in the reader's language; browsers and systems keep their own names."""
    device = Device.from_label(label)
    if device.browser and device.system:
        return _("%(browser)s on %(system)s", browser=device.browser, system=device.system)
    if device.system:
        return _("A web browser on %(system)s", system=device.system)
    return device.browser or _("A device we do not recognise")


def choice_words(choices, value: str | None, otherwise: str) -> str:
    """The words a change page shows for a stored choice, so the summary says the same thing."""
    return next((str(choice.label) for choice in choices if choice.value == value), otherwise)
