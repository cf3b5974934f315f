"""Sending a stored receipt back: to the person, their helper, or council staff, never to anyone else."""

import io

from flask import abort, send_file

from portal.data import budget_accounts


def send_receipt(found):
    """A download with the type its content was checked as; never shown inline, never sniffed, no storage path."""
    try:
        content = budget_accounts.receipt_path(found).read_bytes()  # read whole (≤ 10MB): no file left open
    except FileNotFoundError:
        abort(404)
    response = send_file(
        io.BytesIO(content),
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.download_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
