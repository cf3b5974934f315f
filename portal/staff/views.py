from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from portal.data import accounts as account_records

bp = Blueprint("staff", __name__, template_folder="templates")

ROLE_NAMES = {
    account_records.Role.PERSON: _l("Person"),
    account_records.Role.REPRESENTATIVE: _l("Helper"),
    account_records.Role.STAFF: _l("Council staff"),
    account_records.Role.ADMIN: _l("Admin"),
}


@bp.route("/staff")
def home():
    return render_template("staff/home.html")


@bp.route("/admin/accounts")
def accounts():
    return render_template("staff/accounts.html", accounts=account_records.list_accounts(), role_names=ROLE_NAMES)
