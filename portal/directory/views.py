import dataclasses
import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from portal.data import accounts, directory, plans
from portal.directory import editing
from portal.directory.forms import DirectorySearchForm, RetireForm, ServiceForm
from portal.directory.presenting import cheapest, cost_in_words, miles_away, pagination, service_view
from portal.domain.directory import costs, search_words
from portal.form_input import whole_number
from portal.htmx import is_partial_request, render_main_instead, render_page
from portal.i18n import pence
from portal.oruk.validate import service_problems
from portal.people import current_content
from portal.timekeeping import today

bp = Blueprint("directory", __name__, template_folder="templates")


@bp.context_processor
def _directory_helpers() -> dict[str, object]:
    return {"cheapest": cheapest, "miles_away": miles_away}


KM_PER_MILE = 1.609344


FILTER_CHOICES_SECONDS = 60


def _known(kind: str) -> list[str]:
    """The areas or languages the directory holds, remembered for a minute: every search page lists them,
    and a new one appearing a minute late in a drop-down harms nobody."""
    remembered = current_app.extensions.setdefault("directory_filter_choices", {})
    now = time.monotonic()
    if kind not in remembered or now - remembered[kind][0] > FILTER_CHOICES_SECONDS:
        remembered[kind] = (now, directory.tag_values(kind))
    return remembered[kind][1]


def _choices(form: DirectorySearchForm) -> None:
    """Filter choices come from the content files and from what the directory holds."""
    content = current_content().directory
    filters = content.filters
    choice = SelectChoice
    form.category.choices = [choice("", _("All types of support"))] + [
        choice(term.code, _(term.name)) for term in content.categories
    ]
    areas = [area for area in _known("area") if area != filters.whole_area]
    form.area.choices = [choice("", _("Anywhere"))] + [choice(area, area) for area in areas]
    form.within.choices = [
        choice(str(miles), ngettext("Within %(num)d mile", "Within %(num)d miles", miles))
        for miles in filters.distances_miles
    ]
    form.cost.choices = [choice("", _("Any cost")), choice("free", _("Free"))] + [
        choice(str(limit), _("Up to %(amount)s an hour", amount=pence(limit)))
        for limit in filters.hourly_cost_limits_pence
    ]
    form.access.choices = [choice(code, _(content.term(code).name)) for code in filters.accessibility_features]
    languages = _known("language")
    form.language.choices = [choice("", _("Any language"))] + [choice(name, name) for name in languages]


def _search_from(form: DirectorySearchForm) -> tuple[directory.DirectorySearch, bool]:
    """The search the form describes. Fields with a mistake are left out, so there are still results."""
    filters = current_content().directory.filters
    near = None
    postcode_unknown = False
    if form.postcode.data and not form.postcode.errors:
        near = directory.postcode_centre(form.postcode.data)
        postcode_unknown = near is None
    miles = whole_number(form.within.data, default=filters.distances_miles[0])
    cost = form.cost.data or ""
    sort = form.sort.data or ("relevance" if form.q.data else "name")
    if sort == "distance" and near is None:
        sort = "relevance" if form.q.data else "name"
    return (
        directory.DirectorySearch(
            words=search_words(form.q.data or ""),
            category=form.category.data or None,
            area=form.area.data or None,
            whole_area=filters.whole_area,
            near=near,
            within_km=miles * KM_PER_MILE if near else None,
            free=cost == "free",
            max_hourly_pence=int(cost) if cost.isascii() and cost.isdigit() and len(cost) < 10 else None,
            accessibility=[code for code in form.access.data or [] if code in filters.accessibility_features],
            language=form.language.data or None,
            accepts_direct_payments="direct-payments" in (form.only.data or []),
            preferred_provider="preferred" in (form.only.data or []),
            sort=sort,
            page=form.page.data if form.page.data and not form.page.errors else 1,
        ),
        postcode_unknown,
    )


@bp.route("/directory")
def search():
    form = DirectorySearchForm(formdata=request.args)
    _choices(form)
    form.validate()
    query, postcode_unknown = _search_from(form)
    found = directory.search_services(query)
    if not found.results and found.page > found.pages:  # an old link to a page that no longer exists
        query = dataclasses.replace(query, page=found.pages)
        found = directory.search_services(query)

    def page_url(page: int) -> str:
        return url_for("directory.search", **{**request.args.to_dict(flat=False), "page": page})

    context = {
        "form": form if form.errors else None,
        "search_form": form,
        "found": found,
        "query": query,
        "postcode_unknown": postcode_unknown,
        "partial": is_partial_request(),
        "pagination": pagination(found, page_url),
        "count_text": ngettext("%(num)d service found", "%(num)d services found", found.total),
        "free_category": current_content().directory.filters.free_category,
    }
    if form.errors and is_partial_request():
        return render_main_instead("directory/search.html", **context)
    return render_page("directory/search.html", "results", **context)


@bp.route("/directory/services/<service_id>")
def service(service_id):
    found = directory.get_service(service_id)
    if found is None or found.status not in directory.LISTED_STATUSES:
        abort(404)
    return render_template(
        "directory/service.html", service=service_view(found.record), record=found, plan_targets=_plan_targets(found)
    )


def _plan_targets(found) -> list[dict[str, object]]:
    """Whose support plan this service could be added to: the person's own, or each person a helper helps."""
    if not current_user.is_authenticated:
        return []
    people = [(current_user.id, current_user.full_name, True)] if current_user.role == "person" else []
    if current_user.role == "representative":
        people = [(link.person_id, link.person.full_name, False) for link in accounts.people_helped(current_user)]
    targets = []
    for person_id, name, own in people:
        plan = plans.latest_plan(person_id)
        draft = plan is not None and plan.status == "draft"
        options = [
            (cost_in_words(cost), url_for("plan.item", person_id=person_id, service=found.oruk_id, option=index))
            for index, cost in enumerate(costs(found.record))
        ]
        targets.append(
            {
                "name": name,
                "own": own,
                "url": url_for("plan.item", person_id=person_id, service=found.oruk_id) if draft else None,
                # One link per price, so the plan item starts from the cost option the person chose.
                "options": options if draft and len(options) > 1 else [],
                "plan_url": url_for("plan.overview", person_id=person_id),
            }
        )
    return targets


def _service_form_choices(form: ServiceForm) -> None:
    form.categories.choices = [SelectChoice(t.code, _(t.name)) for t in current_content().directory.categories]


def _save(form: ServiceForm, existing: dict | None, action: str):
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    page_url = public + url_for("directory.service", service_id="ID").replace("ID", "{id}")
    record = editing.updated_record(existing, form, current_content().directory, today(), page_url)
    problems = service_problems(record)
    if problems:
        # The form's own checks should make this impossible; if not, say so rather than store a broken record.
        form.name.errors.append(
            _("This entry could not be saved as Open Referral UK data: %(problem)s", problem=problems[0])
        )
        return None
    directory.save_service(record, current_user, action)
    return record


@bp.route("/staff/directory")
def staff_list():
    page = request.args.get("page", "1")
    listing = directory.staff_listing(request.args.get("q", ""), whole_number(page, default=1, most=100_000))
    return render_template("directory/staff_list.html", listing=listing, q=request.args.get("q", ""))


@bp.route("/staff/directory/new", methods=["GET", "POST"])
def add_service():
    form = ServiceForm()
    _service_form_choices(form)
    if form.validate_on_submit() and (record := _save(form, None, "directory.added")):
        flash(_("%(name)s has been added to the directory.", name=record["name"]), "success")
        return redirect(url_for("directory.service", service_id=record["id"]))
    return render_template("directory/service_form.html", form=form, service=None)


@bp.route("/staff/directory/<service_id>/edit", methods=["GET", "POST"])
def edit_service(service_id):
    found = directory.get_service(service_id)
    if found is None:
        abort(404)
    form = ServiceForm(data=editing.form_data(found.record))
    _service_form_choices(form)
    if form.validate_on_submit() and (record := _save(form, found.record, "directory.changed")):
        flash(_("Your changes to %(name)s have been saved.", name=record["name"]), "success")
        return redirect(url_for("directory.staff_list"))
    return render_template("directory/service_form.html", form=form, service=found)


@bp.route("/staff/directory/<service_id>/retire", methods=["GET", "POST"])
def retire_service(service_id):
    found = directory.get_service(service_id)
    if found is None:
        abort(404)
    form = RetireForm()
    if form.validate_on_submit():
        directory.save_service(
            editing.retired(found.record), current_user, "directory.retired", reason=form.reason.data
        )
        flash(_("%(name)s has been taken out of the directory.", name=found.name), "success")
        return redirect(url_for("directory.staff_list"))
    return render_template("directory/retire.html", form=form, service=found)
