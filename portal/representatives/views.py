"""People who help: a person invites and manages their helpers; a helper accepts and sees the people they help;
staff record a representative for a person who cannot consent."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_login import current_user

from portal.data import accounts, audit, outbox, representatives
from portal.extensions import limiter
from portal.people import record_holder
from portal.representatives.forms import (
    AcceptForm,
    ConfirmForm,
    FindPersonForm,
    InviteForm,
    PermissionsForm,
    RecordRepresentativeForm,
)
from portal.representatives.wording import LEGAL_BASIS_NAMES, PERMISSION_HINTS, PERMISSION_NAMES, permission_names

bp = Blueprint("representatives", __name__, template_folder="templates")

SHOWN_CODE = "invitation_code"  # the new code, shown once on the next page, then gone


@bp.context_processor
def _wording():
    return {
        "permission_names": permission_names,
        "permission_hints": PERMISSION_HINTS,
        "permission_items": lambda: [{"hint": {"text": PERMISSION_HINTS[p]}} for p in PERMISSION_NAMES],
        "legal_basis_names": {basis.value: name for basis, name in LEGAL_BASIS_NAMES.items()},
    }


# ---- the person ---------------------------------------------------------------------------------


@bp.route("/account/helpers")
def helpers():
    return render_template(
        "representatives/helpers.html",
        links=representatives.helpers_of(current_user.id),
        invitations=representatives.open_invitations(current_user.id),
        cancel_form=ConfirmForm(),
    )


@bp.route("/account/helpers/invite", methods=["GET", "POST"])
@limiter.limit("20 per day", methods=["POST"], key_func=lambda: f"invite:{current_user.id}")
@limiter.limit("50 per day", methods=["POST"])  # per address too: accounts are free, and this sends email
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        email = form.email.data if form.send_by.data == "email" else None
        new = representatives.invite(current_user, form.helper_name.data, form.relationship.data, form.chosen(), email)
        if new.invitation.email:
            outbox.send_email(
                new.invitation.email,
                _("%(name)s has invited you to help them", name=current_user.full_name),
                render_template(
                    "representatives/invitation_email.txt",
                    invitation=new.invitation,
                    code=new.code,
                    link=url_for("representatives.accept", code=new.code, _external=True),
                ),
            )
        session[SHOWN_CODE] = new.code
        return redirect(url_for("representatives.invitation_sent", invitation_id=new.invitation.id))
    return render_template("representatives/invite.html", form=form)


@bp.route("/account/helpers/invitations/<int:invitation_id>")
def invitation_sent(invitation_id: int):
    invitation = next((i for i in representatives.open_invitations(current_user.id) if i.id == invitation_id), None)
    if invitation is None:
        abort(404)
    return render_template(
        "representatives/invitation_sent.html", invitation=invitation, code=session.pop(SHOWN_CODE, None)
    )


@bp.route("/account/helpers/invitations/<int:invitation_id>/cancel", methods=["POST"])
def cancel_invitation(invitation_id: int):
    if not ConfirmForm().validate_on_submit() or not representatives.cancel_invitation(current_user, invitation_id):
        abort(404)
    flash(_("The invitation has been cancelled. The code no longer works."), "success")
    return redirect(url_for("representatives.helpers"))


def _own_link(link_id: int):
    link = representatives.link_of(current_user.id, link_id)
    if link is None:
        abort(404)
    return link


@bp.route("/account/helpers/<int:link_id>", methods=["GET", "POST"])
def change_helper(link_id: int):
    link = _own_link(link_id)
    if link.legal_basis:  # recorded by the council under a power of attorney or the like: changed through them
        return render_template("representatives/recorded_by_council.html", link=link)
    form = PermissionsForm(data={"permissions": list(link.permissions)} if request.method == "GET" else None)
    if form.validate_on_submit():
        representatives.change_permissions(current_user, link, form.chosen())
        flash(
            _("You have changed what %(name)s can do. This applies straight away.", name=link.representative.full_name),
            "success",
        )
        return redirect(url_for("representatives.helpers"))
    return render_template("representatives/change_helper.html", form=form, link=link)


@bp.route("/account/helpers/<int:link_id>/stop", methods=["GET", "POST"])
def stop_helper(link_id: int):
    link = _own_link(link_id)
    if link.legal_basis:
        return render_template("representatives/recorded_by_council.html", link=link)
    form = ConfirmForm()
    if form.validate_on_submit():
        representatives.end(current_user, link)
        flash(_("%(name)s can no longer see or change your record.", name=link.representative.full_name), "success")
        return redirect(url_for("representatives.helpers"))
    return render_template("representatives/stop_helper.html", form=form, link=link)


# ---- the helper ---------------------------------------------------------------------------------


def _no_code_given() -> bool:
    return "code" not in request.values


# A code can be tried by opening the email's link as well as by the form: both count, per account and per address.
@bp.route("/invitation", methods=["GET", "POST"])
@limiter.limit("10 per hour", key_func=lambda: f"accept:{current_user.id}", exempt_when=_no_code_given)
@limiter.limit("30 per hour", exempt_when=_no_code_given)
def accept():
    """Two steps on one address: the code (typed, or from the email's link), then what accepting means."""
    form = AcceptForm(data={"code": request.args.get("code", "")}) if request.method == "GET" else AcceptForm()
    invitation = None
    if request.method == "POST" and "confirm" in request.form:
        invitation = representatives.find_invitation(request.form.get("code", ""))
        if invitation is not None and ConfirmForm().validate_on_submit():
            if invitation.person_id == current_user.id:
                flash(_("This is your own invitation. Give the code to the person you want to help you."))
                return redirect(url_for("representatives.helpers"))
            if invitation.email and invitation.email != current_user.email:
                # Sent to one address: a forwarded or intercepted email does not let anyone else in.
                form.code.errors = [
                    _("This invitation was sent to a different email address. Sign in with that address to accept it.")
                ]
                return render_template("representatives/enter_code.html", form=form)
            link = representatives.accept(invitation, current_user)
            if link is not None:
                flash(_("You can now help %(name)s.", name=link.person.full_name), "success")
                return redirect(url_for("representatives.people_i_help"))
        form.code.errors = [_("This code has already been used or has expired. Ask for a new invitation.")]
        return render_template("representatives/enter_code.html", form=form)
    if request.method == "POST" and form.validate_on_submit() or request.method == "GET" and form.code.data:
        invitation = representatives.find_invitation(form.code.data)
        if invitation is None:
            form.code.errors = [_("That code is not right, or it has expired. Check it, or ask for a new invitation.")]
    if invitation is not None:
        return render_template(
            "representatives/accept.html", invitation=invitation, code=form.code.data, form=ConfirmForm()
        )
    return render_template("representatives/enter_code.html", form=form)


@bp.route("/people-i-help")
def people_i_help():
    return render_template(
        "representatives/people_i_help.html", links=accounts.people_helped(current_user), form=ConfirmForm()
    )


@bp.route("/people-i-help/<int:link_id>/stop", methods=["POST"])
def stop_helping(link_id: int):
    link = next((link for link in accounts.people_helped(current_user) if link.id == link_id), None)
    if link is None or not ConfirmForm().validate_on_submit():
        abort(404)
    representatives.end(current_user, link)
    flash(_("You no longer help %(name)s.", name=link.person.full_name), "success")
    return redirect(url_for("representatives.people_i_help"))


# ---- council staff ------------------------------------------------------------------------------


@bp.route("/staff/people")
def find_person():
    form = FindPersonForm(request.args)
    found = representatives.find_people(form.search.data) if "search" in request.args and form.validate() else None
    return render_template("representatives/find_person.html", form=form, found=found)


@bp.route("/staff/people/<int:user_id>/representatives", methods=["GET", "POST"])
def record_representative(user_id: int):
    person = record_holder(user_id)
    if person.role is not accounts.Role.PERSON or person.closed_at is not None:
        abort(404)
    form = RecordRepresentativeForm()
    if form.validate_on_submit():
        helper = accounts.get_user_by_email(form.email.data)
        if helper is None or helper.role not in (accounts.Role.PERSON, accounts.Role.REPRESENTATIVE):
            form.email.errors.append(
                _(
                    "No helper’s account uses that email address. "
                    "Ask them to create an account to help someone, then try again."
                )
            )
        elif helper.id == person.id:
            form.email.errors.append(_("That is the person’s own account. Enter their representative’s email address"))
        else:
            representatives.record_by_staff(
                current_user,
                person,
                helper,
                form.relationship.data,
                form.legal_basis_chosen(),
                form.reason.data,
                form.chosen(),
            )
            flash(
                _(
                    "%(name)s is recorded as %(person)s’s representative.",
                    name=helper.full_name,
                    person=person.full_name,
                ),
                "success",
            )
            return redirect(url_for("representatives.record_representative", user_id=person.id))
    elif request.method == "GET":
        audit.record_view(current_user, person.id, "representatives", person.id)
    return render_template(
        "representatives/record_representative.html",
        form=form,
        person=person,
        links=representatives.helpers_of(person.id),
    )
