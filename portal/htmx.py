"""Render a whole page, or only one named block of it when htmx asks for a partial."""

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block


def is_partial_request() -> bool:
    """A true htmx partial: not a boosted navigation, not a history restore (they need the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page(template: str, fragment: str, status: int = 200, **context: object):
    body = render_block(template, fragment, **context) if is_partial_request() else render_template(template, **context)
    response = make_response(body, status)
    # htmx's caching advice: the same URL answers with a page or a fragment depending on this header.
    response.vary.add("HX-Request")
    return response


def render_main_instead(template: str, **context: object):
    """For an htmx request that needs more than its fragment (a form error to show at the top of the page):
    the whole page, with headers telling htmx to swap all of <main>, so the error summary appears and takes focus.
    """
    response = make_response(render_template(template, **context))
    response.headers.update({"HX-Retarget": "#main-content", "HX-Reswap": "outerHTML", "HX-Reselect": "#main-content"})
    response.vary.add("HX-Request")
    return response
