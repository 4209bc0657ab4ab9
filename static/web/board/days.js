// Calendar days as "YYYY-MM-DD" strings. Day arithmetic runs on UTC midnights, so no
// daylight-saving change can shift a day; the organization's zone enters only through
// todayInZone() and, elsewhere, zonedToDate().
import { toZonedInput, zoneOffsetMinutes } from "../api.js";

export const DAY_MS = 86400000;

export const parseDay = (day) => new Date(`${day}T00:00:00Z`);
export const formatDay = (date) => date.toISOString().slice(0, 10);
export const addDays = (day, n) => formatDay(new Date(parseDay(day).getTime() + n * DAY_MS));

/** Today in the organization's zone. */
export function todayInZone() {
  return toZonedInput(new Date().toISOString()).slice(0, 10);
}

/** The first day of the month `months` after the month of `day`. */
function firstOfMonth(day, months) {
  const date = parseDay(day);
  return formatDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}

/** [first day, day after the last] of the day, week (from Monday) or month holding `day`. */
export function daysOfView(view, day) {
  if (view === "day") return [day, addDays(day, 1)];
  if (view === "week") {
    const monday = addDays(day, -((parseDay(day).getUTCDay() + 6) % 7));
    return [monday, addDays(monday, 7)];
  }
  return [`${day.slice(0, 7)}-01`, firstOfMonth(day, 1)];
}

/** The day `step` views after `day`: a month step lands on the first of the month. */
export function stepDay(view, day, step) {
  if (view === "day") return addDays(day, step);
  if (view === "week") return addDays(day, 7 * step);
  return firstOfMonth(day, step);
}

/**
 * The instants a wall-clock time ("2026-03-29T02:30") names in the organization's zone:
 * one on an ordinary day, none when the clocks skip it (spring forward), two when they
 * read it twice (fall back), the earlier first.
 */
export function wallClockInstants(localIso) {
  const guess = new Date(`${localIso}Z`).getTime();
  if (Number.isNaN(guess)) return [];
  const offsets = new Set(
    [-12, 0, 12].map((hours) => zoneOffsetMinutes(new Date(guess + hours * 3600000))),
  );
  return [...offsets]
    .map((offset) => new Date(guess - offset * 60000))
    .filter((instant) => toZonedInput(instant.toISOString()) === localIso.slice(0, 16))
    .sort((a, b) => a - b);
}
