// Writes on what the board drew carry the version it was drawn at (If-Match): a shift or a
// booking someone else changed meanwhile is refused (412) rather than overwritten, and the
// person sees what changed (old → new: times, status, head count, lock) with "Reload",
// which draws the board again where it was, the focus on the same shift.
import { ApiError, api, el, fmtDateTime, ifMatch, t } from "../api.js";

/** PATCH a shift drawn on the board, refused if it changed since it was drawn. */
export function patchShift(shift, body, version = shift.version) {
  return guarded(api("PATCH", `/planning/shifts/${shift.id}`, body, ifMatch(version)), {
    kind: "shifts",
    before: shift,
  });
}

export function deleteShift(shift, version = shift.version) {
  return guarded(api("DELETE", `/planning/shifts/${shift.id}`, undefined, ifMatch(version)), {
    kind: "shifts",
    before: shift,
  });
}

export function patchAssignment(assignment, body, version = assignment.version) {
  return guarded(api("PATCH", `/planning/assignments/${assignment.id}`, body, ifMatch(version)), {
    kind: "assignments",
    before: assignment,
  });
}

export function deleteAssignment(assignment, version = assignment.version) {
  return guarded(
    api("DELETE", `/planning/assignments/${assignment.id}`, undefined, ifMatch(version)),
    { kind: "assignments", before: assignment },
  );
}

/** A 412 keeps what the board showed of the row, to say what changed. */
async function guarded(request, stale) {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) error.stale = stale;
    throw error;
  }
}

const SHIFT_FIELDS = [
  "start_at",
  "end_at",
  "status",
  "headcount",
  "max_headcount",
  "break_minutes",
];
const ASSIGNMENT_FIELDS = ["status", "locked"];
const INSTANTS = ["start_at", "end_at"];

function shown(field, value) {
  if (value === undefined || value === null || value === "") return "—";
  if (INSTANTS.includes(field)) return fmtDateTime(value);
  if (field === "locked") return value ? t("locked_flag") : t("not_locked");
  if (field === "status") return t(value);
  return String(value);
}

function same(field, before, after) {
  if (INSTANTS.includes(field)) return Date.parse(before) === Date.parse(after);
  return before === after;
}

const FIELD_LABELS = { start_at: "start", end_at: "end", locked: "locked_flag" };

/** The fields that differ between what the board showed and the row as it is now. */
async function changes(stale) {
  let current = null;
  try {
    current = await api("GET", `/planning/${stale.kind}/${stale.before.id}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    return [el("li", { "data-field": "deleted" }, t("stale_deleted"))];
  }
  const fields = stale.kind === "shifts" ? SHIFT_FIELDS : ASSIGNMENT_FIELDS;
  return fields
    .filter((field) => !same(field, stale.before[field], current[field]))
    .map((field) =>
      el(
        "li",
        { "data-field": field },
        `${t(FIELD_LABELS[field] || field)} : `,
        el("del", {}, shown(field, stale.before[field])),
        " → ",
        el("ins", {}, shown(field, current[field])),
      ),
    );
}

/** What a 412 says to the person: changed by someone else, what changed, and "Reload". */
export async function staleBlock(error, reload) {
  const listed = error.stale ? await changes(error.stale) : [];
  return el(
    "div",
    { class: "refused stale", role: "alert", id: "stale" },
    el("p", { class: "error" }, t("stale_text")),
    listed.length
      ? el("ul", { class: "stale-changes" }, listed)
      : el("p", {}, t("stale_elsewhere")),
    el(
      "div",
      { class: "row-buttons" },
      el(
        "button",
        { type: "button", class: "primary", id: "stale-reload", onclick: reload },
        t("reload"),
      ),
    ),
  );
}
