from flask import Blueprint, render_template

from portal.data.outbox import recent_messages

bp = Blueprint("dev", __name__, template_folder="templates")


@bp.route("/dev/outbox")
def outbox():
    return render_template("dev/outbox.html", messages=recent_messages())
