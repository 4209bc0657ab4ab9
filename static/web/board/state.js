// What the board shows and what it holds: the range and filters (kept in the URL), the
// timeline payloads fetched per range, and the loaded range's shifts that pass the filters.
import { api, zonedToDate } from "../api.js";
import { daysOfView, stepDay, todayInZone } from "./days.js";

const VIEWS = ["day", "week", "month"];
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
    filters: Object.fromEntries(FILTERS.map((key) => [key, params.get(key) || ""])),
  };
}

export function writeUrl() {
  const params = new URLSearchParams({ view: state.view, date: state.date, group: state.group });
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
  // Every status once, so the status filter (cancelled included) never refetches.
  const query = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const promise = api("GET", `/planning/timeline?${query}&status=draft,published,cancelled`).then(
    expandPayload,
  );
  cache.set(key, promise);
  try {
    return await promise;
  } catch (error) {
    cache.delete(key);
    throw error;
  }
}

/** Forget every loaded range: a write may change any of them. */
export function clearCache() {
  cache.clear();
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

/** The payload as the server sends it (each name and conflict once, referred to by
 * position) read into shifts that carry their ids, badges and crew, and the versions
 * (`version`) their writes send back as If-Match. */
function expandPayload(payload) {
  const { missions = [], roles = [], artists = [] } = payload;
  // A conflict about one person names them by id (for that person's row).
  const conflicts = (payload.conflicts || []).map((c) =>
    c.artist === undefined ? c : { ...c, artist_id: artists[c.artist]?.id },
  );
  const shifts = payload.shifts.map((shift) => {
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
