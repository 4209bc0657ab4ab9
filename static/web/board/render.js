// Drawing the range shown: the toolbar (view, title, filter options), then the board, one
// row per mission (or per artist) with a bar per shift, stacked in lanes where shifts overlap.
import { config, el, fmtTime, t, zonedToDate } from "../api.js";
import { DAY_MS, addDays, parseDay } from "./days.js";
import {
  activeAssignments,
  highlighted,
  isShort,
  loaded,
  loadRange,
  rangeDays,
  rangeInstants,
  state,
  visibleShifts,
  writeUrl,
} from "./state.js";

const ROW_PX = 34;
// Width of a day on screen: wide enough to read a shift's role, time and crew.
const PX_PER_DAY = { day: 1400, week: 520, month: 120 };

/** Fetches the range shown (or takes it from what is loaded) and draws it. */
export async function load({ force = false } = {}) {
  writeUrl();
  syncControls();
  const status = document.getElementById("board-status");
  status.textContent = t("loading");
  try {
    if (!(await loadRange({ force }))) return;
    fillFilterOptions();
    render();
  } catch (error) {
    status.textContent = `${t("error")}: ${error.message}`;
  }
}

// ---------------------------------------------------------------- toolbar
function syncControls() {
  for (const button of document.querySelectorAll("[data-view]")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  }
  const form = document.getElementById("filters");
  form.group.value = state.group;
  const [startDay, endDay] = rangeDays();
  const fmt = new Intl.DateTimeFormat(config.lang, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const first = fmt.format(parseDay(startDay));
  const last = fmt.format(new Date(parseDay(endDay).getTime() - DAY_MS));
  document.getElementById("range-title").textContent =
    state.view === "day" ? first : `${first} – ${last}`;
}

/** The filters' options from the loaded range; a filter set in the URL stays selected. */
function fillFilterOptions() {
  const form = document.getElementById("filters");
  const payload = loaded.payload;
  const fill = (name, items) => {
    const select = form[name];
    const keep = state.filters[name];
    const sorted = items.slice().sort((a, b) => a.name.localeCompare(b.name));
    select.replaceChildren(
      el("option", { value: "" }, t("all")),
      ...sorted.map((item) => el("option", { value: item.id }, item.name)),
    );
    select.value = keep;
    if (select.value !== keep) select.append(el("option", { value: keep, selected: true }, keep));
  };
  fill("project", payload.projects || []);
  fill("venue", payload.venues || []);
  fill("role", payload.roles || []);
  fill("artist", payload.artists || []);
  form.status.value = state.filters.status;
}

// ---------------------------------------------------------------- board
/** Draws the loaded range through the filters. */
export function render() {
  const [from, to] = rangeInstants();
  const range = [from.getTime(), to.getTime()];
  const shifts = visibleShifts();
  const groups = state.group === "artist" ? rowsByArtist(shifts) : rowsByVenue(shifts);
  const [startDay, endDay] = rangeDays();
  const days = Math.round((parseDay(endDay) - parseDay(startDay)) / DAY_MS);
  const gridWidth = Math.max(days * PX_PER_DAY[state.view], 900) + 220;
  const grid = el(
    "div",
    { class: "board-grid", style: `width:${gridWidth}px` },
    el(
      "div",
      { class: "board-head" },
      el("div", { class: "corner" }),
      el("div", { class: "days" }, dayHeader(range)),
    ),
    groups.flatMap((group) => [
      el(
        "div",
        { class: "group-title", role: "heading", "aria-level": "2" },
        el("span", {}, group.title),
      ),
      ...group.rows.map((row) => boardRow(row, range)),
    ]),
  );
  const board = document.getElementById("board");
  board.replaceChildren(grid);
  document.getElementById("board-status").textContent = shifts.length
    ? `${shifts.length} ${t("shifts_shown")}`
    : t("no_shifts");
  scrollToFirstShift(board);
  board.dataset.ready = "true";
  window.__boardReadyAt = performance.now();
}

function boardRow(row, range) {
  const items = row.items
    .map((shift) => ({ shift, start: Date.parse(shift.start_at), end: Date.parse(shift.end_at) }))
    .sort((a, b) => a.start - b.start);
  const lanes = placeInLanes(items);
  return el(
    "div",
    { class: "row" },
    el("div", { class: "row-label", title: row.label }, row.label),
    el(
      "div",
      { class: "lanes", style: `height:${lanes * ROW_PX}px` },
      items.map((item) => shiftBar(item.shift, item.lane, range, row.artist || null)),
    ),
  );
}

/** Gives each item (sorted by start) the first lane free at its start; returns the lanes used. */
function placeInLanes(items) {
  const laneEnds = [];
  for (const item of items) {
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[lane] = item.end;
    item.lane = lane;
  }
  return Math.max(1, laneEnds.length);
}

/** A shift's bar: fill level, conflict badges, role, time and (but in a month) its crew;
 * on an artist's row, only that artist's chip. */
function shiftBar(shift, lane, range, focusArtist) {
  const [from, to] = range;
  const span = to - from;
  const start = Math.max(Date.parse(shift.start_at), from);
  const end = Math.min(Date.parse(shift.end_at), to);
  const left = ((start - from) / span) * 100;
  const width = Math.max(((end - start) / span) * 100, 0.25);
  const role = loaded.index.roles.get(shift.role_id);
  const hard = shift.conflicts.filter((c) => c.type === "hard" && !c.waived).length;
  const soft = shift.conflicts.length - hard;
  const filled = `${activeAssignments(shift).length}/${shift.headcount}`;
  const time = `${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`;
  const wide = state.view !== "month";
  const conflicts = shift.conflicts.map(
    (c) => `${t(c.type)}${c.waived ? ` (${t("waived_by")} ${c.waived.by})` : ""}: ${c.message}`,
  );
  const title = [`${role?.name || ""} · ${time} · ${filled} · ${t(shift.status)}`, ...conflicts];
  return el(
    "button",
    {
      type: "button",
      class: `bar status-${shift.status}`,
      "data-shift": shift.id,
      style: `left:${left}%;width:${width}%;top:${lane * ROW_PX + 3}px`,
      title: title.join("\n"),
      "aria-label": title.join("\n"),
    },
    el("span", { class: isShort(shift) ? "fill short" : "fill" }, filled),
    hard ? el("span", { class: "badge hard" }, hard) : null,
    soft ? el("span", { class: "badge soft" }, soft) : null,
    el("span", {}, role?.name || ""),
    wide ? el("span", { class: "time" }, time) : null,
    wide
      ? shift.assignments
          .filter((a) => !focusArtist || a.artist_id === focusArtist)
          .map((a) => crewChip(shift, a))
      : null,
  );
}

/** An assigned artist on a bar: "Ada L." with the status's colour, a lock if locked. */
function crewChip(shift, assignment) {
  const artist = loaded.index.artists.get(assignment.artist_id);
  const name = (artist?.name || "?")
    .split(" ")
    .map((word, i) => (i ? `${word[0]}.` : word))
    .join(" ");
  const auto = highlighted.has(`${shift.id}:${assignment.artist_id}`) ? " auto-added" : "";
  return el(
    "span",
    { class: `chip ${assignment.status}${auto}`, title: t(assignment.status) },
    `${assignment.locked ? "🔒" : ""}${name}`,
  );
}

/** Hours every two hours over a day; else one cell per day. */
function dayHeader(range) {
  const [from, to] = range;
  const [startDay, endDay] = rangeDays();
  const percent = (at) => ((at - from) / (to - from)) * 100;
  if (state.view === "day") {
    const cells = [];
    for (let h = 0; h < 24; h += 2) {
      const hour = `${String(h).padStart(2, "0")}:00`;
      const at = zonedToDate(`${startDay}T${hour}`).getTime();
      cells.push(el("span", { style: `left:${percent(at)}%` }, hour));
    }
    return cells;
  }
  const fmt = new Intl.DateTimeFormat(config.lang, {
    weekday: state.view === "month" ? "narrow" : "short",
    day: "numeric",
    timeZone: "UTC",
  });
  const cells = [];
  for (let day = startDay; day < endDay; day = addDays(day, 1)) {
    const start = zonedToDate(`${day}T00:00`).getTime();
    const end = zonedToDate(`${addDays(day, 1)}T00:00`).getTime();
    const style = `left:${percent(start)}%;width:${((end - start) / (to - from)) * 100}%`;
    cells.push(el("span", { style }, fmt.format(parseDay(day))));
  }
  return cells;
}

function byLabel(rows) {
  return rows.sort((a, b) => a.label.localeCompare(b.label));
}

/** Groups by venue, a row per mission, both by name. */
function rowsByVenue(shifts) {
  const index = loaded.index;
  const groups = new Map();
  for (const shift of shifts) {
    const venue = index.venues.get(shift.venue_id);
    const mission = index.missions.get(shift.mission_id);
    const groupKey = venue?.name || "—";
    if (!groups.has(groupKey)) groups.set(groupKey, new Map());
    const rows = groups.get(groupKey);
    const rowKey = mission?.id || shift.mission_id;
    if (!rows.has(rowKey)) rows.set(rowKey, { label: mission?.name || "—", items: [] });
    rows.get(rowKey).items.push(shift);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([title, rows]) => ({ title, rows: byLabel([...rows.values()]) }));
}

/** A row per assigned artist (the artist filtered on only), then the shifts still short. */
function rowsByArtist(shifts) {
  const rows = new Map();
  for (const shift of shifts) {
    for (const assignment of shift.assignments) {
      const artistId = assignment.artist_id;
      if (state.filters.artist && artistId !== state.filters.artist) continue;
      if (!rows.has(artistId)) {
        const label = loaded.index.artists.get(artistId)?.name || "?";
        rows.set(artistId, { label, items: [], artist: artistId });
      }
      rows.get(artistId).items.push(shift);
    }
  }
  const open = shifts.filter(isShort);
  const groups = [{ title: t("by_artist"), rows: byLabel([...rows.values()]) }];
  if (open.length && !state.filters.artist) {
    groups.push({ title: t("unassigned"), rows: [{ label: t("unassigned"), items: open }] });
  }
  return groups;
}

/** Every view opens on the earliest shift rather than on an empty morning or month start. */
function scrollToFirstShift(board) {
  let first = Infinity;
  for (const bar of board.querySelectorAll(".bar")) {
    first = Math.min(first, parseFloat(bar.style.left));
  }
  if (!Number.isFinite(first)) return;
  const lanes = board.querySelector(".lanes");
  if (lanes) board.scrollLeft = Math.max(0, (first / 100) * lanes.clientWidth - 40);
}
