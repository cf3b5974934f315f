"""Finding support: search, filter, open a service, with axe on each page, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_foundation_journey import assert_fits_the_screen


def count_of(page):
    return int(re.match(r"(\d+)", page.locator("#result-count").inner_text()).group(1))


def test_with_javascript_results_follow_the_filters_and_the_count_is_announced(page, live_server, directory_loaded):
    visit(page, live_server + "/directory")
    everything = count_of(page)
    assert everything == 138

    search = page.get_by_label("Search for support")
    search.fill("home care")
    expect(page.locator("#result-count")).not_to_have_text(re.compile(f"^{everything} "))
    expect(search).to_be_focused()  # htmx swapped the results, not the form: focus stays where it was
    assert re.search(r"q=home(\+|%20)care", page.url)  # the address can be shared and bookmarked
    found = count_of(page)
    assert 0 < found < everything
    check_accessibility(page)

    page.get_by_label("accept direct payments").check()
    expect(page.locator("#result-count")).not_to_have_text(re.compile(f"^{found} "))
    expect(page.get_by_label("accept direct payments")).to_be_focused()
    assert page.locator("#result-count").get_attribute("aria-live") == "polite"
    check_accessibility(page)

    page.locator(".cc-result h3 a").first.click()
    expect(page.get_by_role("heading", level=2, name="What it costs")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Back to search").click()
    check_accessibility(page)


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param({"java_script_enabled": False}, id="no-javascript"),
        pytest.param({"java_script_enabled": True, **PHONE_CONTEXT}, id="phone-320px"),
    ],
)
def test_without_javascript_and_on_a_phone_the_form_does_the_same(new_context, live_server, directory_loaded, mode):
    page = new_context(**mode).new_page()
    visit(page, live_server + "/directory")
    page.get_by_label("Type of support").select_option(label="Short breaks and respite")
    page.get_by_label("Postcode").fill("AT3 4QD")
    page.get_by_label("Distance").select_option(label="Within 5 miles")
    page.get_by_label("Sort by").select_option(label="Nearest first")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(re.compile(r"category=short-breaks"))
    check_accessibility(page)
    if "viewport" in mode:
        assert_fits_the_screen(page)
    results = page.locator(".cc-result")
    assert results.count() > 0
    assert "miles away" in results.first.inner_text()

    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_role("button", name="Show results").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a full postcode")
    check_accessibility(page)

    page.goto(live_server + "/directory?q=zzzzqqq")
    expect(page.get_by_role("heading", name="No services match your search")).to_be_visible()
    page.get_by_role("link", name="look at free help for everyone").click()
    check_accessibility(page)
    page.locator(".cc-result h3 a").first.click()
    check_accessibility(page)
    if "viewport" in mode:
        assert_fits_the_screen(page)


def test_staff_add_change_and_take_out_a_service(new_context, live_server, make_account, directory_loaded):
    from portal.data.models import Role

    _, email = make_account(role=Role.STAFF)
    page = new_context().new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Directory entries").click()
    check_accessibility(page)

    page.get_by_role("link", name="Add a service").click()
    check_accessibility(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the service")
    check_accessibility(page)
    page.get_by_label("Name of the service").fill("Tuesday tea and chat")
    page.get_by_label("Organisation that runs it").fill("Riverside Friends")
    page.get_by_label("What it offers").fill("A cup of tea and a chat in the church hall every Tuesday.")
    page.get_by_label("Leisure and community groups").check()
    page.locator("#costs-0-unit").select_option("Free")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday tea and chat")
    check_accessibility(page)

    page.goto(live_server + "/staff/directory?q=tuesday+tea")
    page.get_by_role("link", name="Change Tuesday tea and chat").click()
    check_accessibility(page)
    page.get_by_role("link", name="Take this service out of the directory").click()
    check_accessibility(page)
    page.get_by_label("Why is this service being taken out of the directory?").fill("The group has stopped meeting.")
    page.get_by_role("button", name="Take it out of the directory").click()
    expect(page.get_by_text("Tuesday tea and chat has been taken out of the directory.")).to_be_visible()
    check_accessibility(page)
