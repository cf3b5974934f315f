import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import add_services, make_assessment, make_helper_for, make_user, oruk_service
from tests.web.conftest import WebClient, check_page, error_summary

PA_AGENCY = oruk_service("PA agency", costs=[(22.5, "per hour")], categories=["personal-assistants"])
ALL_NEEDS = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "K", "L"]


@pytest.fixture
def person(app, web):
    person_id, email = make_user(app, full_name="Sam Taylor")
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    add_services(app, PA_AGENCY)
    web.sign_in(email)
    return person_id, email


def url(person_id, page=""):
    return f"/people/{person_id}/plan{page}"


def revision(web, page):
    return web.page(page).select_one("input[name=revision]")["value"]


def save(web, page, data, status=302, **kwargs):
    return web.submit(page, {**data, "revision": revision(web, page)}, status=status, **kwargs)


def write_whole_plan(web, person_id, items=None):
    web.submit(url(person_id), {}, status=302)
    save(web, url(person_id, "/about-me"), {"important": "Seeing my friends"})
    save(
        web,
        url(person_id, "/outcomes/new"),
        {"what": "Go to college", "how_we_know": "I go most weeks", "needs": ALL_NEEDS},
    )
    for item in items or [
        {"description": "PA", "price": "16.50", "unit_label": "hour", "quantity": "10", "frequency": "week"}
    ]:
        save(web, url(person_id, "/items/new"), item)
    save(web, url(person_id, "/management"), {"method": "direct_payment"})
    save(
        web,
        url(person_id, "/staying-safe"),
        {"risks": "PA ill", "plan": "Agency cover", "contacts": "Alex 01632 960000"},
    )
    save(web, url(person_id, "/who-helped"), {"who_helped": "family", "helper_name": "Alex", "consent": "y"})


def plan_of(app, person_id):
    from portal.data import plans

    with app.app_context():
        plan = plans.latest_plan(person_id)
        return plan.status, plan.version, [(i.description, i.unit_pence, i.quantity_hundredths) for i in plan.items]


def test_no_plan_without_an_eligible_budget(app, web):
    person_id, email = make_user(app)
    web.sign_in(email)
    soup = web.page(url(person_id))
    assert "Finish your self-assessment first" in soup.get_text()
    assert not soup.select_one("main form")
    web.submit(url(person_id), {}, status=200, form_url=url(person_id))


def test_starting_shows_the_parts_to_write(web, person):
    person_id, _ = person
    soup = web.page(url(person_id))
    assert "Your indicative budget is £16,654.00 a year" in soup.get_text()
    web.submit(url(person_id), {}, status=302)
    soup = web.page(url(person_id))
    assert [a.get_text(strip=True) for a in soup.select(".govuk-task-list__link")] == [
        "About me",
        "My outcomes",
        "How I will use my budget",
        "How my budget will be managed",
        "Staying safe",
        "Who helped, and sharing the plan",
    ]
    assert "Cannot start yet" in soup.select(".govuk-task-list__item")[-1].get_text()


@pytest.mark.parametrize(
    ("page", "data", "errors"),
    [
        ("/about-me", {"important": " "}, {"important": "Tell us what is important to you"}),
        (
            "/outcomes/new",
            {"what": "", "how_we_know": ""},
            {
                "what": "Tell us what you want to change or achieve",
                "how_we_know": "Tell us how you will know it is working",
            },
        ),
        ("/management", {}, {"method": "Select how your budget will be managed"}),
        ("/management", {"method": "cash in a tin"}, {"method": "Select how your budget will be managed"}),
        (
            "/items/new",
            {"description": "PA", "price": "1", "unit_label": "hour", "quantity": "1", "frequency": "daily"},
            {"frequency": "Select how often"},
        ),
        (
            "/items/new",
            {"description": "PA", "price": "lots", "unit_label": "hour", "quantity": "ten", "frequency": "week"},
            {"price": "Enter the price in pounds, like 16.50", "quantity": "Enter how many, like 1, 7.5 or 10"},
        ),
        (
            "/items/new",
            {"description": "", "price": "1", "unit_label": "", "quantity": "0"},
            {
                "description": "Say what it is, like a personal assistant or a tandem bicycle",
                "unit_label": "Say what the price is for, like an hour, a night or the whole thing",
                "quantity": "Enter how many, like 1, 7.5 or 10",
                "frequency": "Select how often",
            },
        ),
        (
            "/who-helped",
            {"who_helped": "friend"},
            {
                "helper_name": "Enter the name of the person who helped",
                "consent": "You need to agree to share the plan before the council can agree it",
            },
        ),
        ("/about-me", {"important": "x" * 2001}, {"important": "This must be 2,000 characters or fewer"}),
    ],
)
def test_mistakes_are_explained_and_nothing_is_saved(app, web, person, page, data, errors):
    person_id, _ = person
    web.submit(url(person_id), {}, status=302)
    before = plan_of(app, person_id)
    soup = check_page(save(web, url(person_id, page), data, status=200))
    assert error_summary(soup) == errors
    assert plan_of(app, person_id) == before


def test_costing_updates_with_recalculate_and_htmx(web, person):
    person_id, _ = person
    web.submit(url(person_id), {}, status=302)
    item = {
        "description": "Tandem bicycle",
        "price": "1,850",
        "unit_label": "bike",
        "quantity": "1",
        "frequency": "one-off",
    }
    soup = check_page(save(web, url(person_id, "/items/new"), {**item, "recalculate": "Recalculate"}, status=200))
    assert soup.select_one("#item-cost p").get_text(strip=True) == "This costs £1,850.00, once."
    assert soup.select_one("#item-cost")["aria-live"] == "polite"
    weekly = {"description": "PA", "price": "16.50", "unit_label": "hour", "quantity": "7.5", "frequency": "week"}
    response = save(web, url(person_id, "/items/new"), weekly, status=200, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "This costs £123.75 each time: £123.75 a week, £6,435.00 a year." in body


def test_the_budget_page_costs_every_item_and_the_difference(web, person):
    person_id, _ = person
    write_whole_plan(
        web,
        person_id,
        [
            {"description": "PA", "price": "16.50", "unit_label": "hour", "quantity": "10", "frequency": "week"},
            {"description": "Day centre", "price": "60", "unit_label": "day", "quantity": "1", "frequency": "4 weeks"},
            {
                "description": "Tandem bicycle",
                "price": "1850",
                "unit_label": "bike",
                "quantity": "1",
                "frequency": "one-off",
            },
        ],
    )
    table = web.page(url(person_id, "/budget")).select_one("table.cc-costing")
    rows = [[c.get_text(" ", strip=True) for c in r.select("th, td")] for r in table.select("tbody tr")]
    assert [row[2:4] for row in rows] == [["£165.00", "£8,580.00"], ["£15.00", "£780.00"], ["one-off", "£1,850.00"]]
    footer = table.select_one("tfoot").get_text(" ", strip=True)
    assert "Total for the first year £215.58 £11,210.00" in footer
    assert "Left over £5,444.00" in footer


def test_a_directory_service_fills_in_the_item(web, person):
    person_id, _ = person
    web.submit(url(person_id), {}, status=302)
    service_page = web.page(f"/directory/services/{PA_AGENCY['id']}")
    link = service_page.find("a", string="Add to my support plan")
    form = web.page(link["href"])
    assert form.select_one("#description")["value"] == "PA agency"
    assert form.select_one("#price")["value"] == "22.50"
    assert form.select_one("#unit_label")["value"] == "hour"


def test_every_need_needs_an_outcome_or_a_reason(web, person):
    person_id, _ = person
    web.submit(url(person_id), {}, status=302)
    save(web, url(person_id, "/outcomes/new"), {"what": "Eat well", "how_we_know": "I eat hot meals", "needs": ["A"]})
    soup = web.page(url(person_id, "/outcomes"))
    assert "Needs not yet in your plan" in soup.get_text()
    assert "Washing and keeping clean" in soup.get_text()
    reasons_page = url(person_id, "/needs")
    fields = [f["name"] for f in web.page(reasons_page).select("textarea")]
    assert "reason_B" in fields and "reason_A" not in fields
    save(web, reasons_page, dict.fromkeys(fields, "My family does this."))
    assert "Needs not yet in your plan" not in web.page(url(person_id, "/outcomes")).get_text()


def test_send_a_plan_over_budget_with_a_reason(app, web, person):
    person_id, _ = person
    big = {"description": "Live-in care", "price": "1250", "unit_label": "week", "quantity": "1", "frequency": "week"}
    write_whole_plan(web, person_id, [big])
    check = url(person_id, "/check")
    soup = check_page(save(web, check, {}, status=200))
    assert error_summary(soup) == {"over_budget_reason": "Tell us why your plan needs more than the indicative budget"}
    save(web, check, {"over_budget_reason": "I need someone with me at night."})
    assert plan_of(app, person_id)[0] == "submitted"
    web.get(url(person_id, "/about-me"), status=302)  # a sent plan cannot be changed
    response = web.client.post(url(person_id, "/about-me"), data={"important": "changed"})
    assert response.status_code == 400  # and a forged post without a token changes nothing


def test_a_stale_edit_is_explained_and_the_input_is_kept(app, web, person):
    person_id, email = person
    _, carer_email = make_user(app, Role.REPRESENTATIVE, full_name="Alex Taylor")
    make_helper_for(app, email, carer_email)
    web.submit(url(person_id), {}, status=302)
    page = url(person_id, "/about-me")
    seen = revision(web, page)
    carer = WebClient(app.test_client())
    carer.sign_in(carer_email)
    save(carer, page, {"important": "Alex's words"})
    soup = check_page(web.submit(page, {"important": "Sam's words", "revision": seen}, status=200))
    assert "Alex Taylor changed this plan after you opened this page" in soup.get_text()
    assert soup.select_one("#important").get_text() == "Sam's words"
    from portal.data import plans

    with app.app_context():
        assert plans.latest_plan(person_id).about_me["important"] == "Alex's words"


@pytest.fixture
def staff(app):
    _, email = make_user(app, Role.STAFF)
    client = WebClient(app.test_client())
    client.sign_in(email)
    return client


def plan_id(app, person_id):
    from portal.data import plans

    with app.app_context():
        return plans.latest_plan(person_id).id


def decide(staff, plan, data, status=302):
    page = f"/staff/plans/{plan}"
    seen = staff.page(page).select_one("input[name=seen]")["value"]
    return staff.submit(page, {**data, "seen": seen}, status=status)


def test_staff_return_with_comments_then_approve(app, web, person, staff):
    person_id, _ = person
    write_whole_plan(web, person_id)
    save(web, url(person_id, "/check"), {})
    queue = staff.page("/staff/plans").get_text(" ", strip=True)
    assert "Sam Taylor" in queue and "£16,654.00" in queue and "£8,580.00" in queue and "a team manager" in queue
    plan = plan_id(app, person_id)
    soup = check_page(decide(staff, plan, {"decision": "return"}, status=200))
    assert error_summary(soup) == {"reason": "Say what needs to change: a message, or a comment on a part of the plan"}
    decide(staff, plan, {"decision": "return", "comment_budget": "Please add breaks for Alex."})
    overview = web.page(url(person_id))
    assert "The council has asked you to change some things" in overview.get_text()
    assert "Comment from the council: Please add breaks for Alex." in overview.get_text()
    assert "Please add breaks for Alex." in web.page(url(person_id, "/budget")).get_text()
    save(
        web,
        url(person_id, "/items/new"),
        {"description": "Breaks", "price": "150", "unit_label": "night", "quantity": "14", "frequency": "year"},
    )
    save(web, url(person_id, "/check"), {})
    decide(staff, plan, {"decision": "approve"})
    assert plan_of(app, person_id)[0] == "approved"
    overview = web.page(url(person_id)).get_text(" ", strip=True)
    assert "Your personal budget is £10,680.00 a year" in overview
    staff.get(f"/staff/plans/{plan}")
    from portal.data.audit import events_for_person

    with app.app_context():
        actions = [event.action for event in events_for_person(person_id)]
    assert {"plan.submit", "plan.return", "plan.approve", "record.viewed"} <= set(actions)


def test_staff_approve_with_a_changed_budget_and_a_reason(app, web, person, staff):
    person_id, _ = person
    write_whole_plan(web, person_id)
    save(web, url(person_id, "/check"), {})
    plan = plan_id(app, person_id)
    soup = check_page(decide(staff, plan, {"decision": "approve_changed", "amount": "abc"}, status=200))
    assert set(error_summary(soup)) == {"amount", "reason"}
    decide(staff, plan, {"decision": "approve_changed", "amount": "9,000", "reason": "Agreed at the panel rate."})
    text = web.page(url(person_id)).get_text(" ", strip=True)
    assert "Your personal budget is £9,000.00 a year" in text and "Agreed at the panel rate." in text


def test_illegal_moves_are_refused(app, web, person, staff):
    person_id, _ = person
    write_whole_plan(web, person_id)
    plan = plan_id(app, person_id)
    staff.get(f"/staff/plans/{plan}", status=404)  # a draft is not the council's to decide
    save(web, url(person_id, "/check"), {})
    decide(staff, plan, {"decision": "send to panel"})
    assert plan_of(app, person_id)[0] == "with the panel"
    decide(staff, plan, {"decision": "approve"})
    # Approved: no further decision, and a second decision from an old page is refused.
    page = staff.page(f"/staff/plans/{plan}")
    assert not page.select_one("main form")


def test_changing_an_approved_plan_makes_a_new_version_and_keeps_the_old_in_force(app, web, person, staff):
    person_id, _ = person
    write_whole_plan(web, person_id)
    save(web, url(person_id, "/check"), {})
    decide(staff, plan_id(app, person_id), {"decision": "approve"})
    web.submit(url(person_id, "/change"), {}, status=302, form_url=url(person_id))
    status, version, items = plan_of(app, person_id)
    assert (status, version) == ("draft", 2) and items == [("PA", 1650, 1000)]
    text = web.page(url(person_id)).get_text(" ", strip=True)
    assert "Version 1, approved on" in text and "stays in force" in text


def test_the_printed_plan_has_every_part_and_the_costing(web, person):
    person_id, _ = person
    write_whole_plan(web, person_id)
    soup = web.page(url(person_id, "/print"))
    assert soup.h1.get_text(strip=True) == "Support plan for Sam Taylor"
    headings = [h.get_text(" ", strip=True) for h in soup.select("main h2")]
    for part in (
        "About me",
        "My outcomes",
        "How I will use my budget",
        "How my budget will be managed",
        "Staying safe",
        "Who helped",
    ):
        assert part in headings
    assert "£8,580.00" in soup.select_one("table.cc-costing").get_text()


def test_the_plan_as_a_pdf_to_download(web, person):
    person_id, _ = person
    write_whole_plan(web, person_id)
    save(web, url(person_id, "/about-me"), {"important": "Spotkania z przyjaciółmi — żółw, ąę; اردو"})
    response = web.get(url(person_id, "/plan.pdf"))
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="support-plan-version-1.pdf"'
    body = response.get_data()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert b"DejaVu" in body  # the letters of every language are in the embedded font


def test_someone_elses_plan_pdf_is_not_found(app, web, person):
    stranger_id, _ = make_user(app)
    web.get(url(stranger_id, "/plan.pdf"), status=404)


def test_the_item_page_shows_the_plan_total_with_the_item(web, person):
    person_id, _ = person
    web.submit(url(person_id), {}, status=302)
    item = {"description": "PA", "price": "16.50", "unit_label": "hour", "quantity": "10", "frequency": "week"}
    soup = check_page(save(web, url(person_id, "/items/new"), {**item, "recalculate": "Recalculate"}, status=200))
    assert "With it, your plan costs £8,580.00 a year, leaving £8,074.00 of your indicative budget." in soup.get_text()


def test_a_plan_over_budget_also_asks_for_a_review_of_the_budget(app, web, person):
    person_id, _ = person
    big = {"description": "Live-in care", "price": "1250", "unit_label": "week", "quantity": "1", "frequency": "week"}
    write_whole_plan(web, person_id, [big])
    save(web, url(person_id, "/check"), {"over_budget_reason": "I need someone with me at night."})
    from portal.data import budgets

    with app.app_context():
        review = budgets.open_review(budgets.latest_budget(person_id))
        assert review.reason == "I need someone with me at night."
        assert review.what_is_needed == "The support plan costs £65,000.00 a year."
