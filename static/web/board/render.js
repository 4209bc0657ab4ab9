// Drawing the range shown: the toolbar (view, title, filter options), then the board, one
// row per mission (or per artist). A day or a week fits the screen's width, one bar per
// shift stacked in lanes where shifts overlap; a month shows a cell per row and day with
// its shifts' count and fill (a cell opens that day). Every day is labelled with its
// weekday and date and its totals; the keyboard moves over bars in time order (keys.js).
import { config, el, t, zonedToDate } from "../api.js";
import { DAY_MS, addDays, parseDay, todayInZone } from "./days.js";
import {
  activeAssignments,
  hasHardConflict,
  highlighted,
  isShort,
  loaded,
  loadRange,
  rangeDays,
  rangeInstants,
  refreshWindow,
  state,
  ZOOMS,
  visibleShifts,
  writeUrl,
} from "./state.js";

const ROW_PX = 34;
// The narrowest a day may get before the board scrolls sideways (a phone, a narrow window).
const MIN_PX_PER_DAY = { day: 560, week: 100, month: 30 };
// Below these widths (px) a bar shows less; hovering or focusing it shows everything.
const TINY_BAR_PX = 60;
const COMPACT_BAR_PX = 170;

/** Fetches the range shown (or takes it from what is loaded) and draws it; `keep` holds the
 * scroll position and the shift to focus again after a write. */
export async function load({ force = false, keep = null } = {}) {
  writeUrl();
  syncControls();
  const status = document.getElementById("board-status");
  status.textContent = t("loading");
  try {
    if (!(await loadRange({ force }))) return;
    fillFilterOptions();
    render({ keep });
  } catch (error) {
    status.textContent = `${t("error")}: ${error.message}`;
  }
}

/** After a write: fetches only `window` (the days it can have changed), merges it into the
 * loaded range and draws, keeping the scroll and the focus (`keep`). */
export async function redrawWindow(window, { keep = null } = {}) {
  const status = document.getElementById("board-status");
  status.textContent = t("loading");
  try {
    const changed = await refreshWindow(window);
    if (!changed) return;
    fillFilterOptions();
    renderChanged(changed, { keep });
  } catch (error) {
    status.textContent = `${t("error")}: ${error.message}`;
  }
}

// ---------------------------------------------------------------- toolbar
function syncControls() {
  for (const button of document.querySelectorAll("[data-view]")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  }
  document.getElementById("copy-day")?.toggleAttribute("hidden", state.view !== "day");
  const month = state.view === "month";
  const zoomIn = document.getElementById("zoom-in");
  const zoomOut = document.getElementById("zoom-out");
  if (zoomIn) zoomIn.disabled = !month && state.zoom >= ZOOMS.length - 1;
  if (zoomOut) zoomOut.disabled = month || state.zoom <= 0;
  document.getElementById("board").dataset.zoom = month ? "0" : String(state.zoom);
  const form = document.getElementById("filters");
  form.group.value = state.group;
  form.short.checked = state.filters.short === "1";
  form.conflicts.checked = state.filters.conflicts === "1";
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

// ---------------------------------------------------------------- days
const dayFormats = new Map();
/** "mar. 15" (or "mardi 15"): a calendar day's weekday and date. */
function dayLabel(day, weekday = "short") {
  if (!dayFormats.has(weekday)) {
    dayFormats.set(
      weekday,
      new Intl.DateTimeFormat(config.lang, { weekday, day: "numeric", timeZone: "UTC" }),
    );
  }
  return dayFormats.get(weekday).format(parseDay(day));
}

const weekendClass = (day) => ([0, 6].includes(parseDay(day).getUTCDay()) ? " weekend" : "");

// One formatter each, made once: a month draws thousands of shifts.
const zone = () => config.org?.timezone;
let dayFormat = null;
let timeFormat = null;

/** "2026-03-15" of an instant in the organization's zone. */
export function localDay(iso) {
  dayFormat ||= new Intl.DateTimeFormat("en-CA", {
    timeZone: zone(),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  return dayFormat.format(new Date(iso));
}

/** "18:30" of an instant in the organization's zone. */
function fmtTime(iso) {
  timeFormat ||= new Intl.DateTimeFormat(config.lang || "en", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: zone(),
  });
  return timeFormat.format(new Date(iso));
}

/** A shift's paid minutes: its length without the break. */
const paidMinutes = (shift) =>
  Math.max(
    (Date.parse(shift.end_at) - Date.parse(shift.start_at)) / 60000 - (shift.break_minutes || 0),
    0,
  );

/** What the crew on a shift costs (managers only: the payload carries costs for them);
 * null when nobody on it has a rate. */
function shiftCost(shift) {
  const costs = activeAssignments(shift)
    .map((a) => a.cost)
    .filter((cost) => typeof cost === "number");
  return costs.length ? costs.reduce((sum, cost) => sum + cost, 0) : null;
}

/** The shifts' count, hours (breaks left out) and crew cost per local day of their start. */
function totalsByDay(shifts) {
  const totals = new Map();
  for (const shift of shifts) {
    const day = localDay(shift.start_at);
    const total = totals.get(day) || { shifts: 0, minutes: 0, cost: null };
    total.shifts += 1;
    total.minutes += paidMinutes(shift);
    const cost = shiftCost(shift);
    if (cost !== null) total.cost = (total.cost || 0) + cost;
    totals.set(day, total);
  }
  return totals;
}

const hoursText = (minutes) =>
  `${new Intl.NumberFormat(config.lang, { maximumFractionDigits: 1 }).format(minutes / 60)} h`;

/** "1 234 €" in the artists' currency (the organization's, in practice). */
function costText(amount) {
  const currency = loaded.payload.artists?.find((a) => a.currency)?.currency || "EUR";
  return new Intl.NumberFormat(config.lang, {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
  }).format(amount);
}

/** A day's summary: shifts, hours and, for managers, the crew's cost. */
function daySummary(total) {
  if (!total) return t("no_shifts_short");
  const cost = total.cost !== null ? ` · ${costText(total.cost)}` : "";
  return `${total.shifts} ${t("shifts_word")} · ${hoursText(total.minutes)}${cost}`;
}

/** Each day of the range: its first instant, its length and its position in percent. */
function daySpans(range) {
  const [from, to] = range;
  const [startDay, endDay] = rangeDays();
  const spans = [];
  for (let day = startDay; day < endDay; day = addDays(day, 1)) {
    const start = zonedToDate(`${day}T00:00`).getTime();
    const end = zonedToDate(`${addDays(day, 1)}T00:00`).getTime();
    spans.push({
      day,
      start,
      end,
      left: ((start - from) / (to - from)) * 100,
      width: ((end - start) / (to - from)) * 100,
    });
  }
  return spans;
}

// ---------------------------------------------------------------- board
/** What one drawing drew: its shape (range, view, grouping, filters, width) and, per row
 * in order, its key and the ids of its shifts; a redraw after a write compares with it. */
let drawn = null;
/** The layout drawn last: where an instant sits on the board (zoomBy). */
let drawnLayout = null;

/** The range shown through the filters, grouped into rows, and where everything goes. */
function plan() {
  const [from, to] = rangeInstants();
  const range = [from.getTime(), to.getTime()];
  const shifts = visibleShifts();
  const groups = state.group === "artist" ? rowsByArtist(shifts) : rowsByVenue(shifts);
  const spans = daySpans(range);
  const board = document.getElementById("board");
  const labelPx = parseFloat(getComputedStyle(board).getPropertyValue("--label-w")) || 200;
  const fitted = labelPx + spans.length * MIN_PX_PER_DAY[state.view];
  const zoom = state.view === "month" ? 1 : ZOOMS[state.zoom] || 1;
  // Zoomed in, the hours are `zoom` times wider than fitted and the board scrolls sideways.
  const lanesPx = (Math.max(board.clientWidth, fitted) - labelPx) * zoom;
  const gridWidth = labelPx + lanesPx;
  const minWidth = zoom > 1 ? gridWidth : fitted;
  const layout = { range, spans, lanesPx, labelPx, zoom, today: todayInZone() };
  const rows = groups.flatMap((group) => group.rows);
  const shape = JSON.stringify([range, state.view, state.group, state.filters, gridWidth]);
  return { board, shifts, groups, rows, layout, minWidth, shape };
}

const rowKeys = (rows) => rows.map((row) => `${row.artist || ""}|${row.label}`);
const rowIds = (row) => row.items.map((shift) => shift.id).join(" ");

/** After a write merged the shifts `changed` (ids) into the range shown: replaces only the
 * rows holding them (or that held them) and the day headings, so a busy week or month is not
 * built again for one booking. Anything else (a row appearing or going, another width or
 * filter) draws the whole board. */
export function renderChanged(changed, { keep = null } = {}) {
  const next = plan();
  const keys = rowKeys(next.rows);
  const grid = next.board.querySelector(".board-grid");
  if (
    !drawn ||
    !grid ||
    drawn.shape !== next.shape ||
    drawn.keys.length !== keys.length ||
    drawn.keys.some((key, i) => key !== keys[i])
  ) {
    render({ keep });
    return;
  }
  const scroll = { top: next.board.scrollTop, left: next.board.scrollLeft };
  next.rows.forEach((row, i) => {
    const ids = rowIds(row);
    if (ids === drawn.ids[i] && !row.items.some((shift) => changed.has(shift.id))) return;
    grid.querySelector(`.row[data-row="${i}"]`)?.replaceWith(boardRow(row, next.layout, i));
    drawn.ids[i] = ids;
  });
  const days = grid.querySelector(".board-head .days");
  days.replaceChildren(...dayHeader(next.layout, totalsByDay(next.shifts)).flat());
  next.board.scrollTop = scroll.top;
  next.board.scrollLeft = scroll.left;
  finishDrawing(next.board, next.shifts, keep);
}

/** Draws the loaded range through the filters; after a write, `keep` restores the scroll
 * position and the focus on the shift edited. */
export function render({ keep = null } = {}) {
  const { board, shifts, groups, rows, layout, minWidth, shape } = plan();
  const totals = totalsByDay(shifts);
  let rowIndex = 0;
  const grid = el(
    "div",
    {
      class: `board-grid view-${state.view}${layout.zoom > 1 ? " zoomed" : ""}`,
      style: `min-width:${minWidth}px`,
    },
    el(
      "div",
      { class: "board-head" },
      el("div", { class: "corner" }, t("days_header")),
      el("div", { class: "days" }, dayHeader(layout, totals)),
    ),
    el("div", { class: "day-lines", "aria-hidden": "true" }, dayLines(layout)),
    groups.flatMap((group) => [
      el(
        "div",
        { class: "group-title", role: "heading", "aria-level": "2" },
        el("span", {}, group.title),
      ),
      ...group.rows.map((row) => boardRow(row, layout, rowIndex++)),
    ]),
  );
  const scroll = keep ? { top: board.scrollTop, left: board.scrollLeft } : null;
  board.replaceChildren(grid);
  board.dataset.range = JSON.stringify(layout.range);
  drawn = { shape, keys: rowKeys(rows), ids: rows.map(rowIds) };
  drawnLayout = layout;
  if (keep?.anchor) {
    // Zoomed: the instant that was at `offset` px from the board's left edge stays there.
    if (scroll) board.scrollTop = scroll.top;
    const { fraction, offset } = keep.anchor;
    board.scrollLeft = Math.max(0, layout.labelPx + fraction * layout.lanesPx - offset);
  } else if (scroll) {
    board.scrollTop = scroll.top;
    board.scrollLeft = scroll.left;
  } else {
    board.scrollTop = 0;
    scrollToWork(board, layout);
  }
  finishDrawing(board, shifts, keep);
}

// ---------------------------------------------------------------- zoom
/** Zooms the time axis `step` levels in (1) or out (-1), keeping the instant at `clientX`
 * (the pointer; by default the focused bar's centre, else the board's centre) where it is.
 * Zooming in on a month opens the week of the day there. Returns whether anything changed. */
export function zoomBy(step, clientX = null) {
  const board = document.getElementById("board");
  const box = board.getBoundingClientRect();
  const focused = document.activeElement?.closest?.("#board .bar, #board .cell");
  let x = clientX;
  if (x === null && focused) {
    const rect = focused.getBoundingClientRect();
    x = Math.min(Math.max(rect.left + rect.width / 2, box.left), box.right);
  }
  if (x === null) {
    const labelPx = drawnLayout?.labelPx || 0;
    x = box.left + labelPx + (box.width - labelPx) / 2;
  }
  const layout = drawnLayout;
  const offset = x - box.left - board.clientLeft;
  const fraction = layout
    ? Math.min(Math.max((board.scrollLeft + offset - layout.labelPx) / layout.lanesPx, 0), 1)
    : 0.5;
  if (state.view === "month") {
    if (step <= 0 || !layout) return false;
    const at = layout.range[0] + fraction * (layout.range[1] - layout.range[0]);
    const span = layout.spans.find((s) => s.start <= at && at < s.end) || layout.spans[0];
    state.view = "week";
    state.date = focused?.dataset.day || span.day;
    state.zoom = 0;
    load();
    return true;
  }
  const level = Math.min(Math.max(state.zoom + step, 0), ZOOMS.length - 1);
  if (level === state.zoom) return false;
  state.zoom = level;
  writeUrl();
  syncControls();
  if (!loaded.payload) return true;
  const focus = focused?.dataset.shift;
  render({ keep: { focus, anchor: { fraction, offset } } });
  return true;
}

/** The count shown, then "drawn" for the keyboard, the panel and the selection. */
function finishDrawing(board, shifts, keep) {
  const count = shifts.length ? `${shifts.length} ${t("shifts_shown")}` : t("no_shifts");
  // After a rule change the stored conflicts are recomputed in a job; the badges shown
  // meanwhile were checked for this read, and the board says why they may move.
  document.getElementById("board-status").textContent = loaded.payload?.conflicts_recomputing
    ? `${count} · ${t("conflicts_recomputing")}`
    : count;
  board.dispatchEvent(new CustomEvent("board:drawn", { detail: { keep, shifts } }));
  board.dataset.ready = "true";
  window.__boardReadyAt = performance.now();
}

function boardRow(row, layout, rowIndex) {
  const items = row.items
    .map((shift) => ({ shift, start: Date.parse(shift.start_at), end: Date.parse(shift.end_at) }))
    .sort((a, b) => a.start - b.start);
  const month = state.view === "month";
  const lanes = month ? 1 : placeInLanes(items);
  return el(
    "div",
    { class: "row", "data-row": rowIndex },
    row.artist ? personLabel(row) : el("div", { class: "row-label", title: row.label }, row.label),
    el(
      "div",
      { class: "lanes", style: `height:${lanes * ROW_PX}px` },
      month
        ? densityCells(row, items, layout, rowIndex)
        : items.map((item) => shiftBar(item.shift, item.lane, layout, row, rowIndex)),
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

/** A person's row label: the name, hours in the range shown (this week: against the weekly
 * cap), the cost, and the person's conflicts, each naming the other shift. */
function personLabel(row) {
  let minutes = 0;
  let cost = null;
  for (const shift of row.items) {
    const seat = activeAssignments(shift).find((a) => a.artist_id === row.artist);
    if (!seat || shift.status === "cancelled") continue;
    minutes += paidMinutes(shift);
    if (typeof seat.cost === "number") cost = (cost || 0) + seat.cost;
  }
  const cap = state.view === "week" ? loaded.payload.weekly_cap_hours : null;
  const over = typeof cap === "number" && minutes / 60 > cap;
  const hours =
    typeof cap === "number" ? `${hoursText(minutes)} / ${hoursText(cap * 60)}` : hoursText(minutes);
  const conflicts = loaded.payload.conflicts.filter((c) => c.artist_id === row.artist && !c.waived);
  const messages = conflicts.map((c) => `${t(c.type)}: ${c.message}`);
  return el(
    "div",
    {
      class: `row-label person${over ? " over" : ""}`,
      "data-person": row.artist,
      title: [row.label, ...messages].join("\n"),
    },
    el("span", { class: "person-name" }, row.label),
    el(
      "span",
      { class: "person-totals" },
      el("span", { class: "person-hours" }, hours),
      cost !== null ? el("span", { class: "person-cost" }, ` · ${costText(cost)}`) : null,
      over ? el("span", { class: "visually-hidden" }, ` (${t("over_weekly_cap")})`) : null,
      conflicts.length
        ? el(
            "span",
            { class: `person-conflicts${conflicts.some((c) => c.type === "hard") ? " hard" : ""}` },
            el("span", { "aria-hidden": "true" }, ` ⚠ ${conflicts.length}`),
            el(
              "span",
              { class: "visually-hidden person-conflict-text" },
              ` · ${messages.join(" · ")}`,
            ),
          )
        : null,
    ),
  );
}

function artistName(assignment) {
  return loaded.index.artists.get(assignment.artist_id)?.name || "?";
}

/** What a screen reader announces for a bar: role (or `lead`, the text the bar shows, which
 * must open its name), day and time, fill, status, crew and conflicts. */
export function shiftDescription(shift, lead = null) {
  const role = loaded.index.roles.get(shift.role_id);
  const mission = loaded.index.missions.get(shift.mission_id);
  const active = activeAssignments(shift);
  const crew = active.length
    ? active.map((a) => `${artistName(a)} (${t(a.status)})`).join(", ")
    : t("no_crew");
  const parts = [
    lead ?? (role?.name || ""),
    `${dayLabel(localDay(shift.start_at), "long")} ${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`,
    `${active.length}/${shift.headcount} ${t("filled")}`,
    t(shift.status),
    mission?.name || "",
    `${t("crew")}: ${crew}`,
    ...shift.conflicts.map(
      (c) => `${t(c.type)}${c.waived ? ` (${t("waived_by")} ${c.waived.by})` : ""}: ${c.message}`,
    ),
  ];
  return parts.filter(Boolean).join(" · ");
}

/** A shift's bar: fill, conflict badges, status marker, role, time and crew; a narrow bar
 * keeps the first ones and shows the rest on hover or focus. On an artist's row, only that
 * artist's chip. */
function shiftBar(shift, lane, layout, row, rowIndex) {
  const [from, to] = layout.range;
  const span = to - from;
  const startAt = Date.parse(shift.start_at);
  const start = Math.max(startAt, from);
  const end = Math.min(Date.parse(shift.end_at), to);
  const left = ((start - from) / span) * 100;
  const width = Math.max(((end - start) / span) * 100, 0.25);
  const px = (width / 100) * layout.lanesPx;
  const size = px < TINY_BAR_PX ? " tiny" : px < COMPACT_BAR_PX ? " compact" : "";
  const atEnd = left + width > 70 ? " end" : ""; // expands leftwards on hover, not off the board
  const role = loaded.index.roles.get(shift.role_id);
  const hard = shift.conflicts.filter((c) => c.type === "hard" && !c.waived).length;
  const soft = shift.conflicts.length - hard;
  const filled = `${activeAssignments(shift).length}/${shift.headcount}`;
  const time = `${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`;
  const marker = shift.status === "published" ? null : t(`${shift.status}_marker`);
  const chips = shift.assignments
    .filter((a) => !row.artist || a.artist_id === row.artist)
    .map((a) => crewChip(shift, a));
  const badges = [hard ? `!${hard}` : null, soft ? `~${soft}` : null];
  // The name opens with the text shown, in the order shown, so that it holds what a narrow
  // bar keeps (fill, badges, role) and a wide or hovered one shows (then time, marker,
  // crew): speech input users say what they see (WCAG 2.5.3, axe's
  // label-content-name-mismatch). The description then words it all, conflicts included.
  const shown = [filled, ...badges, role?.name, time, marker, ...chips.map((c) => c.textContent)];
  const label = shiftDescription(shift, shown.filter(Boolean).join(" "));
  const parts = [
    el("span", { class: isShort(shift) ? "fill short" : "fill" }, filled),
    hard ? el("span", { class: "badge hard", "aria-hidden": "true" }, badges[0]) : null,
    soft ? el("span", { class: "badge soft", "aria-hidden": "true" }, badges[1]) : null,
    el("span", { class: "role" }, role?.name || ""),
    el("span", { class: "time" }, time),
    marker ? el("span", { class: "status-tag" }, marker) : null,
    ...chips,
  ];
  return el(
    "button",
    {
      type: "button",
      class: `bar status-${shift.status}${size}${atEnd}${isShort(shift) ? " short" : ""}`,
      "data-shift": shift.id,
      "data-start": startAt,
      "data-start-at": shift.start_at,
      "data-end-at": shift.end_at,
      "data-width": `${width}%`,
      "data-row": rowIndex,
      tabindex: "-1",
      style: `left:${left}%;width:${width}%;top:${lane * ROW_PX + 3}px;--bar-px:${Math.round(px)}px`,
      title: shiftDescription(shift),
      "aria-label": label,
    },
    // Spaced: a hovered bar shows its parts inline, and its text reads as words.
    parts.filter(Boolean).flatMap((part, i) => (i ? [" ", part] : [part])),
  );
}

/** An assigned artist on a bar: "Ada L." with the status's colour, a lock if locked. */
function crewChip(shift, assignment) {
  const name = artistName(assignment)
    .split(" ")
    .map((word, i) => (i ? `${word[0]}.` : word))
    .join(" ");
  const auto = highlighted.has(`${shift.id}:${assignment.artist_id}`) ? " auto-added" : "";
  return el(
    "span",
    {
      class: `chip ${assignment.status}${auto}`,
      title: t(assignment.status),
      "data-assignment": assignment.id,
    },
    `${assignment.locked ? "🔒" : ""}${name}`,
  );
}

/** A month row: a cell per day holding shifts that start on it, with their count and fill;
 * a cell opens its day. `data-shifts` lists the shifts it stands for. */
function densityCells(row, items, layout, rowIndex) {
  const byDay = new Map();
  for (const { shift } of items) {
    const startDay = localDay(shift.start_at);
    const key = startDay < layout.spans[0].day ? layout.spans[0].day : startDay;
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(shift);
  }
  const cells = [];
  for (const span of layout.spans) {
    const shifts = byDay.get(span.day);
    if (!shifts) continue;
    const active = shifts.reduce((n, s) => n + activeAssignments(s).length, 0);
    const needed = shifts.reduce((n, s) => n + s.headcount, 0);
    const short = shifts.some(isShort);
    const hard = shifts.some(hasHardConflict);
    const drafts = shifts.some((s) => s.status === "draft");
    const label = [
      `${row.label}, ${dayLabel(span.day, "long")}`,
      `${shifts.length} ${t("shifts_word")}`,
      `${active}/${needed} ${t("filled")}`,
      hard ? t("has_conflicts") : "",
      drafts ? t("has_drafts") : "",
    ]
      .filter(Boolean)
      .join(" · ");
    cells.push(
      el(
        "button",
        {
          type: "button",
          class: `cell${short ? " short" : ""}${hard ? " hard" : ""}${drafts ? " drafts" : ""}`,
          "data-day": span.day,
          "data-count": shifts.length,
          "data-shifts": shifts.map((s) => s.id).join(" "),
          "data-start": zonedToDate(`${span.day}T00:00`).getTime(),
          "data-row": rowIndex,
          tabindex: "-1",
          style: `left:${span.left}%;width:${span.width}%`,
          title: label,
        },
        el("span", { class: "count" }, shifts.length),
        el("span", { class: "visually-hidden" }, ` ${t("shifts_word")}, `),
        el("span", { class: "cell-fill" }, `${active}/${needed}`),
        el("span", { class: "visually-hidden" }, ` ${t("filled")} · ${label}`),
      ),
    );
  }
  return cells;
}

/** Over a day, a label every two hours as the zone's clocks read them (a daylight-saving
 * day has 23 or 25 hours); over a week or a month, each day's weekday, date and totals. */
function dayHeader(layout, totals) {
  const [from, to] = layout.range;
  const percent = (at) => ((at - from) / (to - from)) * 100;
  if (state.view === "day") {
    const day = layout.spans[0].day;
    const total = totals.get(day);
    const cells = [el("span", { class: "day-total" }, `${dayLabel(day)} · ${daySummary(total)}`)];
    // Zoomed in, every hour is labelled.
    const every = (layout.lanesPx * 3600000) / (to - from) >= 60 ? 1 : 2;
    for (let at = from; at < to; at += 3600000) {
      const label = fmtTime(new Date(at).toISOString());
      if (Number(label.slice(0, 2)) % every === 0 && label.endsWith("00")) {
        cells.push(el("span", { class: "hour", style: `left:${percent(at)}%` }, label));
      }
    }
    return cells;
  }
  const month = state.view === "month";
  return layout.spans.map((span) => {
    const total = totals.get(span.day);
    const summary = daySummary(total);
    const weekday = new Intl.DateTimeFormat(config.lang, {
      weekday: "short",
      timeZone: "UTC",
    }).format(parseDay(span.day));
    const date = Number(span.day.slice(8, 10));
    return el(
      "button",
      {
        type: "button",
        class: `day-head${span.day === layout.today ? " today" : ""}${weekendClass(span.day)}`,
        "data-open-day": span.day,
        tabindex: "-1",
        style: `left:${span.left}%;width:${span.width}%`,
        title: `${dayLabel(span.day, "long")} · ${summary}`,
      },
      month
        ? [el("span", { class: "wd" }, weekday), el("strong", {}, date)]
        : el("strong", {}, `${weekday} ${date}`),
      month
        ? [
            el("span", { class: "totals", "aria-hidden": "true" }, total ? total.shifts : "·"),
            el("span", { class: "visually-hidden" }, ` ${summary}`),
          ]
        : el("span", { class: "totals" }, summary),
    );
  });
}

/** The lines between days and the one at today's date, over every row. */
function dayLines(layout) {
  return layout.spans.map((span) =>
    el("span", {
      class: `line${span.day === layout.today ? " today" : ""}${weekendClass(span.day)}`,
      style: `left:${span.left}%;width:${span.width}%`,
    }),
  );
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
        rows.set(artistId, { label: artistName(assignment), items: [], artist: artistId });
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

/** Where the board scrolls sideways (a narrow screen), it opens on today if shown, else on
 * the first shift, not on an empty morning or month start. */
function scrollToWork(board, layout) {
  if (board.scrollWidth <= board.clientWidth) return;
  const today = layout.spans.find((span) => span.day === layout.today);
  let first = today ? today.left : Infinity;
  if (!today) {
    for (const item of board.querySelectorAll(".bar, .cell")) {
      first = Math.min(first, parseFloat(item.style.left));
    }
  }
  if (Number.isFinite(first)) board.scrollLeft = Math.max(0, (first / 100) * layout.lanesPx - 40);
}
