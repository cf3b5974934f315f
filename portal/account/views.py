from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_user

from portal.account.forms import ChangePasswordForm
from portal.account.journey import STATUS_NAMES, journey_steps, next_step, steps_a_helper_may_open
from portal.data import accounts
from portal.domain.permissions import read_permissions
from portal.extensions import limiter
from portal.navigation import home_url, safe_next
from portal.settings import signed_in

bp = Blueprint("account", __name__, template_folder="templates")


@bp.route("/dashboard")
def dashboard():
    if home_url(current_user) != url_for("account.dashboard"):
        return redirect(home_url(current_user))
    steps = journey_steps(current_user.id)
    helped = []
    for link in accounts.people_helped(current_user):
        their_steps = steps_a_helper_may_open(journey_steps(link.person_id), read_permissions(link.permissions))
        helped.append((link, their_steps, next_step(their_steps)))
    return render_template(
        "account/dashboard.html",
        steps=steps,
        next_step=next_step(steps),
        people_helped=helped,
        status_names=STATUS_NAMES,
    )


def _account_key() -> str:
    return f"account:{current_user.id}"


@bp.route("/account/change-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], key_func=_account_key)
def change_password():
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("Your current password is not correct"))
        else:
            user = current_user._get_current_object()
            accounts.set_password(user, form.password.data)
            # Other sessions end with the old version; this one carries on with the new.
            login_user(user)
            signed_in.end_others(user, reason="password changed")
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("account.dashboard"))
    return render_template("account/change_password.html", form=form)


@bp.route("/account/keep-alive", methods=["POST"])
def keep_alive():
    # CSRF is checked for every POST, and any request restarts the idle clock: nothing more to do.
    if request.headers.get("HX-Request") == "true":
        return "", 204
    return redirect(safe_next(request.form.get("next")) or url_for("account.dashboard"))
