"""``/docs``: Swagger UI for the REST API, from vendored files (swagger-ui-dist, no CDN),
with a Content-Security-Policy that admits only those files and the page's one inline
script (by hash). Mounted outside production only (the page and ``/openapi.json`` would
describe the API to anyone without a key)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from srm.api.graphiql import STATIC_PATH, page_csp

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@cache
def _page() -> tuple[str, str]:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="SRM API — REST",
        swagger_js_url=f"{STATIC_PATH}/vendor/swagger-ui-bundle.js",
        swagger_css_url=f"{STATIC_PATH}/vendor/swagger-ui.css",
        swagger_favicon_url="data:,",
    ).body
    html = bytes(page).decode("utf-8")
    return html, page_csp(html)


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    html, csp = _page()
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})
