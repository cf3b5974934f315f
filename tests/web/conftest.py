import re
from collections import Counter

import html5lib
import pytest
from bs4 import BeautifulSoup

from tests.factories import PASSWORD, make_user


def check_page(response) -> BeautifulSoup:
    """What every HTML page must be: valid HTML5, one h1, a title, unique ids, proper forms."""
    body = response.get_data(as_text=True)
    html5lib.HTMLParser(strict=True).parse(body)
    soup = BeautifulSoup(body, "html.parser")
    assert len(soup.find_all("h1")) == 1, "a page has exactly one h1"
    assert soup.title and soup.title.string.strip(), "a page has a title"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids: {ids}"
    for form in soup.find_all("form"):
        assert form.get("method") == "post" or form.get("method") == "get", form
        assert form.get("action"), form
        assert form.has_attr("novalidate"), "forms leave validation to the server's GOV.UK error messages"
        if form["method"] == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), "every POST form carries a CSRF token"
    return soup


def csrf_token_from(response) -> str:
    match = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
        response.get_data(as_text=True),
    )
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class WebClient:
    """A Flask test client that reads pages the way a person meets them."""

    def __init__(self, client):
        self.client = client

    def get(self, url, status=200, **kwargs):
        response = self.client.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code, response.headers.get("Location"))
        return response

    def page(self, url, status=200, **kwargs) -> BeautifulSoup:
        return check_page(self.get(url, status, **kwargs))

    def submit(self, url, data, status=None, form_url=None, **kwargs):
        """GET the form, then POST it with its CSRF token, like a web."""
        token = csrf_token_from(self.client.get(form_url or url))
        response = self.client.post(url, data={**data, "csrf_token": token}, **kwargs)
        if status is not None:
            assert response.status_code == status, (url, response.status_code, response.headers.get("Location"))
        return response

    def sign_in(self, email, password=PASSWORD):
        response = self.submit("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return response


def error_summary(soup: BeautifulSoup) -> dict[str, str]:
    """The GOV.UK error summary as {field id: message}; each link must point at a field on the page."""
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    errors = {}
    for link in summary.select("a"):
        target = link["href"].lstrip("#")
        assert soup.find(id=target), f"error summary links to #{target}, which is not on the page"
        errors[target] = link.get_text(strip=True)
    assert soup.title.string.startswith("Error:")
    return errors


@pytest.fixture
def web(client):
    return WebClient(client)


@pytest.fixture
def person(app):
    return make_user(app)


@pytest.fixture
def signed_in_person(web, person):
    web.sign_in(person[1])
    return person
