"""What the demo month holds: roles, venues, shift templates and the plan of projects.

Pure data and pure functions of (Monday, size); nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from apps.planning.models import ProjectStatus

SEED = 20260404
BATCH = 1000
MIN_REST = timedelta(hours=11)
MAX_WEEK_HOURS = 44.0
PUBLISHED_WEEKS = 2
DAYS = 28

ROLES: dict[str, tuple[str, str]] = {  # name: (skill, colour)
    "Rigger": ("rigging", "#8c564b"),
    "Stage hand": ("stage", "#7f7f7f"),
    "Lighting desk": ("lighting", "#ff7f0e"),
    "Sound engineer": ("sound", "#1f77b4"),
    "Video": ("video", "#9467bd"),
    "Wardrobe": ("wardrobe", "#e377c2"),
    "Driver": ("driving", "#2ca02c"),
}
TOUR_VENUES = [
    ("Olympia", "Paris", 2000, "28 boulevard des Capucines"),
    ("Zénith de Lille", "Lille", 7000, "1 boulevard des Cités Unies"),
    ("La Cigale", "Paris", 1400, "120 boulevard de Rochechouart"),
    ("Le Transbordeur", "Villeurbanne", 1800, "3 boulevard de Stalingrad"),
    ("Le Bikini", "Toulouse", 1500, "rue Théodore Monod"),
    ("L'Aéronef", "Lille", 2000, "168 avenue Willy Brandt"),
    ("Le Rocher de Palmer", "Cenon", 1200, "1 rue Aristide Briand"),
    ("La Laiterie", "Strasbourg", 1000, "13 rue du Hohwald"),
    ("Stereolux", "Nantes", 1200, "4 boulevard Léon Bureau"),
    ("Le Liberté", "Rennes", 4000, "1 esplanade Charles de Gaulle"),
]
THEATRES = [
    ("Théâtre du Châtelet", "Paris", 2000, "1 place du Châtelet"),
    ("Théâtre de la Ville", "Paris", 1000, "2 place du Châtelet"),
    ("Théâtre Mogador", "Paris", 1600, "25 rue de Mogador"),
]
FESTIVAL_SITES = [
    ("Parc de la Villette", "Paris", 15000, "211 avenue Jean Jaurès"),
    ("Domaine national de Saint-Cloud", "Saint-Cloud", 40000, "Grille d'honneur"),
    ("Prairie du Canal", "Paris", 8000, "quai de la Charente"),
]
TOUR_ARTISTS = [
    "Lumières",
    "Zaho de Sagazan",
    "L'Impératrice",
    "Juliette Armanet",
    "Feu! Chatterton",
    "Pomme",
    "Ibeyi",
    "Bagarre",
    "La Femme",
    "Clara Luciani",
]
PLAYS = ["Le Malade imaginaire", "Cyrano de Bergerac", "La Cerisaie"]
FESTIVALS = ["Festival Nuits d'Été", "Rock en Seine — Warm-up"]


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    role: str
    start: time
    end: time
    headcount: int
    max_headcount: int
    break_minutes: int = 0


def _t(text: str) -> time:
    return time.fromisoformat(text)


TEMPLATES = {
    spec.name: spec
    for spec in (
        TemplateSpec("Load-in — Rigger", "Rigger", _t("08:00"), _t("12:00"), 2, 3),
        TemplateSpec("Load-in — Stage hand", "Stage hand", _t("08:00"), _t("12:00"), 4, 5),
        TemplateSpec("Load-in — Driver", "Driver", _t("07:00"), _t("12:00"), 1, 1),
        TemplateSpec("Set-up — Lighting desk", "Lighting desk", _t("13:00"), _t("18:00"), 2, 2),
        TemplateSpec("Set-up — Sound engineer", "Sound engineer", _t("13:00"), _t("18:00"), 2, 2),
        TemplateSpec("Set-up — Video", "Video", _t("13:00"), _t("18:00"), 1, 1),
        TemplateSpec("Show — Lighting desk", "Lighting desk", _t("19:00"), _t("23:30"), 1, 1),
        TemplateSpec("Show — Sound engineer", "Sound engineer", _t("19:00"), _t("23:30"), 2, 2),
        TemplateSpec("Show — Stage hand", "Stage hand", _t("19:00"), _t("23:30"), 2, 3),
        TemplateSpec("Show — Wardrobe", "Wardrobe", _t("17:30"), _t("23:30"), 1, 2, 20),
        TemplateSpec("Show — Video", "Video", _t("19:00"), _t("23:30"), 1, 1),
        TemplateSpec("Load-out — Rigger", "Rigger", _t("23:30"), _t("03:30"), 2, 3),
        TemplateSpec("Load-out — Stage hand", "Stage hand", _t("23:30"), _t("03:30"), 4, 5),
        TemplateSpec("Load-out — Driver", "Driver", _t("23:30"), _t("04:00"), 1, 1),
        TemplateSpec("Représentation — Stage hand", "Stage hand", _t("18:30"), _t("23:00"), 2, 2),
        TemplateSpec("Représentation — Lighting", "Lighting desk", _t("18:30"), _t("23:00"), 1, 1),
        TemplateSpec("Représentation — Sound", "Sound engineer", _t("18:30"), _t("23:00"), 1, 1),
        TemplateSpec("Représentation — Wardrobe", "Wardrobe", _t("18:00"), _t("23:30"), 2, 2),
        TemplateSpec(
            "Festival — Lighting desk", "Lighting desk", _t("16:00"), _t("00:30"), 1, 1, 30
        ),
        TemplateSpec(
            "Festival — Sound engineer", "Sound engineer", _t("16:00"), _t("00:30"), 2, 2, 30
        ),
        TemplateSpec("Festival — Stage hand", "Stage hand", _t("16:00"), _t("00:30"), 2, 3, 30),
        TemplateSpec("Festival — Video", "Video", _t("16:00"), _t("00:30"), 1, 1, 30),
        TemplateSpec("Régie plateau (long day)", "Stage hand", _t("10:00"), _t("23:30"), 1, 1, 60),
        TemplateSpec("Festival load-out — Rigger", "Rigger", _t("01:00"), _t("06:00"), 2, 3),
        TemplateSpec("Festival load-out — Stage", "Stage hand", _t("01:00"), _t("06:00"), 3, 4),
    )
}
LOAD_IN = ("Load-in — Rigger", "Load-in — Stage hand", "Load-in — Driver")
SET_UP = ("Set-up — Lighting desk", "Set-up — Sound engineer", "Set-up — Video")
SHOW = tuple(name for name in TEMPLATES if name.startswith("Show — "))
LOAD_OUT = ("Load-out — Rigger", "Load-out — Stage hand", "Load-out — Driver")
DAY_KINDS: dict[str, tuple[str, ...]] = {
    "show day": (*LOAD_IN, *SET_UP, *SHOW, *LOAD_OUT),
    "performance": tuple(name for name in TEMPLATES if name.startswith("Représentation")),
    "festival build": (*LOAD_IN, *SET_UP),
    "festival day": tuple(name for name in TEMPLATES if name.startswith("Festival — ")),
    "festival main day": (
        *(name for name in TEMPLATES if name.startswith("Festival — ")),
        "Régie plateau (long day)",
    ),
    "festival strike": ("Festival load-out — Rigger", "Festival load-out — Stage"),
}


@dataclass(frozen=True)
class Size:
    tours: int
    tour_weekdays: tuple[int, ...]  # a tour plays when (day + tour index) % 7 is one of these
    theatre_runs: int
    festivals: int
    stages: int
    # Tours and theatre runs last this many days from the first Monday. The large month
    # spans six weeks from the Monday before the 1st, so the board's month view of the
    # current month holds all of it (3,000+ shifts) whatever day the month starts on.
    days: int = DAYS


SIZES = {
    "normal": Size(tours=1, tour_weekdays=(1, 4), theatre_runs=1, festivals=1, stages=2),
    "large": Size(
        tours=10, tour_weekdays=(1, 2, 4, 5, 6), theatre_runs=3, festivals=2, stages=3, days=42
    ),
}


@dataclass
class ProjectPlan:
    name: str
    client: str
    status: str
    color: str
    description: str
    missions: list[MissionPlan] = field(default_factory=list)


@dataclass
class MissionPlan:
    name: str
    venue: str
    days: list[tuple[date, str]]  # (local date, day kind)


# --- The month's plan (pure) ---------------------------------------------------------


def _tour(index: int, monday: date, size: Size, venues: Sequence[str]) -> ProjectPlan:
    project = ProjectPlan(
        name=f"Tournée {TOUR_ARTISTS[index]} {monday.year}",
        client="Astérios Spectacles" if index % 2 == 0 else "Wart Productions",
        status=ProjectStatus.ACTIVE,
        color=["#e4572e", "#29335c", "#f3a712", "#669bbc", "#a8c686"][index % 5],
        description="Club and arena dates; the crew travels with the trucks.",
    )
    for offset in range(size.days):
        if (offset + index) % 7 not in size.tour_weekdays:
            continue
        day = monday + timedelta(days=offset)
        venue = venues[(index + offset) % len(venues)]  # tours never share a venue on a day
        project.missions.append(MissionPlan(f"{venue} — {day:%d/%m}", venue, [(day, "show day")]))
    return project


def _theatre_run(index: int, monday: date, size: Size) -> ProjectPlan:
    play, venue = PLAYS[index % len(PLAYS)], THEATRES[index % len(THEATRES)][0]
    project = ProjectPlan(
        name=f"{play} — {venue}",
        client=venue,
        status=ProjectStatus.ACTIVE,
        color="#6a4c93",
        description="Evening performances, Tuesday to Saturday.",
    )
    for week in range(size.days // 7):
        days = [(monday + timedelta(days=7 * week + d), "performance") for d in range(1, 6)]
        project.missions.append(MissionPlan(f"{play} — semaine {week + 1}", venue, days))
    return project


def _festival(index: int, monday: date, size: Size) -> ProjectPlan:
    site = FESTIVAL_SITES[index % len(FESTIVAL_SITES)][0]
    thursday = monday + timedelta(days=7 * (2 + index % 2) + 3)
    project = ProjectPlan(
        name=f"{FESTIVALS[index % len(FESTIVALS)]} {thursday.year}",
        client="Ville de Paris",
        status=ProjectStatus.ACTIVE,
        color="#2a9d8f",
        description="Three days, several stages; the main stage runs a long régie day.",
    )
    for stage in range(size.stages):
        main = stage == 0
        days = [(thursday, "festival build")]
        days += [
            (thursday + timedelta(days=n), "festival main day" if main else "festival day")
            for n in (1, 2, 3)
        ]
        days.append((thursday + timedelta(days=4), "festival strike"))
        name = "Grande scène" if main else f"Scène {chr(ord('A') + stage)}"
        project.missions.append(MissionPlan(name, site, days))
    return project


def _idle_projects(monday: date) -> list[ProjectPlan]:
    return [
        ProjectPlan(
            name="Tournée d'automne (en préparation)",
            client="Astérios Spectacles",
            status=ProjectStatus.DRAFT,
            color="#bbbbbb",
            description="Dates being confirmed.",
        ),
        ProjectPlan(
            name=f"Festival d'hiver {monday.year - 1}",
            client="Ville de Lille",
            status=ProjectStatus.ARCHIVED,
            color="#444444",
            description="Last winter's edition.",
        ),
    ]


def month_plan(monday: date, size: Size) -> list[ProjectPlan]:
    """Projects and missions of the month; tours share the tour venues."""
    venues = [name for name, *_ in TOUR_VENUES][: 4 if size.tours == 1 else len(TOUR_VENUES)]
    projects = [_tour(i, monday, size, venues) for i in range(size.tours)]
    projects += [_theatre_run(i, monday, size) for i in range(size.theatre_runs)]
    projects += [_festival(i, monday, size) for i in range(size.festivals)]
    return [*projects, *_idle_projects(monday)]


def venue_specs(size: Size) -> list[tuple[str, str, int, str]]:
    if size.tours == 1:
        return [*TOUR_VENUES[:4], THEATRES[0], FESTIVAL_SITES[0]]
    return [*TOUR_VENUES, *THEATRES[: size.theatre_runs], *FESTIVAL_SITES[: size.festivals + 1]]
