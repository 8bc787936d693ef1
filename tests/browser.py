"""Browser tests' shared parts: Debian's Chromium driven by playwright, a local server
for a built site, a context that records requests leaving 127.0.0.1 and console errors,
and the axe-core scan."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize

from conftest import REPO

#: Debian's chromium (tests/tools/install); $CHROMIUM names another build, e.g. the Chrome
#: that GitHub's Ubuntu runners have (the weekly upstream workflow).
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = REPO / "tests" / "output"
PHONE: ViewportSize = {"width": 375, "height": 740}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No log lines in the test output."""


@dataclass
class Served:
    url: str
    out: Path


def serve(out: Path) -> Iterator[Served]:
    """The folder on http://127.0.0.1:<free port>/ from a thread, under a sub-path, so
    that only relative links work."""
    root = out.parent / f"{out.name}-served"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "site").symlink_to(out)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}/sub/site/", out)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Watch:
    """What a browser context saw: requests to other hosts, console errors, page errors
    and dialogs (alert, confirm …)."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def watched_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Watch]:
    context = browser.new_context(**options)
    watch = Watch()

    def route(route: Route) -> None:
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)
    return context, watch


def watch_page(page: Page, watch: Watch) -> None:
    page.on(
        "console",
        lambda message: (
            watch.errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: watch.errors.append(f"{page.url}: {error}"))

    def dialog(d: Any) -> None:
        watch.dialogs.append(f"{page.url}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)


def crawl(page: Page, served: Served, visit: Any) -> set[str]:
    """Breadth-first from index.html over every link inside the site: HTML pages are
    opened (status 200) and handed to `visit`, other files are fetched (status 200).
    Returns the site paths reached."""
    start = served.url + "index.html"
    queue, seen = deque([start]), {start}
    while queue:
        url = queue.popleft()
        if not url.endswith(".html"):
            assert page.request.get(url).status == 200, f"broken link: {url}"
            continue
        response = page.goto(url)
        assert response is not None and response.status == 200, f"broken link: {url}"
        visit(page, url)
        hrefs: list[str] = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            target = urldefrag(urljoin(url, href)).url
            if urlparse(target).scheme not in ("http", "https"):
                continue
            if target.startswith(served.url) and target not in seen:
                seen.add(target)
                queue.append(target)
    return {u.removeprefix(served.url) for u in seen}


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} "
        f"{[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
