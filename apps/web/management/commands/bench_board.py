"""``manage.py bench_board``: time to a usable planning board, measured in Chromium.

Opens the board of a running server in headless Chromium, logs in, and measures from the
start of navigation to the moment the board has rendered its bars (the page sets
``window.__boardReadyAt``), for a month view, several times. Prints the median and the
95th percentile, how many shifts the board showed, and the size of the timeline response
as it crossed the network (gzipped) and decoded (the browser's resource timing).
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The timeline response's size on the wire (gzip) and decoded, from the resource timing.
TIMELINE_SIZES = """() => {
  const entry = performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/planning/timeline')).pop();
  return entry ? { encoded: entry.encodedBodySize, decoded: entry.decodedBodySize } : null;
}"""


class Command(BaseCommand):
    help = "Measure the time to a usable planning board for a month in headless Chromium."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--email", default="manager@demo.test")
        parser.add_argument("--password", default="demo-password-2026")
        parser.add_argument("--date", default="", help="A day of the month to show (YYYY-MM-DD).")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args: Any, **options: Any) -> None:
        from playwright.sync_api import sync_playwright

        base = options["base_url"].rstrip("/")
        query = "view=month" + (f"&date={options['date']}" if options["date"] else "")
        timings: list[float] = []
        shown = ""
        sizes: dict[str, int] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=options["chromium"], args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/app/login")
            page.fill("#email", options["email"])
            page.fill("#password", options["password"])
            page.click("button[type=submit]")
            page.wait_for_url("**/app/**")
            for _ in range(options["runs"]):
                page.goto(f"{base}/app/timeline?{query}")
                page.wait_for_function("window.__boardReadyAt !== undefined", timeout=60000)
                timings.append(float(page.evaluate("window.__boardReadyAt")))
                shown = str(page.inner_text("#board-status"))
                sizes = page.evaluate(TIMELINE_SIZES) or sizes
            browser.close()
        if not timings:
            raise CommandError("no measurement")
        first = timings[0]  # the first navigation computes the timeline; later ones hit its cache
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        result = {
            "runs": len(timings),
            "first_ms": round(first, 1),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(p95, 1),
            "board": shown,
            "timeline_bytes_compressed": sizes.get("encoded"),
            "timeline_bytes_uncompressed": sizes.get("decoded"),
        }
        self.stdout.write(json.dumps(result))
