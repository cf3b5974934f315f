"""Static files: fingerprinted addresses in every page, cached for a year; anything else checked each time."""

import gzip
import re

from portal.static_assets import IMMUTABLE


def _static_addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_ask_for_static_files_by_fingerprint(client):
    addresses = _static_addresses(client.get("/").get_data(as_text=True))
    assert {"/static/app.css", "/static/js/app.js", "/static/vendor/htmx.min.js"} <= {
        a.split("?")[0] for a in addresses
    }
    for address in addresses:
        assert re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{12}", address), address


def test_a_fingerprinted_file_is_cached_for_a_year(client):
    for address in _static_addresses(client.get("/").get_data(as_text=True)):
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.headers["Cache-Control"] == IMMUTABLE, address
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_without_its_fingerprint_or_with_an_old_one_a_file_is_checked_each_time(client):
    for address in ["/static/app.css", "/static/app.css?v=000000000000"]:
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
        # Checking is cheap: an unchanged file answers 304 with no body.
        again = client.get(address, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""


def test_module_imports_carry_their_fingerprints(client):
    page = client.get("/").get_data(as_text=True)
    app_js = next(a for a in _static_addresses(page) if a.startswith("/static/js/app.js"))
    module = client.get(app_js).get_data(as_text=True)
    imports = re.findall(r'from "([^"]+)"', module)
    assert {i.split("?")[0] for i in imports} == {
        "/static/vendor/govuk-frontend.min.js",
        "/static/js/session-timeout.js",
    }
    for imported in imports:
        assert re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{12}", imported), imported
        response = client.get(imported)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE


def test_a_missing_file_or_one_outside_the_folder_is_not_found(client):
    assert client.get("/static/no-such-file.js").status_code == 404
    assert client.get("/static/../app.py").status_code == 404


def test_static_files_keep_the_security_headers_and_no_inline_script(client):
    response = client.get("/static/js/app.js")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.mimetype in {"text/javascript", "application/javascript"}


def test_text_files_are_sent_gzipped_to_a_browser_that_accepts_it(client):
    plain = client.get("/static/app.css")
    packed = client.get("/static/app.css", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed.headers["ETag"] != plain.headers["ETag"]
