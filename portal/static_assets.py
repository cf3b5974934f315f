"""Static files under a fingerprint of their content, so browsers keep them for a year and never use a stale one.

`url_for('static', filename=…)` adds `?v=<hash of the file>`. Served with that hash, a file may be cached for a
year, immutably: a changed file has a new hash, so a new address. Without it (an old page, an address typed in)
the browser must check with us each time. JavaScript modules import each other by absolute path, which the
browser fetches without asking us, so each import in a module is rewritten to carry its own fingerprint too
(and a module's fingerprint is of the rewritten text, so it changes when anything it imports changes).

Text files are also kept gzipped, compressed once per version: gunicorn does not compress, and the stylesheet
alone is 150 KB uncompressed (20 KB gzipped), which held up a phone's first paint by a second without a proxy.
"""

import gzip
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, current_app, request
from werkzeug.security import safe_join

A_YEAR = 31_536_000
IMMUTABLE = f"public, max-age={A_YEAR}, immutable"
_TEXT = (".css", ".js", ".svg", ".json", ".txt", ".map")
_MODULE_IMPORT = re.compile(r'(\bfrom\s*|\bimport\s*\(?\s*)"/static/([^"?#]+)"')


@dataclass(frozen=True)
class _Asset:
    stat: tuple[int, int]
    imports: tuple[tuple[str, str], ...]  # (filename, version) of each module it imports, as rewritten
    body: bytes
    version: str
    gzipped: bytes | None  # for text, when compressing it saves anything


class Fingerprints:
    """Each file read and hashed once, and again only when it (or a module it imports) changes on disk."""

    def __init__(self, folder: str, url_path: str) -> None:
        self.folder = folder
        self.url_path = url_path
        self._assets: dict[str, _Asset] = {}

    def asset(self, filename: str, _seen: frozenset[str] = frozenset()) -> _Asset | None:
        path = safe_join(self.folder, filename)
        if path is None or not os.path.isfile(path) or filename in _seen:
            return None
        info = os.stat(path)
        stat = (info.st_mtime_ns, info.st_size)
        known = self._assets.get(filename)
        if (
            known is not None
            and known.stat == stat
            and all(self.version(name, _seen | {filename}) == version for name, version in known.imports)
        ):
            return known
        body = Path(path).read_bytes()
        imports: list[tuple[str, str]] = []
        if filename.endswith(".js"):

            def fingerprinted(match: re.Match) -> str:
                version = self.version(match.group(2), _seen | {filename})
                if version is None:
                    return match.group(0)
                imports.append((match.group(2), version))
                return f'{match.group(1)}"{self.url_path}/{match.group(2)}?v={version}"'

            body = _MODULE_IMPORT.sub(fingerprinted, body.decode("utf-8")).encode("utf-8")
        packed = gzip.compress(body, 9, mtime=0) if filename.endswith(_TEXT) else None
        if packed is not None and len(packed) >= len(body):
            packed = None
        asset = _Asset(stat, tuple(imports), body, hashlib.sha256(body).hexdigest()[:12], packed)
        self._assets[filename] = asset
        return asset

    def version(self, filename: str, _seen: frozenset[str] = frozenset()) -> str | None:
        asset = self.asset(filename, _seen)
        return asset.version if asset else None


def _serve_static(filename: str):
    asset = current_app.extensions["fingerprints"].asset(filename)
    if asset is None:
        abort(404)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    compressed = asset.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = current_app.response_class(asset.gzipped if compressed else asset.body, mimetype=mimetype)
    response.vary.add("Accept-Encoding")
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(f"{asset.version}-gzip" if compressed else asset.version)  # one tag per form of the file
    # Only the current fingerprint is immutable: an old or missing one must be checked, or it would stick.
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == asset.version else "no-cache"
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    fingerprints = Fingerprints(app.static_folder or "", app.static_url_path or "/static")
    app.extensions["fingerprints"] = fingerprints
    app.view_functions["static"] = _serve_static

    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = fingerprints.version(values["filename"])
            if version is not None:
                values["v"] = version
