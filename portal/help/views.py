import secrets

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.account.journey import journey_steps, next_step
from portal.data import accounts, budget_accounts, conversations
from portal.extensions import csrf, limiter
from portal.help import client, replies, safety
from portal.help.forms import ChatForm, JargonSearchForm, NewChatForm
from portal.help.jargon import matching_terms, terms_by_letter
from portal.htmx import is_partial_request, render_main_instead
from portal.people import current_content
from portal.spending.presenting import account_picture
from portal.timekeeping import today

bp = Blueprint("help", __name__, template_folder="templates")

TOKEN_SALT = "assistant"
TOKEN_SECONDS = 300  # the signed token in a message lives 5 minutes: long enough for one question


@bp.route("/help")
def index():
    return render_template("help/index.html", topics=current_content().help_topics.topics)


@bp.route("/help/<topic_id>")
def topic(topic_id):
    found = current_content().help_topics.topic(topic_id)
    if found is None:
        abort(404)
    return render_template("help/topic.html", topic=found)


@bp.route("/help/jargon-buster")
def jargon():
    form = JargonSearchForm(request.args, meta={"csrf": False})
    words = (form.q.data or "").strip()[:100] if form.validate() else ""
    terms = matching_terms(current_content().glossary, words)
    return render_template("help/jargon.html", search_form=form, words=words, letters=terms_by_letter(terms))


@bp.route("/help/jargon-buster/<term_id>")
def term(term_id):
    found = current_content().glossary.term(term_id)
    if found is None:
        abort(404)
    related = [current_content().glossary.term(other) for other in found.related]
    return render_template("help/term.html", term=found, related=related)


def _conversation_id() -> str:
    if "chat" not in session:
        session["chat"] = secrets.token_hex(16)
        # Each new conversation also clears away those past their retention period: nothing is kept for ever.
        conversations.forget_older_than(current_app.config["CHAT_RETENTION_DAYS"])
    return session["chat"]


def assistant_token(user) -> str:
    """Proves to the action server who is asking, for a few minutes: a user id typed in chat is never trusted."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT).dumps({"user": user.id})


def _metadata() -> dict:
    metadata: dict = {"locale": str(get_locale())}
    if current_user.is_authenticated:
        metadata["token"] = assistant_token(current_user)
    return metadata


def _answer(conversation: str, message: str) -> list[dict]:
    config = current_app.config
    try:
        answered = client.ask(
            config["RASA_URL"], conversation, message, _metadata(), config["ASSISTANT_TIMEOUT_SECONDS"]
        )
    except client.AssistantUnavailable:
        current_app.logger.warning("the assistant did not answer in time")
        return [replies.unavailable()]
    if not answered:
        # Rasa answers nothing at all when a custom action failed (its action server down or broken).
        current_app.logger.warning("the assistant answered nothing: is its action server running?")
        return [replies.unavailable()]
    return replies.from_assistant(answered, current_content())


@bp.route("/chat", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CHAT_RATE_LIMIT"], methods=["POST"])
def chat():
    conversation = _conversation_id()
    form = ChatForm()
    new_turns = []
    if form.validate_on_submit():
        message = form.message.data.strip()
        answers = safety.with_safety_first(message, _answer(conversation, message))
        said = [(False, {"kind": "you", "text": message})] + [(True, answer) for answer in answers]
        new_turns = conversations.add_turns(conversation, said)
        if not is_partial_request():
            return redirect(url_for("help.chat") + "#latest")
        # With htmx, only the new turns go back, appended to the log, which announces them.
        return render_template("help/_turns.html", turns=new_turns, latest=True)
    page = {"turns": conversations.turns(conversation), "chat_form": form, "form": form if form.errors else None}
    if form.errors and is_partial_request():
        return render_main_instead("help/chat.html", **page)  # the error summary at the top, where it takes focus
    return render_template("help/chat.html", **page)


@bp.route("/chat/new", methods=["POST"])
def new_chat():
    if NewChatForm().validate_on_submit():
        if "chat" in session:
            conversations.forget(session.pop("chat"))
        flash(_("Your conversation has been cleared."), "success")
    return redirect(url_for("help.chat"))


@bp.route("/internal/assistant/summary", methods=["POST"])
@csrf.exempt  # called by the assistant's action server, not a browser: the signed token is the proof
def assistant_summary():
    """For the assistant's "how much have I got left?" and "what's my next step?": only for the signed token's user."""
    token = (request.get_json(silent=True) or {}).get("token")
    try:
        claims = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT).loads(
            str(token), max_age=TOKEN_SECONDS
        )
    except BadSignature:
        return jsonify({"error": "not signed in"}), 403
    user = accounts.get_user(int(claims.get("user", 0)))
    if user is None:
        return jsonify({"error": "not signed in"}), 403
    people = [user] if user.role == accounts.Role.PERSON else [link.person for link in accounts.people_helped(user)]
    return jsonify({"people": [_summary_of(person) for person in people]})


def _summary_of(person) -> dict:
    steps = journey_steps(person.id)
    step = next_step(steps)
    found = {"name": person.full_name, "next_step": None, "account": None}
    if step is not None:
        found["next_step"] = {"title": str(step.title), "action": str(step.action or step.title), "url": step.url}
    account = budget_accounts.account_for(person.id)
    if account is not None:
        picture = account_picture(account, today())
        found["account"] = {
            "balance_pence": picture["totals"].balance_pence,
            "free_pence": picture["free"],
            "url": url_for("spending.account", person_id=person.id),
        }
    return found


@bp.app_context_processor
def _assistant_context() -> dict[str, object]:
    return {"assistant_messages": replies.MESSAGES, "where_url": where_url, "current_content": current_content}


def where_url(where: str) -> str | None:
    """The portal page where a term or topic matters, for whoever is reading (signed in, or not)."""
    public = {"directory": "directory.search", "help": "help.index"}
    if where in public:
        return url_for(public[where])
    person_pages = {
        "assessment": "assessment.start",
        "budget": "budget.indicative_budget",
        "plan": "plan.overview",
        "account": "spending.account",
    }
    if where not in person_pages:
        return None
    if not current_user.is_authenticated or current_user.role not in (
        accounts.Role.PERSON,
        accounts.Role.REPRESENTATIVE,
    ):
        return None
    person = g.get("acting_for") or (current_user if current_user.role == accounts.Role.PERSON else None)
    return url_for(person_pages[where], person_id=person.id) if person else url_for("account.dashboard")
