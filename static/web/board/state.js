// What the board shows and what it holds: the range and filters (kept in the URL), the
// timeline payloads fetched per range, and the loaded range's shifts that pass the filters.
import { api, toZonedInput, zonedToDate } from "../api.js";
import { addDays, daysOfView, parseDay, stepDay, todayInZone } from "./days.js";

const VIEWS = ["day", "week", "month"];
/** How much wider than fitted to the screen the hours are drawn, per zoom level (day and
 * week; a month is not zoomed: zooming in on it opens a week). */
export const ZOOMS = [1, 2, 4];
const FILTERS = ["project", "venue", "role", "artist", "status", "short", "conflicts"];
/** Statuses of an assignment that hold a place on its shift. */
const ACTIVE_STATUSES = ["proposed", "invited", "accepted"];

/** The range and the filters, read from the URL once and written back on every change. */
export const state = readUrl();
/** The range on screen: its timeline payload and the payload's lists by id. */
export const loaded = { payload: null, index: null };
/** Assignment keys "shift:artist" added by auto-assign, marked on the board. */
export const highlighted = new Set();
/** "from|to" instants → the promise of that range's payload. */
const cache = new Map();
let loadSequence = 0;

// ---------------------------------------------------------------- URL and range
function readUrl() {
  const params = new URLSearchParams(location.search);
  return {
    view: VIEWS.includes(params.get("view")) ? params.get("view") : "week",
    date: /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : todayInZone(),
    group: params.get("group") === "artist" ? "artist" : "venue",
    zoom: Math.min(Math.max(Number.parseInt(params.get("zoom"), 10) || 0, 0), ZOOMS.length - 1),
    filters: Object.fromEntries(FILTERS.map((key) => [key, params.get(key) || ""])),
  };
}

export function writeUrl() {
  const params = new URLSearchParams({ view: state.view, date: state.date, group: state.group });
  if (state.zoom && state.view !== "month") params.set("zoom", String(state.zoom));
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

/** `group` or one of the filters, from the filter form ("1" or "" for a checkbox). */
export function setFilter(name, value) {
  if (name === "group") state.group = value;
  else state.filters[name] = value;
  writeUrl();
}

/** Today (step 0), or `step` days, weeks or months from the date shown. */
export function moveDate(step) {
  state.date = step === 0 ? todayInZone() : stepDay(state.view, state.date, step);
}

/** [first day, day after the last] of the range shown. */
export function rangeDays() {
  return daysOfView(state.view, state.date);
}

/** The range shown as instants in the organization's zone: [from, to, first day, end day]. */
export function rangeInstants() {
  const [startDay, endDay] = rangeDays();
  return [zonedToDate(`${startDay}T00:00`), zonedToDate(`${endDay}T00:00`), startDay, endDay];
}

// ---------------------------------------------------------------- loading
/** A loaded range that contains [from, to), narrowed to it: a day inside a loaded week or
 * month is drawn without asking the server again. */
async function fromLoadedRange(from, to) {
  for (const [key, promise] of cache) {
    const [start, end] = key.split("|").map((iso) => new Date(iso));
    const same = start.getTime() === from.getTime() && end.getTime() === to.getTime();
    if (start <= from && to <= end && !same) {
      const payload = await promise;
      const shifts = payload.shifts.filter(
        (s) => Date.parse(s.start_at) < to && Date.parse(s.end_at) > from,
      );
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
  const promise = fetchByWeek(from, to);
  cache.set(key, promise);
  try {
    return await promise;
  } catch (error) {
    cache.delete(key);
    throw error;
  }
}

/** A range longer than a week (a month) fetched a local week at a time (Monday to Monday in
 * the organization's zone: the weeks the server caches by, apps/core/revisions.py), all at
 * once, and merged. After a write, the server computes again only the weeks the write
 * reached and answers the others from its cache, instead of the whole month. */
async function fetchByWeek(from, to) {
  const bounds = [from];
  const last = toZonedInput(to.toISOString()).slice(0, 10);
  let day = addDays(toZonedInput(from.toISOString()).slice(0, 10), 1);
  for (; day < last; day = addDays(day, 1)) {
    if (parseDay(day).getUTCDay() === 1) bounds.push(zonedToDate(`${day}T00:00`));
  }
  bounds.push(to);
  if (bounds.length <= 2) return fetchTimeline(from, to);
  const weeks = bounds.slice(1).map((end, i) => [bounds[i], end]);
  const parts = await Promise.all(weeks.map(([start, end]) => fetchTimeline(start, end)));
  // A shift across a Monday midnight comes in both weeks: the later one replaces it, and
  // a conflict across the edge (a short night) is kept once (mergeWindow).
  let merged = parts[0];
  for (let i = 1; i < parts.length; i += 1) {
    merged = mergeWindow(merged, parts[i], weeks[i][0].getTime(), weeks[i][1].getTime());
  }
  return { ...merged, range: { from: from.toISOString(), to: to.toISOString() } };
}

/** The timeline of [from, to) from the server, expanded (not cached). */
function fetchTimeline(from, to) {
  // Every status once, so the status filter (cancelled included) never refetches.
  const query = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  return api("GET", `/planning/timeline?${query}&status=draft,published,cancelled`).then(
    expandPayload,
  );
}

/** Forget every loaded range: a write may change any of them. */
export function clearCache() {
  cache.clear();
}

// ---------------------------------------------------------------- after a write
/** How far a write reaches around the times it touched: a day each side, as the server's
 * cache invalidation assumes (`REACH` in apps/core/revisions.py): rest and duty periods of
 * the same people run across midnight, so a neighbouring shift's badges may change. */
const REACH_MS = 86400000;

/** The part of the range shown that a write touching `spans` ({start_at, end_at}: the
 * shifts' times before and after it) can have changed; null when none of it is shown. */
export function writeWindow(spans) {
  const times = spans
    .filter(Boolean)
    .flatMap((s) => [Date.parse(s.start_at), Date.parse(s.end_at)]);
  if (!loaded.payload || !times.length || times.some(Number.isNaN)) return null;
  const [rangeFrom, rangeTo] = rangeInstants();
  const from = Math.max(Math.min(...times) - REACH_MS, rangeFrom.getTime());
  const to = Math.min(Math.max(...times) + REACH_MS, rangeTo.getTime());
  return from < to ? [new Date(from), new Date(to)] : null;
}

/** A shift that overlaps [from, to) (instants in ms), as the server selects them. */
const inWindow = (s, from, to) => Date.parse(s.start_at) < to && Date.parse(s.end_at) > from;

/** After a write: fetches only `window` ([from, to) instants, see writeWindow) and merges
 * it into the loaded range (its shifts replaced, the rest kept as they are), instead of
 * fetching and expanding the whole range again. Every other cached range is forgotten (the
 * write may show there); the range shown stays cached, merged. Returns the ids of the
 * shifts that may look different, or null when a navigation started meanwhile (its range
 * is the one to draw). */
export async function refreshWindow([from, to]) {
  const mine = ++loadSequence;
  const [rangeFrom, rangeTo] = rangeInstants();
  const part = await fetchTimeline(from, to);
  if (mine !== loadSequence || !loaded.payload) return null;
  const base = loaded.payload;
  const merged = mergeWindow(base, part, from.getTime(), to.getTime());
  cache.clear();
  cache.set(`${rangeFrom.toISOString()}|${rangeTo.toISOString()}`, Promise.resolve(merged));
  loaded.payload = merged;
  loaded.index = indexPayload(merged);
  // What may look different: the shifts fetched and those they replaced.
  const replaced = base.shifts.filter((s) => inWindow(s, from.getTime(), to.getTime()));
  return new Set([...part.shifts, ...replaced].map((s) => s.id));
}

/** `base` with the shifts that overlap [from, to) replaced by `part`'s (kept in start
 * order), the name lists united by id, and the conflicts those shifts carry, each once. */
function mergeWindow(base, part, from, to) {
  const fresh = new Set(part.shifts.map((s) => s.id));
  const shifts = base.shifts
    .filter((s) => !inWindow(s, from, to) && !fresh.has(s.id))
    .concat(part.shifts)
    .sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at));
  const merged = { ...base, shifts, conflicts: uniqueConflicts(shifts) };
  merged.conflicts_recomputing = Boolean(base.conflicts_recomputing || part.conflicts_recomputing);
  for (const kind of ["artists", "venues", "missions", "projects", "roles"]) {
    const known = new Set((base[kind] || []).map((item) => item.id));
    merged[kind] = (base[kind] || []).concat((part[kind] || []).filter((i) => !known.has(i.id)));
  }
  return merged;
}

/** Each conflict once: one badging a shift inside the window and one outside comes in both
 * payloads (a rest period across the window's edge); the shifts then share one object. */
function uniqueConflicts(shifts) {
  const byKey = new Map();
  for (const shift of shifts) {
    shift.conflicts = shift.conflicts.map((c) => {
      const key = [c.type, c.rule, c.message, c.artist_id, JSON.stringify(c.waived || null)].join(
        "|",
      );
      if (!byKey.has(key)) byKey.set(key, c);
      return byKey.get(key);
    });
  }
  return [...byKey.values()];
}

/** Loads the range shown into `loaded`; false when a later call started meanwhile (a later
 * navigation won: its range, not this one, is to be drawn). */
export async function loadRange({ force = false } = {}) {
  const mine = ++loadSequence;
  const [from, to] = rangeInstants();
  const payload = await fetchRange(from, to, { force });
  if (mine !== loadSequence) return false;
  loaded.payload = payload;
  loaded.index = indexPayload(payload);
  return true;
}

/** A shift of the payload (a list, in the order of `fields`) as an object. */
function shiftObject(fields, values) {
  const shift = {};
  fields.forEach((name, position) => {
    shift[name] = values[position];
  });
  return shift;
}

/** The payload as the server sends it (each shift a list of the items `shift_fields`
 * names; each name and conflict once, referred to by position) read into shifts that carry
 * their ids, badges and crew, and the versions (`version`) their writes send back as
 * If-Match. */
function expandPayload(payload) {
  const { missions = [], roles = [], artists = [], shift_fields: fields = [] } = payload;
  // A conflict about one person names them by id (for that person's row).
  const conflicts = (payload.conflicts || []).map((c) =>
    c.artist === undefined ? c : { ...c, artist_id: artists[c.artist]?.id },
  );
  const shifts = payload.shifts.map((values) => {
    const shift = shiftObject(fields, values);
    const mission = missions[shift.mission] || {};
    const assignments = shift.crew.map(([id, artist, status, locked, source, version, cost]) => ({
      id,
      artist_id: artists[artist]?.id,
      status,
      locked,
      source,
      version,
      cost,
    }));
    return {
      ...shift,
      version: shift.v,
      mission_id: mission.id,
      project_id: mission.project_id,
      venue_id: mission.venue_id,
      role_id: roles[shift.role]?.id,
      conflicts: shift.conflicts.map((position) => conflicts[position]),
      assignments,
      assigned: assignments.length,
    };
  });
  return { ...payload, conflicts, shifts };
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

// ---------------------------------------------------------------- reading
export function shiftById(id) {
  return loaded.index.shifts.get(id);
}

/** The loaded shifts that pass the filters; cancelled ones only when asked for. */
export function visibleShifts() {
  const f = state.filters;
  return loaded.payload.shifts.filter(
    (s) =>
      (!f.project || s.project_id === f.project) &&
      (!f.venue || s.venue_id === f.venue) &&
      (!f.role || s.role_id === f.role) &&
      (f.status ? s.status === f.status : s.status !== "cancelled") &&
      (!f.artist || s.assignments.some((a) => a.artist_id === f.artist)) &&
      (!f.short || isShort(s)) &&
      (!f.conflicts || s.conflicts.length > 0),
  );
}

/** The loaded shifts short of their headcount, through every filter but "unfilled only",
 * by start. */
export function unfilledShifts() {
  return visibleShifts()
    .filter(isShort)
    .sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at));
}

export function hasHardConflict(shift) {
  return shift.conflicts.some((c) => c.type === "hard" && !c.waived);
}

export function isActive(assignment) {
  return ACTIVE_STATUSES.includes(assignment.status);
}

export function activeAssignments(shift) {
  return shift.assignments.filter(isActive);
}

/** A shift still planned with fewer active assignments than its headcount. */
export function isShort(shift) {
  return shift.status !== "cancelled" && activeAssignments(shift).length < shift.headcount;
}
