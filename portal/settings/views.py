from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import _
from flask_login import current_user, logout_user

from portal.data import sessions as user_sessions
from portal.data.settings import save_settings
from portal.domain.settings import page_classes, uk_phone_number
from portal.i18n import LANGUAGE_NAMES
from portal.settings import forms, signed_in
from portal.settings.presenting import choice_words, device_words

bp = Blueprint("settings", __name__, template_folder="templates")


@bp.app_context_processor
def _display_settings() -> dict[str, object]:
    """Every page carries the signed-in person's text size and contrast, as classes on <html>."""
    chosen = page_classes(current_user.text_size, current_user.high_contrast) if current_user.is_authenticated else ()
    return {"page_classes": " ".join(chosen)}


def _user():
    return current_user._get_current_object()


def _languages() -> dict[str, str]:
    return {code: LANGUAGE_NAMES[code] for code in current_app.config["LANGUAGES"]}


def _saved():
    flash(_("Your settings have been saved."), "success")
    return redirect(url_for("settings.summary"))


@bp.route("/account/settings")
def summary():
    user = _user()
    return render_template(
        "settings/summary.html",
        language=_languages().get(user.locale or "", ""),
        contact=choice_words(forms.CONTACT_CHOICES, user.contact_method, _("Not chosen yet")),
        phone=user.phone if user.contact_method == "phone" else None,
        reminders=choice_words(forms.YES_NO_CHOICES, "yes" if user.reminders_by_email else "no", ""),
        text_size=choice_words(forms.TEXT_SIZE_CHOICES, user.text_size or "standard", ""),
        contrast=choice_words(forms.CONTRAST_CHOICES, "high" if user.high_contrast else "standard", ""),
    )


@bp.route("/account/settings/language", methods=["GET", "POST"])
def language():
    user = _user()
    form = forms.LanguageForm(_languages(), data={"language": user.locale})
    if form.validate_on_submit():
        save_settings(user, locale=form.language.data)
        session["locale"] = form.language.data
        return _saved()
    return render_template("settings/language.html", form=form)


@bp.route("/account/settings/contact", methods=["GET", "POST"])
def contact():
    user = _user()
    form = forms.ContactForm(data={"contact_method": user.contact_method})
    if form.validate_on_submit():
        if form.contact_method.data == "phone":
            return redirect(url_for("settings.phone"))  # saved with the number, so "phone" never lacks one
        # A number is kept only while the council is asked to phone: nothing is held that is not used.
        save_settings(user, contact_method=form.contact_method.data, phone=None)
        return _saved()
    return render_template("settings/contact.html", form=form)


@bp.route("/account/settings/phone", methods=["GET", "POST"])
def phone():
    user = _user()
    form = forms.PhoneForm(data={"phone": user.phone})
    if form.validate_on_submit():
        save_settings(user, contact_method="phone", phone=uk_phone_number(form.phone.data))
        return _saved()
    return render_template("settings/phone.html", form=form)


@bp.route("/account/settings/reminders", methods=["GET", "POST"])
def reminders():
    user = _user()
    form = forms.RemindersForm(data={"reminders": "yes" if user.reminders_by_email else "no"})
    if form.validate_on_submit():
        save_settings(user, reminders_by_email=form.reminders.data == "yes")
        return _saved()
    return render_template("settings/reminders.html", form=form)


@bp.route("/account/settings/text-size", methods=["GET", "POST"])
def text_size():
    user = _user()
    form = forms.TextSizeForm(data={"text_size": user.text_size or "standard"})
    if form.validate_on_submit():
        chosen = form.text_size.data
        save_settings(user, text_size=None if chosen == "standard" else chosen)
        return _saved()
    return render_template("settings/text_size.html", form=form)


@bp.route("/account/settings/contrast", methods=["GET", "POST"])
def contrast():
    user = _user()
    form = forms.ContrastForm(data={"contrast": "high" if user.high_contrast else "standard"})
    if form.validate_on_submit():
        save_settings(user, high_contrast=form.contrast.data == "high")
        return _saved()
    return render_template("settings/contrast.html", form=form)


@bp.route("/account/sessions")
def sessions():
    this_session = user_sessions.find_session(signed_in.this_key() or "")
    rows = [
        (row, device_words(row.device), this_session is not None and row.id == this_session.id)
        for row in user_sessions.active_sessions(_user(), signed_in.idle_limit())
    ]
    rows.sort(key=lambda shown: not shown[2])  # this device first, then the most recently used
    return render_template("settings/sessions.html", rows=rows, others=sum(not is_this for *_, is_this in rows))


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    # Someone else's session, one already ended, or this one (that is Sign out): not found, and nothing changes.
    ended = user_sessions.end_session(_user(), session_id, keeping_key=signed_in.this_key())
    if ended is None:
        abort(404)
    flash(_("%(device)s has been signed out.", device=device_words(ended.device)), "success")
    return redirect(url_for("settings.sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
def end_other_sessions():
    signed_in.end_others(_user(), reason="signed out everywhere else")
    flash(_("You have been signed out everywhere else."), "success")
    return redirect(url_for("settings.sessions"))


@bp.route("/account/sessions/end-all", methods=["POST"])
def end_all_sessions():
    user_sessions.end_sessions(_user(), keeping_key=None, reason="signed out everywhere")
    logout_user()
    session.clear()
    flash(_("You have been signed out everywhere, including this device."), "success")
    return redirect(url_for("auth.signed_out"))
