"""The ceiling: a bare Flask app rendering the portal's own layout.html, with no database, no session, no policy.

Served by gunicorn with the portal's settings and driven by the same wrk run, it shows what this machine allows
for a page of this size; the portal's pages are reported as a share of it.
"""

from pathlib import Path

from flask import Flask, render_template_string
from flask_login import AnonymousUserMixin
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parents[1]
PAGE = """{% extends "layout.html" %}
{% block pageTitle %}Choice and Control{% endblock %}
{% block content %}<h1 class="govuk-heading-xl">Choice and Control</h1>
<p class="govuk-body">Find out what support you could get, plan how to use your budget and keep track of it.</p>
{% endblock %}"""


def _(text: str, **values: object) -> str:
    return text % values if values else text


def create() -> Flask:
    app = Flask(__name__, static_folder=str(ROOT / "portal" / "static"))
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "portal" / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    anonymous = AnonymousUserMixin()
    app.jinja_env.globals.update(
        _=_,
        current_user=anonymous,
        html_lang="en",
        text_direction="ltr",
        council_name="Anytown Council",
        feedback_url="mailto:feedback@example.org",
        dev_tools=False,
        language_names={"en": "English", "pl": "Polski", "ur": "اردو"},
        current_locale="en",
        address_in_language=lambda code: f"/?lang={code}",
    )
    # The layout links to these by endpoint name; they only need to exist for url_for.
    for endpoint, rule in [
        ("pages.start", "/"),
        ("directory.search", "/directory"),
        ("help.chat", "/chat"),
        ("auth.sign_in", "/sign-in"),
        ("auth.register", "/register"),
        ("pages.accessibility", "/accessibility"),
        ("pages.cookies", "/cookies"),
        ("pages.privacy", "/privacy"),
        ("help.index", "/help"),
        ("pages.contact", "/contact"),
    ]:
        if endpoint == "pages.start":
            app.add_url_rule(rule, endpoint, lambda: render_template_string(PAGE))
        else:
            app.add_url_rule(rule, endpoint, lambda: "")
    return app
