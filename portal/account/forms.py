from flask_wtf import FlaskForm

from portal.auth.forms import ChangePasswordForm

__all__ = ["ChangePasswordForm", "KeepAliveForm"]


class KeepAliveForm(FlaskForm):
    """Only the CSRF token: staying signed in changes the session, so it is a checked POST."""
