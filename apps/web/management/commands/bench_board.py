"""``manage.py bench_board``: how long a production manager waits on the board, in Chromium.

Opens the board of a running server in headless Chromium, logs in, and times what a
manager does on a busy month (the page sets ``window.__boardReadyAt`` each time the board
has drawn its bars):

- ``cold_after_write``: the month opened right after a write (a booking locked or
  unlocked through the API bumps the organization's revision, so no cached timeline is
  served): from the start of navigation to a usable board;
- ``warm``: the same month opened again, nothing written in between;
- ``filter_change``: a venue chosen in the filters, until the board has drawn again;
- ``view_switch``: month → week, until the week is drawn;
- ``assign_redraw``: on a week, one candidate assigned from a shift's dialog: from the
  click on "Confirmer" to the board drawn again with the booking (target ≤ 300 ms);
- the steps after a first drawing are timed from the input event itself (the click, or a
  select's change, as the page receives it), not from when the harness starts clicking;
- the month's timeline as it crossed the network (compressed) and decoded, summed over
  its requests (one per local week).

Each step runs ``--runs`` times; the median and the worst are printed as JSON, one line,
so two servers (before and after a change) can be compared in one sitting.
"""

from __future__ import annotations

import json
import statistics
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, F, Q
from django.utils import timezone

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The timeline's size on the wire (compressed) and decoded, from the resource timing: the sum
# over the page's timeline responses (the board fetches a month a local week at a time).
TIMELINE_SIZES = """() => {
  const entries = performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/planning/timeline'));
  if (!entries.length) return null;
  return entries.reduce(
    (sum, e) => ({
      encoded: sum.encoded + e.encodedBodySize,
      decoded: sum.decoded + e.decodedBodySize,
    }),
    { encoded: 0, decoded: 0 },
  );
}"""

# An audited write through the API (lock, then unlock, one booking): the next timeline is cold.
TOGGLE_LOCK = """async ([id, locked]) => {
  const token = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)?.[1] || '';
  const response = await fetch(`/api/v1/planning/assignments/${id}`, {
    method: 'PATCH', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': decodeURIComponent(token)},
    body: JSON.stringify({locked}),
  });
  return response.status;
}"""


class Command(BaseCommand):
    help = "Time the planning board on a busy month in headless Chromium (see the docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--email", default="manager@demo.test")
        parser.add_argument("--password", default="demo-password-2026")
        parser.add_argument("--date", default="", help="A day of the month to show (YYYY-MM-DD).")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--chromium", default="/usr/bin/chromium")
        parser.add_argument(
            "--timeout", type=float, default=120, help="Seconds to wait for one step."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from playwright.sync_api import sync_playwright

        self.base = options["base_url"].rstrip("/")
        self.month = "view=month" + (f"&date={options['date']}" if options["date"] else "")
        runs = options["runs"]
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        targets = _assign_targets(options["email"], runs)
        timings: dict[str, list[float]] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=options["chromium"], args=CHROMIUM_ARGS
            )
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.set_default_timeout(options["timeout"] * 1000)
            self._log_in(page, options["email"], options["password"])
            for run in range(runs):
                self._month_steps(page, run, targets["lock"], timings)
                if run < len(targets["assign"]):
                    timings.setdefault("assign_redraw", []).append(
                        self._assign(page, targets["assign"][run])
                    )
            sizes = self._sizes(page)
            shown = str(page.inner_text("#board-status"))
            browser.close()
        result: dict[str, Any] = {"runs": runs, "board": shown}
        for name, values in timings.items():
            result[f"{name}_median_ms"] = round(statistics.median(values), 1)
            result[f"{name}_max_ms"] = round(max(values), 1)
        result["timeline_bytes_compressed"] = sizes.get("encoded")
        result["timeline_bytes_uncompressed"] = sizes.get("decoded")
        self.stdout.write(json.dumps(result))

    # ------------------------------------------------------------------ steps
    def _log_in(self, page: Any, email: str, password: str) -> None:
        page.goto(f"{self.base}/app/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/app/**")

    def _open_month(self, page: Any) -> float:
        page.goto(f"{self.base}/app/timeline?{self.month}")
        page.wait_for_function("window.__boardReadyAt !== undefined")
        return float(page.evaluate("window.__boardReadyAt"))

    def _month_steps(
        self, page: Any, run: int, lock_id: str, timings: dict[str, list[float]]
    ) -> None:
        status = page.evaluate(TOGGLE_LOCK, [lock_id, run % 2 == 0])
        if status != 200:
            raise CommandError(f"the write before the cold month answered {status}")
        timings.setdefault("cold_after_write", []).append(self._open_month(page))
        timings.setdefault("warm", []).append(self._open_month(page))
        venue = page.eval_on_selector(
            "#filters select[name=venue]", "s => s.options[Math.min(1, s.options.length - 1)].value"
        )
        timings.setdefault("filter_change", []).append(
            _timed(page, lambda: page.select_option("#filters select[name=venue]", venue))
        )
        page.select_option("#filters select[name=venue]", "")
        timings.setdefault("view_switch", []).append(
            _timed(page, lambda: page.click("[data-view=week]"))
        )

    def _assign(self, page: Any, target: dict[str, str]) -> float:
        """Open the shift on its week, pick the first candidate who fits, confirm: the
        time from the click on "Confirmer" to the board drawn again."""
        page.goto(f"{self.base}/app/timeline?view=week&date={target['day']}")
        page.wait_for_selector("#board[data-ready=true]")
        page.click(f".bar[data-shift='{target['shift']}']")
        page.wait_for_selector("#dialog[open]")
        page.click("#find-artists")
        page.click(".candidate[data-fits=true] button[data-artist]")
        page.wait_for_selector("#confirm-assign:not([disabled])")
        return _timed(page, lambda: page.click("#confirm-assign"))

    def _sizes(self, page: Any) -> dict[str, int]:
        self._open_month(page)
        sizes: dict[str, int] = page.evaluate(TIMELINE_SIZES) or {}
        return sizes


# The instant the person's input reaches the page (the first click or change after it is
# set up), not when Playwright starts its actionability checks before clicking (waiting for
# the element to hold still two animation frames costs it some 30–50 ms of its own).
INPUT_CLOCK = """() => {
  window.__inputAt = 0;
  const mark = () => { if (!window.__inputAt) window.__inputAt = performance.now(); };
  for (const type of ["click", "change"]) {
    document.addEventListener(type, mark, { capture: true, once: true });
  }
}"""


def _timed(page: Any, action: Any) -> float:
    """Milliseconds from the input ``action`` gives (the click, or the change of a select)
    to the board's next drawing."""
    before = float(page.evaluate("performance.now()"))
    page.evaluate(INPUT_CLOCK)
    action()
    page.wait_for_function(f"window.__boardReadyAt > {before}")
    drawn, given = page.evaluate("[window.__boardReadyAt, window.__inputAt]")
    return float(drawn) - (float(given) or before)


def _assign_targets(email: str, runs: int) -> dict[str, Any]:
    """A booking to lock and unlock, and ``runs`` shifts short of crew in the coming days."""
    from apps.orgs.models import Membership
    from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift

    membership = Membership.objects.filter(user__email=email).select_related("organization")
    first = membership.first()
    if first is None:
        raise CommandError(f"no membership for {email}")
    organization = first.organization
    lock = Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).first()
    if lock is None:
        raise CommandError("the organization has no booking to write to")
    active = Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)
    shifts = (
        Shift.objects.filter(
            organization=organization,
            status__in=("draft", "published"),
            start_at__gte=timezone.now() + timedelta(days=1),
        )
        .annotate(booked=Count("assignments", filter=active))
        .filter(booked__lt=F("headcount"))
        .order_by("start_at")[:runs]
    )
    zone = organization.tzinfo
    return {
        "lock": str(lock.pk),
        "assign": [
            {"shift": str(s.pk), "day": s.start_at.astimezone(zone).date().isoformat()}
            for s in shifts
        ],
    }
