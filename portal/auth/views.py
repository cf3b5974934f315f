from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_login import current_user, login_user, logout_user

from portal.auth.forms import ForgottenPasswordForm, NewPasswordForm, RegisterForm, SignInForm
from portal.data import accounts, outbox, password_resets, sessions
from portal.easy_read import SESSION_KEY as EASY_READ
from portal.extensions import limiter
from portal.navigation import home_url, safe_next
from portal.settings import signed_in

bp = Blueprint("auth", __name__, template_folder="templates")


def _start_session(user) -> None:
    easy_read = session.get(EASY_READ)
    session.clear()  # a fresh session on sign-in: nothing from before it carries over but how to show pages
    login_user(user)
    if easy_read:
        session[EASY_READ] = True
    if user.locale:
        session["locale"] = user.locale
    accounts.record_sign_in(user)
    signed_in.start(user)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        user = None
        if not accounts.email_in_use(form.email.data):
            user = accounts.create_user_unless_taken(
                form.email.data,
                form.password.data,
                form.full_name.data,
                accounts.Role(form.account_for.data),
                locale=session.get("locale"),
            )
        if user is None:
            form.email.errors.append(_("An account already uses this email address. Sign in, or reset your password"))
        else:
            _start_session(user)
            flash(_("Your account has been created."), "success")
            return redirect(url_for("account.dashboard"))
    return render_template("auth/register.html", form=form)


def _sign_in_key() -> str:
    return (request.form.get("email") or "").strip().lower()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"], key_func=_sign_in_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.get_user_by_email(form.email.data)
        if user is not None and user.closed_at is not None:
            user = None  # a closed account is answered exactly as an unknown email is
        if accounts.check_password(user, form.password.data):
            _start_session(user)
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        signed_in.record_failed_sign_in(user)  # for an unknown email too, so the answer takes as long
        # One message whichever was wrong, so the form does not reveal who has an account.
        form.email.errors.append(_("Enter a correct email address and password"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    signed_in.end_this()
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
def signed_out():
    return render_template("auth/signed_out.html")


@bp.route("/forgotten-password", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        user = accounts.get_user_by_email(form.email.data)
        if user is not None:
            lifetime = timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])
            token = password_resets.issue_token(user, lifetime)
            link = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("auth.reset_password", token=token)
            outbox.send_email(
                user.email,
                _("Reset your Choice and Control password"),
                _(
                    "Hello %(name)s,\n\nSomeone asked to reset the password for your Choice and Control account. "
                    "To choose a new password, open this link within %(minutes)s minutes:\n\n%(link)s\n\n"
                    "The link works once. If you did not ask for this, you can ignore this email: "
                    "your password has not changed.\n\n%(council)s",
                    name=user.full_name,
                    minutes=current_app.config["PASSWORD_RESET_MINUTES"],
                    link=link,
                    council=current_app.config["COUNCIL_NAME"],
                ),
            )
        # The same answer whether or not an account exists.
        session["reset_email"] = form.email.data
        return redirect(url_for("auth.check_your_email"))
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/forgotten-password/check-your-email")
def check_your_email():
    return render_template("auth/check_your_email.html", email=session.pop("reset_email", None))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset = password_resets.find_usable_token(token)
    if reset is None:
        return render_template("auth/reset_link_expired.html"), 410
    form = NewPasswordForm(account=reset.user)
    if form.validate_on_submit():
        if not password_resets.spend_tokens(reset.user):
            return render_template("auth/reset_link_expired.html"), 410  # another request used it first
        accounts.set_password(reset.user, form.password.data)
        sessions.end_sessions(reset.user, keeping_key=None, reason="password reset")
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
