"""The application factory."""

from pathlib import Path

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY
from flask import Flask, abort, current_app, g, redirect, render_template, request, send_from_directory, session
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import easy_read, i18n, outage, people, security, static_assets, templating
from portal.config import Config, config_from_environment
from portal.content.load import load_content
from portal.data import db
from portal.data.accounts import get_user, permissions_on
from portal.extensions import csrf, limiter, login_manager
from portal.incoming import PortalRequest
from portal.policy import Decision, decide, home_endpoint
from portal.settings import signed_in

ROOT = Path(__file__).resolve().parent.parent
GOVUK_ASSETS = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"


def create_app(config: Config | None = None) -> Flask:
    config = config or config_from_environment()
    config.check()
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.request_class = PortalRequest  # no NUL characters in forms and query strings: PostgreSQL cannot store them
    app.config.from_object(config)
    if app.config["TRUSTED_PROXIES"]:  # only the scheme is taken from the proxy: https, so HSTS and Secure hold
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=app.config["TRUSTED_PROXIES"], x_host=0, x_prefix=0)
    app.extensions["password_hasher"] = PasswordHasher.from_parameters(CHEAPEST if app.testing else RFC_9106_LOW_MEMORY)

    # Content is read once; a malformed file stops start-up with a message naming the file and field.
    app.extensions["content"] = load_content(Path(app.config["CONTENT_DIR"]))
    _configure_jinja(app)
    db.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _configure_login(app)
    security.init_app(app)
    static_assets.init_app(app)  # fingerprinted addresses for static files, cached for a year
    signed_in.init_app(app)  # a session ended from another device is signed out before anything else runs
    app.before_request(_switch_language)  # after those: an ended session must not save a language to the account
    app.before_request(_authorise_request)
    easy_read.init_app(app)  # after the policy: the switch works only on pages the person may see
    _register_blueprints(app)
    _register_error_pages(app)
    _register_commands(app)

    # GOV.UK Frontend's CSS asks for its images at /assets/.
    app.add_url_rule("/assets/<path:filename>", "assets", lambda filename: send_from_directory(GOVUK_ASSETS, filename))
    return app


def _configure_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(app.root_path) / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    if app.config["JINJA_STRICT"]:
        app.jinja_env.undefined = templating.UndefinedNameError
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.add_template_global(home_endpoint)
    templating.init_app(app)
    people.init_app(app)

    @app.context_processor
    def _service_context() -> dict[str, object]:
        return {
            "council_name": current_app.config["COUNCIL_NAME"],
            "feedback_url": current_app.config["FEEDBACK_URL"],
            "dev_tools": current_app.config["DEV_TOOLS"],
            "session_idle_seconds": security.idle_seconds_allowed(),
            "session_warning_seconds": current_app.config["SESSION_WARNING_MINUTES"] * 60,
        }


def _configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None  # the sign-in page explains itself
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = get_user(int(user_id))
        # A session from before a password change holds an old version and is no longer valid.
        return user if user is not None and str(user.session_version) == version else None


def _switch_language():
    """`?lang=pl` switches language: kept in the session, and on the account when signed in."""
    choice = request.args.get("lang")
    if choice is None or request.method != "GET":
        return None
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        if current_user.is_authenticated:
            from portal.data.accounts import save_locale

            save_locale(current_user, choice)
    return redirect(i18n.address_in_language(None))


def _authorise_request():
    if request.routing_exception is not None:
        return None  # no route matched: Flask answers 404 or 405 itself
    role = current_user.role if current_user.is_authenticated else None
    person_id = (request.view_args or {}).get("person_id")
    # g can outlive a request (an app context held open around it): start afresh.
    g.record_permissions = None
    g.acting_for = None

    def permissions_on_record():
        if not isinstance(person_id, int):
            return None
        g.record_permissions = permissions_on(current_user, person_id)  # kept for the templates' `allowed()`
        return g.record_permissions

    decision = decide(request.endpoint, role, current_app.config["DEV_TOOLS"], permissions_on_record, request.method)
    if decision is not Decision.NOT_FOUND and g.get("record_permissions") is not None and person_id != current_user.id:
        # Only once the record is known to be theirs: the banner names whose record this is, and a refusal
        # can say who may give the permission.
        g.acting_for = get_user(person_id)
    if decision is Decision.ALLOW:
        return None
    if decision is Decision.SIGN_IN:
        return login_manager.unauthorized()
    abort(404 if decision is Decision.NOT_FOUND else 403)


def _register_blueprints(app: Flask) -> None:
    from portal.account.views import bp as account_bp
    from portal.api.views import bp as api_bp
    from portal.assessment.views import bp as assessment_bp
    from portal.audit.views import bp as audit_bp
    from portal.auth.views import bp as auth_bp
    from portal.budget.views import bp as budget_bp
    from portal.data_rights.views import bp as data_rights_bp
    from portal.dev.views import bp as dev_bp
    from portal.directory.views import bp as directory_bp
    from portal.help.views import bp as help_bp
    from portal.pages.views import bp as pages_bp
    from portal.plan.views import bp as plan_bp
    from portal.representatives.views import bp as representatives_bp
    from portal.settings.views import bp as settings_bp
    from portal.spending.views import bp as spending_bp
    from portal.staff.views import bp as staff_bp

    for blueprint in (
        pages_bp,
        auth_bp,
        account_bp,
        assessment_bp,
        budget_bp,
        plan_bp,
        spending_bp,
        settings_bp,
        data_rights_bp,
        representatives_bp,
        help_bp,
        directory_bp,
        api_bp,
        staff_bp,
        audit_bp,
        dev_bp,
    ):
        app.register_blueprint(blueprint)


def _register_error_pages(app: Flask) -> None:
    pages = {
        400: "errors/bad_request.html",
        403: "errors/forbidden.html",
        404: "errors/not_found.html",
        405: "errors/not_found.html",
        413: "errors/too_large.html",
        429: "errors/too_many_requests.html",
        500: "errors/server_error.html",
    }
    for status, template in pages.items():
        app.register_error_handler(status, lambda error, t=template, s=status: (render_template(t, error=error), s))

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, lambda error: (render_template("errors/session_expired.html"), 400))
    outage.init_app(app)  # last: when the database is down it answers 503, also in place of the 500 page


def _register_commands(app: Flask) -> None:
    from portal.commands import (
        backup_command,
        demo_data_command,
        directory_command,
        migrate_command,
        purge_expired_records_command,
        restore_command,
    )

    app.cli.add_command(migrate_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(directory_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(purge_expired_records_command)
