"""Assigning from the crew panel (issue 13), in real Chromium on the demo, at 1280×720.

A manager opens the "Équipe" panel, drags a technician's name onto an unstaffed shift,
sees the preview and confirms: the name appears on that bar. A technician already booked
at the same time gets the double booking in the preview and a disabled "Confirmer". The
same assignment with the keyboard only: Enter on the name picks the person (said in the
status line), the board's arrows reach the shift, Enter assigns. The bars' names open with
what they show, narrow or not (axe's label-content-name-mismatch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from apps.crew.models import Artist
from apps.orgs.demo import run_seed
from apps.planning.models import Assignment, Shift
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    VenueFactory,
    written_behind_the_services,
)
from tests.web.conftest import screenshot
from tests.web.test_board_direct_browser import manager_page
from tests.web.test_board_views import AXE, open_board, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEEK = "2027-01-11"  # a Monday


@pytest.fixture
def demo() -> Any:
    return run_seed(size="normal")


@dataclass
class Tour:
    project: Any
    technician: Artist
    booked: Artist
    evening: Shift  # nobody on it
    overlapping: Shift  # same evening, other mission: ``booked`` works it
    short: Shift  # 2 h: a narrow bar


def a_tour(demo: Any) -> Tour:
    """A week of its own in the demo's organization: a role needing no skill, two missions
    with evening shifts, a technician free that week and one booked on Tuesday evening."""
    organization = demo.organization
    zone = organization.tzinfo
    project = ProjectFactory(organization=organization, name="Tournée d'essai")
    role = RoleFactory(organization=organization, name="Plateau (essai)")
    missions = [
        MissionFactory(
            project=project,
            venue=VenueFactory(organization=organization, name=name),
            start_at=datetime(2027, 1, 10, tzinfo=zone),
            end_at=datetime(2027, 1, 17, tzinfo=zone),
        )
        for name in ("Salle Nord (essai)", "Salle Sud (essai)")
    ]
    for mission in missions:
        MissionRoleFactory(mission=mission, role=role, headcount=1)

    def shift(mission: Any, day: int, start: int, end: int) -> Shift:
        return ShiftFactory(
            mission=mission,
            role=role,
            start_at=datetime(2027, 1, day, start, tzinfo=zone),
            end_at=datetime(2027, 1, day, end, tzinfo=zone),
            headcount=1,
            max_headcount=1,
        )

    evening = shift(missions[0], 12, 18, 23)
    overlapping = shift(missions[1], 12, 19, 23)
    short = shift(missions[0], 14, 20, 22)
    technician = ArtistFactory(organization=organization, first_name="Zélie", last_name="Fontaine")
    booked = ArtistFactory(organization=organization, first_name="Yann", last_name="Quéré")
    AssignmentFactory(shift=overlapping, artist=booked, status="accepted")
    written_behind_the_services(organization)
    return Tour(project, technician, booked, evening, overlapping, short)


def open_crew_panel(page: Any, name: str) -> Any:
    """Opens the panel, filters it on ``name`` and returns that person's button, once the
    board, narrower now, is drawn again for its width."""
    drawn = page.evaluate("window.__boardReadyAt")
    page.click("#toggle-crew")
    page.wait_for_function("at => window.__boardReadyAt !== at", arg=drawn)
    page.wait_for_selector("#crew-panel .crew-person")
    page.fill("#crew-filter", name)
    person = page.locator(".crew-person", has_text=name)
    person.wait_for()
    assert page.locator(".crew-person").count() == 1
    return person


def drag_onto(page: Any, source: Any, bar: Any, *, fits: bool) -> None:
    """Drags ``source`` onto ``bar``; before the drop, the bar is highlighted and says
    whether the person fits it (the shift's candidates), as does the name being dragged."""
    start = source.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)
    page.mouse.down()
    bar.scroll_into_view_if_needed()
    end = bar.bounding_box()
    page.mouse.move(end["x"] + 10, end["y"] + end["height"] / 2, steps=10)
    assert page.locator(".person-ghost").count() == 1
    assert "drop-target" in (bar.get_attribute("class") or "")
    shift = bar.get_attribute("data-shift")
    page.wait_for_selector(f".bar.{'drop-fits' if fits else 'drop-misfit'}[data-shift='{shift}']")
    ghost = page.locator(".person-ghost")
    assert ghost.get_attribute("data-fit") == ("disponible" if fits else "conflit")
    page.mouse.up()


def test_a_technician_dragged_from_the_crew_panel_onto_an_empty_shift_is_assigned(
    live_server: Any, browser: Any, demo: Any
) -> None:
    tour = a_tour(demo)
    page = manager_page(browser, live_server.url, 1280, 720)
    open_board(page, live_server.url, f"view=week&date={WEEK}&project={tour.project.pk}")
    person = open_crew_panel(page, "Zélie")
    assert page.locator("#toggle-crew").get_attribute("aria-expanded") == "true"
    assert serious_violations(page) == []

    bar = page.locator(f".bar[data-shift='{tour.evening.pk}']")
    assert "Zélie" not in bar.inner_text()
    drag_onto(page, person, bar, fits=True)
    assert page.locator(".person-ghost").count() == 0
    page.wait_for_selector("#dialog[open] #confirm-assign")
    assert "Zélie Fontaine" in page.locator("#dialog-title").inner_text()
    assert page.locator("#confirm-assign").is_enabled()
    screenshot(page, "board-crew-drop-preview")
    page.click("#confirm-assign")

    page.wait_for_function("!document.getElementById('dialog').open")
    bar.locator(".chip", has_text="Zélie F.").wait_for()
    assert "Zélie Fontaine" in (bar.get_attribute("aria-label") or "")
    assert Assignment.objects.filter(
        shift=tour.evening, artist=tour.technician, status="proposed"
    ).exists()
    # Redrawn as after any write: the focus is back on that shift.
    page.wait_for_function(
        "id => document.activeElement?.dataset?.shift === id", arg=str(tour.evening.pk)
    )
    screenshot(page, "board-crew-assigned")
    page.context.close()


def test_a_person_booked_at_the_same_time_shows_the_conflict_and_cannot_be_confirmed(
    live_server: Any, browser: Any, demo: Any
) -> None:
    tour = a_tour(demo)
    page = manager_page(browser, live_server.url, 1280, 720)
    open_board(page, live_server.url, f"view=week&date={WEEK}&project={tour.project.pk}")
    person = open_crew_panel(page, "Yann")
    bar = page.locator(f".bar[data-shift='{tour.evening.pk}']")

    drag_onto(page, person, bar, fits=False)

    page.wait_for_selector("#dialog[open] #confirm-assign")
    dialog = page.locator("#dialog")
    assert dialog.locator(".conflict.hard[data-rule=double_booking]").count() == 1
    assert "Yann Quéré" in dialog.inner_text()
    assert page.locator("#confirm-assign").is_disabled()
    assert page.locator("#blocked-reason").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "board-crew-drop-conflict")

    # "Annuler" goes back to the board, nothing written.
    dialog.get_by_role("button", name="Annuler").click()
    page.wait_for_function("!document.getElementById('dialog').open")
    assert not Assignment.objects.filter(shift=tour.evening, artist=tour.booked).exists()
    page.context.close()


def test_the_keyboard_alone_picks_a_person_reaches_the_shift_and_assigns(
    live_server: Any, browser: Any, demo: Any
) -> None:
    tour = a_tour(demo)
    page = manager_page(browser, live_server.url, 1280, 720)
    open_board(page, live_server.url, f"view=week&date={WEEK}&project={tour.project.pk}")
    drawn = page.evaluate("window.__boardReadyAt")
    page.focus("#toggle-crew")
    page.keyboard.press("Enter")
    page.wait_for_selector("#crew-panel .crew-person")
    page.wait_for_function("at => window.__boardReadyAt !== at", arg=drawn)
    page.focus("#crew-filter")
    page.keyboard.type("Zélie")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.artist") == str(tour.technician.pk)

    page.keyboard.press("Enter")
    status = page.locator("#board-status")
    assert "Zélie Fontaine" in status.inner_text()
    assert status.get_attribute("aria-live") == "polite"
    person = page.locator(f".crew-person[data-artist='{tour.technician.pk}']")
    assert person.get_attribute("aria-pressed") == "true"

    # Back to the board (its one tab stop), then along the shifts to the evening one.
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('bar')"):
            break
    target = str(tour.evening.pk)
    page.keyboard.press("Home")
    for _ in range(6):
        if page.evaluate("document.activeElement.dataset.shift") == target:
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.shift") == target
    page.keyboard.press("Enter")

    page.wait_for_selector("#dialog[open] #confirm-assign")
    for _ in range(4):
        if page.evaluate("document.activeElement.id") == "confirm-assign":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("!document.getElementById('dialog').open")
    page.locator(f".bar[data-shift='{target}'] .chip", has_text="Zélie F.").wait_for()
    assert Assignment.objects.filter(shift=tour.evening, artist=tour.technician).exists()
    assert person.get_attribute("aria-pressed") == "false"
    page.wait_for_function("id => document.activeElement?.dataset?.shift === id", arg=target)

    # Picking then Escape gives up; the help lists the shortcut.
    person.focus()
    page.keyboard.press("Space")
    assert person.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert person.get_attribute("aria-pressed") == "false"
    assert "abandonnée" in status.inner_text()
    page.locator(f".bar[data-shift='{target}']").focus()
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts")
    assert "Panneau Équipe : Entrée" in page.locator("#shortcuts kbd").all_inner_texts()
    page.context.close()


def name_mismatches(page: Any) -> list[str]:
    """The bars and cells whose accessible name does not hold the text they show."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is absent: run `make lint-js` (npm ci) first")
    page.add_script_tag(path=str(AXE))
    return list(
        page.evaluate(
            """async () => {
              const result = await axe.run(document, {
                runOnly: ['label-content-name-mismatch'], resultTypes: ['violations'],
              });
              return result.violations.flatMap(v => v.nodes.map(n => {
                const node = document.querySelector(n.target.join(' '));
                return `${n.target.join(' ')} shows "${node?.innerText}" named "${
                  node?.getAttribute('aria-label')}"`;
              }));
            }"""
        )
    )


@pytest.mark.parametrize("width", [1280, 900])
def test_narrow_bars_have_names_that_hold_what_they_show(
    live_server: Any, browser: Any, demo: Any, width: int
) -> None:
    tour = a_tour(demo)
    # Conflict badges on a narrow bar too: its role needs a skill nobody on it has.
    rigging = SkillFactory(organization=demo.organization, name="Accroche (essai)")
    tour.short.role.required_skills.add(rigging)
    AssignmentFactory(shift=tour.short, artist=tour.booked, status="proposed")
    written_behind_the_services(demo.organization)
    page = manager_page(browser, live_server.url, width, 720)
    open_board(page, live_server.url, f"view=week&date={WEEK}&project={tour.project.pk}")
    sizes = page.eval_on_selector_all(
        ".bar",
        "bars => bars.map(b => b.classList.contains('tiny') ? 'tiny' : "
        "b.classList.contains('compact') ? 'compact' : 'wide')",
    )
    assert {"tiny", "compact"} & set(sizes), sizes
    page.mouse.move(0, 0)
    assert name_mismatches(page) == []
    # Hovered, a narrow bar shows everything: its name still holds it.
    short = page.locator(f".bar[data-shift='{tour.short.pk}']")
    assert short.locator(".badge").count() >= 1
    short.hover()
    assert name_mismatches(page) == []
    # The whole demo week around today, narrow bars everywhere.
    open_board(page, live_server.url, "view=week")
    page.mouse.move(0, 0)
    assert name_mismatches(page) == []
    page.context.close()
