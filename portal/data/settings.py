"""A person's settings, remembered on their account. Each change is audited: which setting, never its value."""

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import User

# Only these columns can be changed here: a settings form can never reach the role, email or password.
SETTINGS = ("locale", "contact_method", "phone", "reminders_by_email", "text_size", "high_contrast")


def save_settings(user: User, **changes: object) -> list[str]:
    """Save the settings given; returns the names of those that changed (unchanged ones are not audited)."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ValueError(f"not a setting: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, changes[name])
        record_event(user, user.id, "settings.changed", setting=name)
    if changed:
        db_session().commit()
    return changed
