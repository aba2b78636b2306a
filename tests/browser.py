"""Open report pages in headless Chromium (Debian's package) and record what they do.

Used by the browser tests. Chromium is the system one (``/usr/bin/chromium``;
``.ci/run`` installs it); Playwright only drives it and never downloads a
browser. Every request that leaves the page, every dialog, every console message
and every uncaught error is recorded.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("EVALLIB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Chromium not found: install Debian's 'chromium' package (.ci/run does) or set EVALLIB_CHROMIUM"
        )
    pytest.importorskip("playwright.sync_api")
    return path


@dataclass
class Visit:
    """What happened while a page was open."""

    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        return [r for r in self.requests if r != self.url and not r.startswith("data:")]


@contextmanager
def browser():
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=require_chromium(), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def visit(instance, path: Path, width: int = 1280, height: int = 900):
    """Open a file in a new page; return the page and the record of what it did."""
    page = instance.new_page(viewport={"width": width, "height": height})
    record = Visit(path.resolve().as_uri())
    page.on("request", lambda r: record.requests.append(r.url))
    page.on("dialog", lambda d: (record.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: record.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: record.errors.append(str(e)))
    page.goto(record.url, wait_until="load")
    page.wait_for_timeout(200)  # let any (unwanted) script or image error fire
    return page, record
