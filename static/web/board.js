// The planning board: a horizontal timeline of shifts over a day, a week or a month.
// The range and filters live in the URL; a range is fetched once and filtered in the
// browser, so filtering and scrolling never refetch what is already loaded.
import { api, apiAll, ApiError, config, conflictList, el, fmtDateTime, fmtNumber, fmtTime, t, toast, toZonedInput, zonedToDate } from "./api.js";

const DAY_MS = 86400000;
const ROW_PX = 34;
// Width of a day on screen: wide enough to read a shift's role, time and crew.
const PX_PER_DAY = { day: 1400, week: 520, month: 120 };
const cache = new Map();
const state = readUrl();
let current = null; // the payload of the range shown
const highlighted = new Set(); // assignment keys "shift:artist" added by auto-assign

// ---------------------------------------------------------------- URL and range
function readUrl() {
  const params = new URLSearchParams(location.search);
  return {
    view: ["day", "week", "month"].includes(params.get("view")) ? params.get("view") : "week",
    date: /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : todayInZone(),
    group: params.get("group") === "artist" ? "artist" : "venue",
    filters: Object.fromEntries(["project", "venue", "role", "artist", "status"].map((k) => [k, params.get(k) || ""])),
  };
}

function writeUrl() {
  const params = new URLSearchParams({ view: state.view, date: state.date, group: state.group });
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function todayInZone() {
  return toZonedInput(new Date().toISOString()).slice(0, 10);
}

const parseDay = (day) => new Date(`${day}T00:00:00Z`);
const formatDay = (date) => date.toISOString().slice(0, 10);
const addDays = (day, n) => formatDay(new Date(parseDay(day).getTime() + n * DAY_MS));

function rangeDays() {
  const date = parseDay(state.date);
  if (state.view === "day") return [state.date, addDays(state.date, 1)];
  if (state.view === "week") {
    const monday = addDays(state.date, -((date.getUTCDay() + 6) % 7));
    return [monday, addDays(monday, 7)];
  }
  const first = `${state.date.slice(0, 7)}-01`;
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return [first, formatDay(next)];
}

function rangeInstants() {
  const [startDay, endDay] = rangeDays();
  return [zonedToDate(`${startDay}T00:00`), zonedToDate(`${endDay}T00:00`), startDay, endDay];
}

function navigate(step) {
  if (step === 0) state.date = todayInZone();
  else if (state.view === "day") state.date = addDays(state.date, step);
  else if (state.view === "week") state.date = addDays(state.date, 7 * step);
  else {
    const date = parseDay(state.date);
    state.date = formatDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + step, 1)));
  }
  load();
}

// ---------------------------------------------------------------- data
/** A loaded range that contains [from, to), narrowed to it: a day inside a loaded week or
 * month is drawn without asking the server again. */
async function fromLoadedRange(from, to) {
  for (const [key, promise] of cache) {
    const [start, end] = key.split("|").map((iso) => new Date(iso));
    if (start <= from && to <= end && !(start.getTime() === from.getTime() && end.getTime() === to.getTime())) {
      const payload = await promise;
      const shifts = payload.shifts.filter((s) => Date.parse(s.start_at) < to && Date.parse(s.end_at) > from);
      return { ...payload, shifts };
    }
  }
  return null;
}

async function fetchRange(from, to, { force = false } = {}) {
  const key = `${from.toISOString()}|${to.toISOString()}`;
  if (!force && cache.has(key)) return cache.get(key);
  if (!force) {
    const narrowed = await fromLoadedRange(from, to);
    if (narrowed) return narrowed;
  }
  // Every status once, so the status filter (cancelled included) never refetches.
  const promise = api("GET", `/planning/timeline?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&status=draft,published,cancelled`);
  cache.set(key, promise);
  try {
    return await promise;
  } catch (error) {
    cache.delete(key);
    throw error;
  }
}

let loadSequence = 0;

async function load({ force = false } = {}) {
  const mine = ++loadSequence;
  writeUrl();
  syncControls();
  const [from, to] = rangeInstants();
  const status = document.getElementById("board-status");
  status.textContent = t("loading");
  try {
    const data = await fetchRange(from, to, { force });
    if (mine !== loadSequence) return; // a later navigation won: never draw a stale range
    current = data;
    current._index = indexPayload(current);
    fillFilterOptions();
    render();
  } catch (error) {
    status.textContent = `${t("error")}: ${error.message}`;
  }
}

function byId(list) {
  return new Map((list || []).map((item) => [item.id, item]));
}

function indexPayload(payload) {
  return {
    artists: byId(payload.artists),
    venues: byId(payload.venues),
    missions: byId(payload.missions),
    projects: byId(payload.projects),
    roles: byId(payload.roles),
    shifts: byId(payload.shifts),
  };
}

function visibleShifts() {
  const f = state.filters;
  return current.shifts.filter((s) =>
    (!f.project || s.project_id === f.project) &&
    (!f.venue || s.venue_id === f.venue) &&
    (!f.role || s.role_id === f.role) &&
    (f.status ? s.status === f.status : s.status !== "cancelled") &&
    (!f.artist || s.assignments.some((a) => a.artist_id === f.artist)));
}

// ---------------------------------------------------------------- controls
function syncControls() {
  for (const button of document.querySelectorAll("[data-view]")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  }
  const form = document.getElementById("filters");
  form.group.value = state.group;
  const [startDay, endDay] = rangeDays();
  const fmt = new Intl.DateTimeFormat(config.lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  document.getElementById("range-title").textContent =
    state.view === "day" ? fmt.format(parseDay(startDay)) : `${fmt.format(parseDay(startDay))} – ${fmt.format(new Date(parseDay(endDay).getTime() - DAY_MS))}`;
}

function fillFilterOptions() {
  const form = document.getElementById("filters");
  const fill = (name, items, label) => {
    const select = form[name];
    const keep = state.filters[name];
    select.replaceChildren(el("option", { value: "" }, t("all")),
      ...items.slice().sort((a, b) => label(a).localeCompare(label(b))).map((item) => el("option", { value: item.id }, label(item))));
    select.value = keep;
    if (select.value !== keep) select.append(el("option", { value: keep, selected: true }, keep));
  };
  fill("project", current.projects || [], (p) => p.name);
  fill("venue", current.venues || [], (v) => v.name);
  fill("role", current.roles || [], (r) => r.name);
  fill("artist", current.artists || [], (a) => a.name);
  form.status.value = state.filters.status;
}

// ---------------------------------------------------------------- rendering
const escapeHtml = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function placeInLanes(items) {
  const laneEnds = [];
  for (const item of items) {
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) { lane = laneEnds.length; laneEnds.push(0); }
    laneEnds[lane] = item.end;
    item.lane = lane;
  }
  return Math.max(1, laneEnds.length);
}

function barHtml(shift, range, extraClass = "", focusArtist = null) {
  const [from, to] = range;
  const span = to - from;
  const start = Math.max(Date.parse(shift.start_at), from);
  const end = Math.min(Date.parse(shift.end_at), to);
  const left = ((start - from) / span) * 100;
  const width = Math.max(((end - start) / span) * 100, 0.25);
  const idx = current._index;
  const role = idx.roles.get(shift.role_id);
  const hard = shift.conflicts.filter((c) => c.type === "hard" && !c.waived).length;
  const soft = shift.conflicts.length - hard;
  const active = shift.assignments.filter((a) => ["proposed", "invited", "accepted"].includes(a.status));
  const short = shift.status !== "cancelled" && active.length < shift.headcount;
  const wide = state.view !== "month";
  const chips = wide
    ? shift.assignments.filter((a) => !focusArtist || a.artist_id === focusArtist).map((a) => {
      const artist = idx.artists.get(a.artist_id);
      const auto = highlighted.has(`${shift.id}:${a.artist_id}`) ? " auto-added" : "";
      return `<span class="chip ${a.status}${auto}" title="${escapeHtml(t(a.status))}">${a.locked ? "🔒" : ""}${escapeHtml((artist?.name || "?").split(" ").map((w, i) => (i ? w[0] + "." : w)).join(" "))}</span>`;
    }).join("")
    : "";
  const title = `${role?.name || ""} · ${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)} · ${active.length}/${shift.headcount} · ${t(shift.status)}` +
    (shift.conflicts.length ? "\n" + shift.conflicts.map((c) => `${t(c.type)}${c.waived ? ` (${t("waived_by")} ${c.waived.by})` : ""}: ${c.message}`).join("\n") : "");
  return `<button type="button" class="bar status-${shift.status} ${extraClass}" data-shift="${shift.id}" style="left:${left}%;width:${width}%;top:${shift._lane * ROW_PX + 3}px" title="${escapeHtml(title)}" aria-label="${escapeHtml(title)}">` +
    `<span class="fill${short ? " short" : ""}">${active.length}/${shift.headcount}</span>` +
    (hard ? `<span class="badge hard">${hard}</span>` : "") + (soft ? `<span class="badge soft">${soft}</span>` : "") +
    `<span>${escapeHtml(role?.name || "")}</span>${wide ? `<span class="time">${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}</span>` : ""}` +
    chips + "</button>";
}

function dayHeaderHtml(range) {
  const [from, to] = range;
  const [startDay, endDay] = rangeDays();
  const parts = [];
  const fmt = new Intl.DateTimeFormat(config.lang, { weekday: state.view === "month" ? "narrow" : "short", day: "numeric", timeZone: "UTC" });
  if (state.view === "day") {
    for (let h = 0; h < 24; h += 2) {
      const at = zonedToDate(`${startDay}T${String(h).padStart(2, "0")}:00`).getTime();
      parts.push(`<span style="left:${((at - from) / (to - from)) * 100}%">${String(h).padStart(2, "0")}:00</span>`);
    }
    return parts.join("");
  }
  for (let day = startDay; day < endDay; day = addDays(day, 1)) {
    const start = zonedToDate(`${day}T00:00`).getTime();
    const end = zonedToDate(`${addDays(day, 1)}T00:00`).getTime();
    parts.push(`<span style="left:${((start - from) / (to - from)) * 100}%;width:${((end - start) / (to - from)) * 100}%">${escapeHtml(fmt.format(parseDay(day)))}</span>`);
  }
  return parts.join("");
}

function rowsByVenue(shifts) {
  const idx = current._index;
  const groups = new Map();
  for (const shift of shifts) {
    const venue = idx.venues.get(shift.venue_id);
    const mission = idx.missions.get(shift.mission_id);
    const groupKey = venue?.name || "—";
    if (!groups.has(groupKey)) groups.set(groupKey, new Map());
    const rows = groups.get(groupKey);
    const rowKey = mission?.id || shift.mission_id;
    if (!rows.has(rowKey)) rows.set(rowKey, { label: mission?.name || "—", items: [] });
    rows.get(rowKey).items.push(shift);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))
    .map(([title, rows]) => ({ title, rows: [...rows.values()].sort((a, b) => a.label.localeCompare(b.label)) }));
}

function rowsByArtist(shifts) {
  const idx = current._index;
  const rows = new Map();
  for (const shift of shifts) {
    for (const assignment of shift.assignments) {
      if (state.filters.artist && assignment.artist_id !== state.filters.artist) continue;
      if (!rows.has(assignment.artist_id)) {
        rows.set(assignment.artist_id, { label: idx.artists.get(assignment.artist_id)?.name || "?", items: [], artist: assignment.artist_id });
      }
      rows.get(assignment.artist_id).items.push(shift);
    }
  }
  const open = shifts.filter((s) => s.status !== "cancelled" &&
    s.assignments.filter((a) => ["proposed", "invited", "accepted"].includes(a.status)).length < s.headcount);
  const groups = [{ title: t("by_artist"), rows: [...rows.values()].sort((a, b) => a.label.localeCompare(b.label)) }];
  if (open.length && !state.filters.artist) groups.push({ title: t("unassigned"), rows: [{ label: t("unassigned"), items: open }] });
  return groups;
}

function render() {
  const [from, to] = rangeInstants();
  const range = [from.getTime(), to.getTime()];
  const shifts = visibleShifts();
  const groups = state.group === "artist" ? rowsByArtist(shifts) : rowsByVenue(shifts);
  const [startDay, endDay] = rangeDays();
  const days = Math.round((parseDay(endDay) - parseDay(startDay)) / DAY_MS);
  const gridWidth = Math.max(days * PX_PER_DAY[state.view], 900) + 220;
  const html = [`<div class="board-grid" style="width:${gridWidth}px"><div class="board-head"><div class="corner"></div><div class="days">${dayHeaderHtml(range)}</div></div>`];
  for (const group of groups) {
    html.push(`<div class="group-title" role="heading" aria-level="2"><span>${escapeHtml(group.title)}</span></div>`);
    for (const row of group.rows) {
      const items = row.items.map((s) => ({ shift: s, start: Date.parse(s.start_at), end: Date.parse(s.end_at) })).sort((a, b) => a.start - b.start);
      const lanes = placeInLanes(items);
      for (const item of items) item.shift._lane = item.lane;
      html.push(`<div class="row"><div class="row-label" title="${escapeHtml(row.label)}">${escapeHtml(row.label)}</div><div class="lanes" style="height:${lanes * ROW_PX}px">`);
      for (const item of items) html.push(barHtml(item.shift, range, "", row.artist || null));
      html.push("</div></div>");
    }
  }
  html.push("</div>");
  const board = document.getElementById("board");
  board.innerHTML = html.join("");
  document.getElementById("board-status").textContent = shifts.length
    ? `${shifts.length} ${t("shifts_shown")}` : t("no_shifts");
  scrollToFirstShift(board);
  board.dataset.ready = "true";
  window.__boardReadyAt = performance.now();
}

/** Every view opens on the earliest shift rather than on an empty morning or month start. */
function scrollToFirstShift(board) {
  let first = Infinity;
  for (const bar of board.querySelectorAll(".bar")) first = Math.min(first, parseFloat(bar.style.left));
  if (!Number.isFinite(first)) return;
  const lanes = board.querySelector(".lanes");
  if (lanes) board.scrollLeft = Math.max(0, (first / 100) * lanes.clientWidth - 40);
}

// ---------------------------------------------------------------- dialogs
const dialog = () => document.getElementById("dialog");

function openDialog(title, ...content) {
  const body = document.getElementById("dialog-body");
  body.replaceChildren(el("div", { class: "dialog-inner" },
    el("div", { class: "row-buttons" }, el("h2", { id: "dialog-title", style: "margin-right:auto" }, title),
      el("button", { type: "button", onclick: () => dialog().close(), "aria-label": t("close") }, "✕")),
    ...content));
  if (!dialog().open) dialog().showModal();
  return body.firstChild;
}

function errorBlock(error, retry) {
  const fields = Object.entries(error.error?.fields || {}).map(([name, messages]) => el("li", {}, `${name}: ${messages.join(" ")}`));
  const block = el("div", { class: "refused", role: "alert" },
    el("p", { class: "error" }, `${t("refused")}: ${error.message}`),
    fields.length ? el("ul", {}, fields) : null,
    error.conflicts.length ? conflictList(error.conflicts) : null);
  const overridable = config.isAdmin && error.status === 409 && error.conflicts.length &&
    !error.conflicts.some((c) => c.rule === "double_booking") && retry;
  if (overridable) {
    const reason = el("input", { type: "text", "aria-label": t("override_reason"), placeholder: t("override_reason") });
    block.append(el("div", { class: "row-buttons" }, reason,
      el("button", { type: "button", onclick: () => reason.value.trim() && retry(reason.value.trim()) }, t("override"))));
  }
  return block;
}

async function refresh() {
  cache.clear(); // a write may change any loaded range
  const focused = lastShiftId;
  await load({ force: true });
  if (focused) document.querySelector(`.bar[data-shift="${focused}"]`)?.focus();
}

let lastShiftId = null;

function shiftById(id) {
  return current._index.shifts.get(id);
}

async function openShift(shiftId) {
  lastShiftId = shiftId;
  const shift = shiftById(shiftId);
  if (!shift) return;
  const idx = current._index;
  const role = idx.roles.get(shift.role_id);
  const venue = idx.venues.get(shift.venue_id);
  const mission = idx.missions.get(shift.mission_id);
  const info = el("p", {}, `${mission?.name || ""} · ${venue?.name || ""}`, el("br"),
    `${fmtDateTime(shift.start_at)} – ${fmtDateTime(shift.end_at)} · ${t(shift.status)} · ${shift.assigned ?? 0}/${shift.headcount}`);
  const rows = shift.assignments.map((a) => assignmentRow(shift, a));
  const parts = [info, el("h3", {}, t("conflicts")), conflictList(shift.conflicts), el("h3", {}, t("assignments")), ...rows];
  if (config.canEdit && shift.status !== "cancelled") {
    parts.push(el("h3", {}, t("assign")), candidatePanel(shift), el("h3", {}, t("move")), moveForm(shift),
      el("div", { class: "row-buttons" }, el("button", { type: "button", onclick: () => cancelShift(shift) }, t("cancel_shift"))));
  }
  openDialog(`${role?.name || ""} · ${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`, ...parts);
}

function assignmentRow(shift, assignment) {
  const artist = current._index.artists.get(assignment.artist_id);
  const buttons = [];
  const act = (label, fn) => buttons.push(el("button", { type: "button", "aria-label": `${label} – ${artist?.name || ""}`, onclick: fn }, label));
  if (config.canEdit) {
    if (assignment.status === "proposed") act(t("invite"), () => invite(assignment));
    if (assignment.status === "invited") {
      act(t("accept"), () => setStatus(assignment, "accepted"));
      act(t("decline"), () => setStatus(assignment, "declined"));
    }
    if (["proposed", "invited", "accepted"].includes(assignment.status)) {
      act(assignment.locked ? t("unlock") : t("lock"), () => setLocked(assignment, !assignment.locked));
      act(t("cancel"), () => setStatus(assignment, "cancelled"));
    }
  }
  return el("div", { class: "assignment-row", "data-assignment": assignment.id },
    el("strong", {}, artist?.name || "?"), el("span", { class: `chip ${assignment.status}` }, t(assignment.status)),
    assignment.locked ? el("span", { class: "pill" }, `🔒 ${t("locked_flag")}`) : null,
    el("span", { class: "row-buttons", style: "margin-left:auto" }, buttons));
}

async function runWrite(fn, { onDone, overridable = false, errorTarget = null } = {}) {
  try {
    const result = await fn();
    const conflicts = result?.conflicts || [];
    toast(conflicts.length ? `${t("saved")} ${conflicts.map((c) => c.message).join(" · ")}` : t("saved"));
    if (onDone) onDone(result);
    await refresh();
    return result;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const retry = overridable && error.status === 409 ? (reason) => runWrite(() => fn(reason), { onDone, overridable, errorTarget }) : null;
    if (errorTarget) errorTarget.replaceChildren(errorBlock(error, retry)); // keep what was typed
    else openDialog(t("refused"), errorBlock(error, retry));
    return null;
  }
}

const invite = (a) => runWrite(() => api("POST", "/invitations", { assignment_id: a.id }), { onDone: () => dialog().close() });
const setStatus = (a, status) => runWrite((reason) => api("POST", `/planning/assignments/${a.id}/status`, { status, ...(reason ? { override_reason: reason } : {}) }), { onDone: () => dialog().close(), overridable: true });
const setLocked = (a, locked) => runWrite(() => api("PATCH", `/planning/assignments/${a.id}`, { locked }), { onDone: () => dialog().close() });
const cancelShift = (s) => window.confirm(t("confirm_cancel_shift")) && runWrite(() => api("POST", `/planning/shifts/${s.id}/cancel`), { onDone: () => dialog().close() });

function candidatePanel(shift) {
  const list = el("div", { class: "candidates" });
  const button = el("button", { type: "button", id: "find-artists", onclick: async () => {
    list.replaceChildren(el("p", {}, t("loading")));
    try {
      const data = await api("GET", `/planning/shifts/${shift.id}/candidates?limit=100`);
      list.replaceChildren(...data.results.map((c) => el("div", { class: "candidate" },
        el("strong", {}, c.name),
        el("span", { class: "fit" }, [c.free ? t("fit_free") : "", c.skilled ? t("fit_skilled") : "", `${fmtNumber(c.hours_this_week)} ${t("hours_week")}`].filter(Boolean).join(" · ")),
        el("button", { type: "button", style: "margin-left:auto", "data-artist": c.id, onclick: () => previewAssignment(shift, c) }, t("assign")))));
    } catch (error) {
      list.replaceChildren(el("p", { class: "error" }, error.message));
    }
  } }, t("find_artists"));
  return el("div", {}, button, list);
}

async function previewAssignment(shift, candidate) {
  let conflicts = [];
  try {
    const data = await api("POST", "/planning/conflicts/preview", { assignments: [{ shift_id: shift.id, artist_id: candidate.id }] });
    conflicts = data.conflicts || [];
  } catch (error) {
    if (!error.conflicts?.length) {
      openDialog(`${t("assign")}: ${candidate.name}`, errorBlock(error, null));
      return;
    }
    conflicts = error.conflicts;
  }
  const create = (reason) => api("POST", "/planning/assignments", { shift_id: shift.id, artist_id: candidate.id, ...(reason ? { override_reason: reason } : {}) });
  openDialog(`${t("assign")}: ${candidate.name}`, el("p", {}, t("preview_then_confirm")), conflictList(conflicts),
    el("div", { class: "row-buttons" },
      el("button", { type: "button", onclick: () => openShift(shift.id) }, t("cancel")),
      el("button", { type: "button", class: "primary", id: "confirm-assign", onclick: () => runWrite(create, { onDone: () => dialog().close(), overridable: true }) }, t("confirm"))));
}

function moveForm(shift) {
  const start = el("input", { type: "datetime-local", value: toZonedInput(shift.start_at), "aria-label": t("start") });
  const end = el("input", { type: "datetime-local", value: toZonedInput(shift.end_at), "aria-label": t("end") });
  const out = el("div");
  const body = () => ({ start_at: zonedToDate(start.value).toISOString(), end_at: zonedToDate(end.value).toISOString() });
  const preview = async () => {
    if (!start.value || !end.value) return;
    const proposed = { id: shift.id, mission_id: shift.mission_id, role_id: shift.role_id, headcount: shift.headcount, max_headcount: shift.max_headcount, break_minutes: shift.break_minutes, ...body() };
    let conflicts = [];
    try { conflicts = (await api("POST", "/planning/conflicts/preview", { shifts: [proposed] })).conflicts || []; } catch (error) { conflicts = error.conflicts || []; out.replaceChildren(el("p", { class: "error" }, error.message)); return; }
    out.replaceChildren(el("p", {}, t("preview_then_confirm")), conflictList(conflicts),
      el("button", { type: "button", class: "primary", onclick: () => runWrite((reason) => api("PATCH", `/planning/shifts/${shift.id}`, { ...body(), ...(reason ? { override_reason: reason } : {}) }), { onDone: () => dialog().close(), overridable: true }) }, t("confirm")));
  };
  return el("div", { class: "grid-form" }, el("label", {}, t("start"), start), el("label", {}, t("end"), end),
    el("button", { type: "button", onclick: preview }, t("save")), out);
}

// ---------------------------------------------------------------- new shift
async function newShift() {
  const [from, to] = rangeInstants();
  openDialog(t("new_shift"), el("p", {}, t("loading")));
  const [missions, roles, templates] = await Promise.all([
    apiAll(`/missions?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`),
    apiAll("/roles"), apiAll("/planning/shift-templates")]);
  const select = (name, items, label, extra = []) => el("select", { name }, ...extra, ...items.map((i) => el("option", { value: i.id }, label(i))));
  const form = el("form", { class: "grid-form", id: "new-shift-form" },
    el("label", {}, t("mission"), select("mission_id", missions, (m) => m.name)),
    el("label", {}, t("template"), select("template", templates, (x) => x.name, [el("option", { value: "" }, t("no_template"))])),
    el("label", {}, t("date"), el("input", { type: "date", name: "date", value: state.date })),
    el("label", {}, t("role"), select("role_id", roles, (r) => r.name)),
    el("label", {}, t("start"), el("input", { type: "datetime-local", name: "start_at", value: `${state.date}T18:00` })),
    el("label", {}, t("end"), el("input", { type: "datetime-local", name: "end_at", value: `${state.date}T23:00` })),
    el("label", {}, t("headcount"), el("input", { type: "number", name: "headcount", min: 1, value: 1 })),
    el("label", {}, t("max_headcount"), el("input", { type: "number", name: "max_headcount", min: 1, value: 2 })),
    el("label", {}, t("break_minutes"), el("input", { type: "number", name: "break_minutes", min: 0, value: 0 })),
    el("button", { type: "submit", class: "primary" }, t("create")));
  const out = el("div");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const write = data.template
      ? () => api("POST", `/planning/shift-templates/${data.template}/instantiate`, { mission_id: data.mission_id, dates: [data.date] })
      : (reason) => api("POST", "/planning/shifts", {
        mission_id: data.mission_id, role_id: data.role_id,
        start_at: zonedToDate(data.start_at).toISOString(), end_at: zonedToDate(data.end_at).toISOString(),
        headcount: Number(data.headcount), max_headcount: Number(data.max_headcount), break_minutes: Number(data.break_minutes),
        ...(reason ? { override_reason: reason } : {}) });
    runWrite(write, { onDone: () => dialog().close(), overridable: !data.template, errorTarget: out });
  });
  openDialog(t("new_shift"), form, out);
}

// ---------------------------------------------------------------- auto-assign
async function autoAssign() {
  const [from, to] = rangeInstants();
  const projects = current.projects || [];
  const form = el("form", { class: "stack" },
    el("label", {}, el("input", { type: "radio", name: "scope", value: "range", checked: true }), ` ${t("scope_range")}`),
    el("label", {}, el("input", { type: "radio", name: "scope", value: "project" }), ` ${t("scope_project")}`,
      el("select", { name: "project" }, ...projects.map((p) => el("option", { value: p.id }, p.name)))),
    el("label", {}, t("time_limit"), el("input", { type: "number", name: "time_limit", min: 1, max: 120, value: 10 })),
    el("button", { type: "submit", class: "primary", id: "start-auto-assign" }, t("start_job")));
  const out = el("div", { id: "auto-assign-out" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const scope = data.scope === "project" ? { project_id: data.project } : { from: from.toISOString(), to: to.toISOString() };
    try {
      const job = await api("POST", "/planning/auto-assign/start", { scope, options: { dry_run: true, time_limit: Number(data.time_limit) } },
        { headers: { "Idempotency-Key": crypto.randomUUID() } });
      await watchJob(job.id, out);
    } catch (error) {
      out.replaceChildren(errorBlock(error, null));
    }
  });
  openDialog(t("auto_assign"), form, out);
}

async function watchJob(jobId, out) {
  const bar = el("progress", { max: 1, value: 0, id: "job-progress", "aria-label": t("progress") });
  const label = el("p", {}, t("loading"));
  out.replaceChildren(bar, label);
  for (;;) {
    const job = await api("GET", `/planning/auto-assign/status/${jobId}`);
    bar.value = job.progress ?? 0;
    label.textContent = `${t("progress")}: ${Math.round((job.progress ?? 0) * 100)} % · ${t(`job_${job.status}`)}`;
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return showProposal(job, out);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

function showProposal(job, out) {
  if (job.status !== "succeeded") {
    out.append(el("p", { class: "error", role: "alert" }, job.error || job.status));
    return;
  }
  const proposal = job.proposal || [];
  const unfilled = job.unfilled || [];
  const done = el("p", { id: "job-done" }, `${t("proposal")}: ${proposal.length} ${t("added")} · ${t("coverage")} ${Math.round((job.coverage_before ?? 0) * 100)} % → ${Math.round((job.coverage_after ?? 0) * 100)} %`);
  const idx = current._index;
  const list = el("ul", {}, unfilled.slice(0, 50).map((u) => {
    const shift = idx.shifts.get(u.shift_id);
    const role = shift ? idx.roles.get(shift.role_id)?.name : u.shift_id;
    return el("li", {}, `${role} ${shift ? fmtDateTime(shift.start_at) : ""} (−${u.missing}): ${(u.reasons || []).join("; ")}`);
  }));
  const apply = el("button", { type: "button", class: "primary", id: "apply-proposal", onclick: async () => {
    for (const pair of proposal) highlighted.add(`${pair.shift_id}:${pair.artist_id}`);
    await runWrite(() => api("POST", `/planning/auto-assign/${job.id}/apply`), { onDone: () => dialog().close() });
  } }, t("apply"));
  const discard = el("button", { type: "button", onclick: () => dialog().close() }, t("discard"));
  const proposed = el("ul", { id: "proposal-list" }, proposal.slice(0, 80).map((pair) => {
    const shift = idx.shifts.get(pair.shift_id);
    const role = shift ? idx.roles.get(shift.role_id)?.name : "";
    const artist = idx.artists.get(pair.artist_id)?.name || pair.artist_name || pair.artist_id;
    return el("li", {}, `${artist} → ${role} ${shift ? fmtDateTime(shift.start_at) : ""}`);
  }), proposal.length > 80 ? el("li", {}, `… +${proposal.length - 80}`) : null);
  out.append(done, el("h3", {}, t("proposal")), proposed, el("h3", {}, t("unfilled")), list, el("div", { class: "row-buttons" }, discard, apply));
}

// ---------------------------------------------------------------- publish
async function publish() {
  const [from, to] = rangeInstants();
  const scope = state.filters.project ? { project_id: state.filters.project } : { from: from.toISOString(), to: to.toISOString() };
  if (state.filters.venue) scope.venue_id = state.filters.venue;
  openDialog(t("publish"), el("p", {}, t("loading")));
  let preview;
  try {
    preview = await api("POST", "/planning/publish/preview", scope);
  } catch (error) {
    openDialog(t("publish"), errorBlock(error, null));
    return;
  }
  const summary = preview.summary || {};
  const affected = preview.affected_artists || [];
  const blocked = (preview.conflicts || []).filter((c) => c.type === "hard");
  const go = el("button", { type: "button", class: "primary", id: "confirm-publish", disabled: blocked.length > 0 || undefined, onclick: async () => {
    try {
      const result = await api("POST", "/planning/publish", scope);
      const version = result.version;
      openDialog(t("publish"), el("p", { id: "publish-result" }, version && result.changed !== false ? `${t("published_ok")} ${version.number}` : t("nothing_changed")));
      await refresh();
    } catch (error) {
      openDialog(t("publish"), errorBlock(error, null));
    }
  } }, t("publish"));
  openDialog(t("publish"),
    el("p", {}, scopeLabel(scope)),
    el("h3", {}, t("publish_preview")),
    el("ul", {}, Object.entries(summary).filter(([, value]) => value).map(([key, value]) => el("li", {}, `${t(`summary_${key}`)}: ${value}`))),
    diffList(preview.diff || {}),
    el("h3", {}, t("affected")),
    el("p", {}, affected.map((a) => a.name).join(", ") || "—"),
    blocked.length ? el("div", { role: "alert" }, el("p", { class: "error" }, t("blocked_by")), conflictList(blocked)) : null,
    preview.waived_conflicts?.length ? el("div", {}, el("h3", {}, t("waived_conflicts")), conflictList(preview.waived_conflicts)) : null,
    el("div", { class: "row-buttons" }, el("button", { type: "button", onclick: () => dialog().close() }, t("cancel")), go));
}

function scopeLabel(scope) {
  const idx = current._index;
  const parts = [];
  if (scope.project_id) parts.push(`${t("project")}: ${idx.projects.get(scope.project_id)?.name || scope.project_id}`);
  if (scope.from) parts.push(`${fmtDateTime(scope.from)} – ${fmtDateTime(scope.to)}`);
  if (scope.venue_id) parts.push(`${t("venue")}: ${idx.venues.get(scope.venue_id)?.name || scope.venue_id}`);
  return parts.join(" · ");
}

/** What a publication changes, in words: shifts and bookings added, removed, changed. */
function diffList(diff) {
  const shiftText = (s) => `${s.role_name || ""} · ${s.venue_name || ""} · ${s.start_at ? fmtDateTime(s.start_at) : ""}`;
  const items = [];
  for (const kind of ["added", "removed", "changed"]) {
    for (const entry of diff.shifts?.[kind] || []) {
      items.push(el("li", {}, `${t(`diff_${kind}`)} · ${t("shift")}: ${kind === "changed" ? Object.keys(entry.changes).join(", ") : shiftText(entry)}`));
    }
    for (const entry of diff.assignments?.[kind] || []) {
      const text = kind === "changed"
        ? Object.entries(entry.changes).map(([name, c]) => `${name}: ${t(c.old) || c.old} → ${t(c.new) || c.new}`).join(", ")
        : `${entry.artist_name || ""} (${t(entry.status)})`;
      items.push(el("li", {}, `${t(`diff_${kind}`)} · ${t("booking")}: ${text}`));
    }
  }
  const shown = items.slice(0, 60);
  return el("ul", { class: "diff" }, shown, items.length > shown.length ? el("li", {}, `… +${items.length - shown.length}`) : null);
}

// ---------------------------------------------------------------- wiring
document.querySelectorAll("[data-view]").forEach((b) => b.addEventListener("click", () => { state.view = b.dataset.view; load(); }));
document.querySelectorAll("[data-nav]").forEach((b) => b.addEventListener("click", () => navigate(Number(b.dataset.nav))));
document.getElementById("filters").addEventListener("change", (event) => {
  const { name, value } = event.target;
  if (name === "group") state.group = value; else state.filters[name] = value;
  writeUrl();
  if (current) render();
});
document.getElementById("board").addEventListener("click", (event) => {
  const bar = event.target.closest(".bar");
  if (bar) openShift(bar.dataset.shift);
});
document.getElementById("new-shift")?.addEventListener("click", newShift);
document.getElementById("auto-assign")?.addEventListener("click", autoAssign);
document.getElementById("publish")?.addEventListener("click", publish);
load();
