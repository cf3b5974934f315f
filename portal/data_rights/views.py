"""The person's own rights over their data: a copy of everything, and closing the account.

Both are for the signed-in person's own account only. A helper acting for someone never gets them: the right
belongs to the person (a helper who has their own account can download or close that).
"""

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, send_file, session, url_for
from flask_babel import _
from flask_login import current_user, logout_user

from portal.data import accounts, conversations, data_rights
from portal.data_rights import export, presenting
from portal.data_rights.forms import CloseAccountForm, DownloadForm
from portal.domain.retention import Record
from portal.extensions import limiter
from portal.navigation import home_url
from portal.timekeeping import today

bp = Blueprint("data_rights", __name__, template_folder="templates")


def _account_key() -> str:
    return f"account:{current_user.id}"


@bp.route("/account/your-data")
def your_data():
    return render_template("data_rights/your_data.html", form=DownloadForm())


@bp.route("/account/your-data/download", methods=["POST"])
@limiter.limit("10 per hour", key_func=_account_key)
def download_your_data():
    form = DownloadForm()
    if not form.validate_on_submit():
        return redirect(url_for("data_rights.your_data"))
    user = current_user._get_current_object()
    made_at = datetime.now(UTC)
    pack = export.zip_of(data_rights.records_of(user), made_at)
    data_rights.record_download(user)
    name = f"your-data-{made_at.date().isoformat()}.zip"
    return send_file(pack, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


def _closure_context() -> dict[str, object]:
    closure = data_rights.closure_for(current_user, today())
    return {
        "deleted": presenting.deleted_words(closure),
        "kept": presenting.kept_rows(closure),
        "people_helped": data_rights.people_helped_by(current_user),
        "has_account": any(group.record is Record.BUDGET_ACCOUNT for group in closure.kept),
    }


@bp.route("/account/close")
def close_account():
    return render_template("data_rights/close_account.html", **_closure_context())


@bp.route("/account/close/confirm", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], key_func=_account_key)
def confirm_close_account():
    form = CloseAccountForm()
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.password.data):
            form.password.errors.append(_("Your password is not correct"))
        else:
            data_rights.close_account(current_user._get_current_object(), today())
            if "chat" in session:  # the assistant's conversation in this browser goes with the account
                conversations.forget(session["chat"])
            logout_user()
            session.clear()
            return redirect(url_for("data_rights.account_closed"))
    return render_template("data_rights/confirm_close_account.html", form=form)


@bp.route("/account/closed")
def account_closed():
    if current_user.is_authenticated:  # only someone just signed out by closing has a closed account to hear about
        return redirect(home_url(current_user))
    return render_template("data_rights/account_closed.html")
