// A shift's dialog (its crew and their statuses, conflicts, assigning from ranked
// candidates after a preview, moving, cancelling and restoring) and the new-shift form.
// Cancelling asks first; a write that can be reverted offers "Undo"; "Confirm" stays
// disabled while the preview holds a double booking, which no one may override; typed
// times are the organization's wall-clock times, and one the clocks skip or read twice on
// a daylight-saving night is refused or asked about before anything is sent.
import {
  api,
  apiAll,
  config,
  conflictList,
  el,
  fmtDateTime,
  fmtNumber,
  fmtTime,
  t,
  toZonedInput,
} from "../api.js";
import { wallClockInstants } from "./days.js";
import {
  closeDialog,
  errorBlock,
  openDialog,
  overrideReason,
  rememberShift,
  runWrite,
} from "./dialog.js";
import { deleteAssignment, deleteShift, patchAssignment, patchShift } from "./stale.js";
import { isActive, loaded, rangeInstants, shiftById, state } from "./state.js";

/** The dialog of a shift; `findArtists` lists its candidates at once (quick assign). */
export function openShift(shiftId, { findArtists = false } = {}) {
  rememberShift(shiftId);
  const shift = shiftById(shiftId);
  if (!shift) return;
  const index = loaded.index;
  const role = index.roles.get(shift.role_id);
  const venue = index.venues.get(shift.venue_id);
  const mission = index.missions.get(shift.mission_id);
  const when = `${fmtDateTime(shift.start_at)} – ${fmtDateTime(shift.end_at)}`;
  const info = el(
    "p",
    {},
    `${mission?.name || ""} · ${venue?.name || ""}`,
    el("br"),
    `${when} · ${t(shift.status)} · ${shift.assigned ?? 0}/${shift.headcount}`,
  );
  const parts = [
    info,
    el("h3", {}, t("conflicts")),
    conflictList(shift.conflicts),
    el("h3", {}, t("assignments")),
    ...shift.assignments.map((assignment) => assignmentRow(shift, assignment)),
  ];
  if (config.canEdit && shift.status === "published") parts.push(crewButtons(shift));
  const candidates = config.canEdit && shift.status !== "cancelled" ? candidatePanel(shift) : null;
  if (candidates) {
    parts.push(
      el("h3", {}, t("assign")),
      candidates,
      el("h3", {}, t("move")),
      moveForm(shift),
      el(
        "div",
        { class: "row-buttons", id: "shift-actions" },
        el(
          "button",
          { type: "button", id: "cancel-shift", onclick: () => cancelShift(shift) },
          t("cancel_shift"),
        ),
      ),
    );
  }
  if (config.canEdit && shift.status === "cancelled") {
    parts.push(
      el(
        "div",
        { class: "row-buttons" },
        el(
          "button",
          { type: "button", id: "restore-shift", onclick: () => restoreShift(shift) },
          t("restore_shift"),
        ),
      ),
    );
  }
  openDialog(`${role?.name || ""} · ${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`, ...parts);
  if (findArtists && candidates) candidates.querySelector("#find-artists").click();
}

/** "Are you sure?" in place of `buttons`: `yes` runs the action, "Keep" puts them back. */
function askFirst(container, question, yesLabel, yes) {
  const before = [...container.childNodes];
  const keep = el(
    "button",
    { type: "button", onclick: () => container.replaceChildren(...before) },
    t("keep"),
  );
  container.replaceChildren(
    el("span", { class: "ask", role: "alert" }, question),
    keep,
    el("button", { type: "button", class: "danger", id: "confirm-yes", onclick: yes }, yesLabel),
  );
  keep.focus();
}

/** Invite every proposed artist at once (one e-mail each), open or close to the crew. */
function crewButtons(shift) {
  const proposed = shift.assignments.filter((a) => a.status === "proposed").map((a) => a.id);
  const post = (path, body) => runWrite(() => api("POST", path, body), { onDone: closeDialog });
  const selection = { shift_ids: [shift.id] };
  return el(
    "div",
    { class: "row-buttons" },
    proposed.length
      ? el(
          "button",
          {
            type: "button",
            onclick: () => post("/invitations/bulk", { assignment_ids: proposed }),
          },
          t("invite_all"),
        )
      : null,
    el(
      "button",
      { type: "button", onclick: () => post("/planning/open-shifts", selection) },
      t("open_to_crew"),
    ),
    el(
      "button",
      { type: "button", onclick: () => post("/planning/open-shifts/close", selection) },
      t("close_to_crew"),
    ),
  );
}

/** An assigned artist with the status changes a manager can make from here. */
function assignmentRow(shift, assignment) {
  const artist = loaded.index.artists.get(assignment.artist_id);
  const name = artist?.name || "";
  const buttons = el("span", { class: "row-buttons", style: "margin-left:auto" });
  const act = (label, onclick) =>
    buttons.append(
      el("button", { type: "button", "aria-label": `${label} – ${name}`, onclick }, label),
    );
  const cancelBooking = () =>
    askFirst(buttons, `${t("confirm_cancel_booking")} ${name}?`, t("cancel_booking"), () =>
      setStatus(shift, assignment, "cancelled", {
        undo: () =>
          api("POST", "/planning/assignments", {
            shift_id: shift.id,
            artist_id: assignment.artist_id,
          }),
      }),
    );
  if (config.canEdit) {
    // A crew member's claim of an open shift is approved, not invited; invitations are
    // for published shifts only (a draft is published first).
    const claim = assignment.status === "proposed" && assignment.source === "claim";
    if (claim) act(t("approve_claim"), () => approveClaim(shift, assignment));
    else if (assignment.status === "proposed" && shift.status === "published")
      act(t("invite"), () => invite(shift, assignment));
    if (assignment.status === "invited") {
      act(t("accept"), () => setStatus(shift, assignment, "accepted"));
      act(t("decline"), () => setStatus(shift, assignment, "declined"));
    }
    if (isActive(assignment)) {
      act(assignment.locked ? t("unlock") : t("lock"), () =>
        setLocked(shift, assignment, !assignment.locked),
      );
      act(t("cancel_booking"), cancelBooking);
    }
  }
  return el(
    "div",
    { class: "assignment-row", "data-assignment": assignment.id },
    el("strong", {}, artist?.name || "?"),
    el("span", { class: `chip ${assignment.status}` }, t(assignment.status)),
    assignment.locked ? el("span", { class: "pill" }, `🔒 ${t("locked_flag")}`) : null,
    buttons,
  );
}

// Each booking's write names its shift (`touches`): only the days around it are refetched.
function invite(shift, assignment) {
  return runWrite(() => api("POST", "/invitations", { assignment_id: assignment.id }), {
    onDone: closeDialog,
    touches: [shift],
  });
}

function approveClaim(shift, assignment) {
  return runWrite(() => api("POST", `/planning/open-shifts/claims/${assignment.id}/approve`), {
    onDone: closeDialog,
    touches: [shift],
  });
}

function setStatus(shift, assignment, status, { undo } = {}) {
  const write = (reason) =>
    api("POST", `/planning/assignments/${assignment.id}/status`, {
      status,
      ...overrideReason(reason),
    });
  return runWrite(write, { onDone: closeDialog, overridable: true, undo, touches: [shift] });
}

function setLocked(shift, assignment, locked) {
  const lock = (value, version) => patchAssignment(assignment, { locked: value }, version);
  return runWrite(() => lock(locked), {
    onDone: closeDialog,
    touches: [shift],
    undo: (result) => lock(!locked, result.version),
  });
}

const shiftAction = (shift, verb) => () => api("POST", `/planning/shifts/${shift.id}/${verb}`);

function cancelShift(shift) {
  askFirst(
    document.getElementById("shift-actions"),
    t("confirm_cancel_shift"),
    t("cancel_shift"),
    () =>
      runWrite(shiftAction(shift, "cancel"), {
        onDone: closeDialog,
        touches: [shift],
        undo: shiftAction(shift, "restore"),
      }),
  );
}

function restoreShift(shift) {
  return runWrite(shiftAction(shift, "restore"), {
    onDone: closeDialog,
    touches: [shift],
    undo: shiftAction(shift, "cancel"),
  });
}

/** The preview's verdict under its conflicts: "Confirm", disabled (and saying why) while a
 * double booking, which no one may override, is among them. */
export function confirmButton(conflicts, attrs) {
  const blocked = conflicts.some((c) => c.type === "hard" && c.rule === "double_booking");
  return [
    blocked ? el("p", { class: "error", id: "blocked-reason" }, t("blocked_double_booking")) : null,
    el(
      "button",
      {
        type: "button",
        class: "primary",
        disabled: blocked,
        "aria-describedby": blocked ? "blocked-reason" : null,
        ...attrs,
      },
      t("confirm"),
    ),
  ];
}

// ---------------------------------------------------------------- assigning
/**
 * "Find artists": the candidates ranked by fit, as the rules decide it (the same check as the
 * preview): those who fit first, each with what assigning him or her would cause.
 */
function candidatePanel(shift) {
  const list = el("div", { class: "candidates" });
  const qualifiedOnly = el("input", { type: "checkbox", id: "qualified-only" });
  const candidate = (c) => {
    const hard = c.conflicts.filter((conflict) => conflict.type === "hard");
    const soft = c.conflicts.filter((conflict) => conflict.type === "soft");
    const fit = [
      c.fits ? t("fit_ok") : "",
      c.skilled ? "" : t("fit_unqualified"),
      soft.length ? `${soft.length} ${t("fit_warnings")}` : "",
      `${fmtNumber(c.hours_this_week)} ${t("hours_week")}`,
    ];
    return el(
      "div",
      { class: `candidate ${c.fits ? "fits" : "misfit"}`, "data-fits": String(c.fits) },
      el("strong", {}, c.name),
      el("span", { class: "fit" }, fit.filter(Boolean).join(" · ")),
      hard.length ? el("span", { class: "conflict hard" }, hard[0].message) : "",
      el(
        "button",
        {
          type: "button",
          style: "margin-left:auto",
          "data-artist": c.id,
          onclick: () => previewAssignment(shift, c),
        },
        t("assign"),
      ),
    );
  };
  const find = async () => {
    list.replaceChildren(el("p", {}, t("loading")));
    const qualified = qualifiedOnly.checked ? "&qualified=true" : "";
    try {
      const data = await api(
        "GET",
        `/planning/shifts/${shift.id}/candidates?limit=100${qualified}`,
      );
      list.replaceChildren(...data.results.map(candidate));
    } catch (error) {
      list.replaceChildren(el("p", { class: "error" }, error.message));
    }
  };
  qualifiedOnly.addEventListener("change", find);
  const button = el(
    "button",
    { type: "button", id: "find-artists", onclick: find },
    t("find_artists"),
  );
  const toggle = el("label", { class: "toggle" }, qualifiedOnly, ` ${t("qualified_only")}`);
  return el("div", {}, button, toggle, list);
}

/** The conflicts assigning `candidate` ({id, name}) would raise, then "Confirm" (disabled on
 * a double booking) or "Cancel": back to the shift's dialog, or `onCancel` (the crew panel's
 * drop closes the dialog instead). */
export async function previewAssignment(shift, candidate, { onCancel = null } = {}) {
  rememberShift(shift.id);
  const title = `${t("assign")}: ${candidate.name}`;
  let conflicts = [];
  try {
    const data = await api("POST", "/planning/conflicts/preview", {
      assignments: [{ shift_id: shift.id, artist_id: candidate.id }],
    });
    conflicts = data.conflicts || [];
  } catch (error) {
    if (!error.conflicts?.length) {
      openDialog(title, errorBlock(error, null));
      return;
    }
    conflicts = error.conflicts;
  }
  const create = (reason) =>
    api("POST", "/planning/assignments", {
      shift_id: shift.id,
      artist_id: candidate.id,
      ...overrideReason(reason),
    });
  const confirm = () =>
    runWrite(create, {
      onDone: closeDialog,
      overridable: true,
      touches: [shift],
      undo: (result) => deleteAssignment(result.assignment, result.version),
    });
  openDialog(
    title,
    el("p", {}, t("preview_then_confirm")),
    conflictList(conflicts),
    el(
      "div",
      { class: "row-buttons" },
      el(
        "button",
        { type: "button", onclick: onCancel || (() => openShift(shift.id)) },
        t("cancel"),
      ),
      confirmButton(conflicts, { id: "confirm-assign", onclick: confirm }),
    ),
  );
}

/**
 * A datetime field read as wall-clock time in the organization's zone. `instant()` is the
 * ISO instant, or null (with the reason shown) when the clocks skip that time; when they
 * read it twice, a choice between its two instants appears next to it.
 */
function zonedTimeField(name, label, value) {
  const input = el("input", { type: "datetime-local", name, value, "aria-label": label });
  const note = el("span", { class: "time-note", "aria-live": "polite" });
  let choice = null;
  const check = () => {
    const instants = wallClockInstants(input.value);
    choice = null;
    note.replaceChildren();
    input.removeAttribute("aria-invalid");
    if (!input.value) return instants;
    if (!instants.length) {
      input.setAttribute("aria-invalid", "true");
      note.append(
        el("span", { class: "error" }, t("time_skipped").replace("{time}", input.value.slice(11))),
      );
    } else if (instants.length === 2) {
      choice = el(
        "select",
        { "aria-label": `${label}: ${t("time_twice")}`, class: "fold-choice" },
        instants.map((instant, i) =>
          el(
            "option",
            { value: i },
            `${fmtTime(instant.toISOString())} ${t(i ? "fold_second" : "fold_first")}`,
          ),
        ),
      );
      note.append(el("span", {}, t("time_twice")), choice);
    }
    return instants;
  };
  input.addEventListener("change", check);
  const instant = () => {
    const instants = wallClockInstants(input.value);
    if (!instants.length) {
      check();
      return null;
    }
    return instants[choice ? Number(choice.value) : 0].toISOString();
  };
  return { node: el("label", {}, label, input, note), input, instant, check };
}

/** Previews moving `shift` to `chosen` times into `out`: the conflicts, then "Confirm"
 * (disabled on a double booking); confirming saves, with "Undo". */
async function previewMove(shift, chosen, out) {
  const before = { start_at: shift.start_at, end_at: shift.end_at };
  const save = () =>
    runWrite((reason) => patchShift(shift, { ...chosen, ...overrideReason(reason) }), {
      onDone: closeDialog,
      overridable: true,
      touches: [shift, chosen],
      undo: (result) => patchShift(shift, before, result.version),
    });
  const proposed = {
    id: shift.id,
    mission_id: shift.mission_id,
    role_id: shift.role_id,
    headcount: shift.headcount,
    max_headcount: shift.max_headcount,
    break_minutes: shift.break_minutes,
    ...chosen,
  };
  let conflicts = [];
  try {
    const data = await api("POST", "/planning/conflicts/preview", { shifts: [proposed] });
    conflicts = data.conflicts || [];
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, error.message));
    return;
  }
  out.replaceChildren(
    el("p", {}, t("preview_then_confirm")),
    conflictList(conflicts),
    el(
      "div",
      { class: "row-buttons" },
      confirmButton(conflicts, { id: "confirm-move", onclick: save }),
    ),
  );
}

/** A shift dragged on the board to new times: the move previewed, to confirm or not. */
export function proposeMove(shiftId, startAt, endAt) {
  rememberShift(shiftId);
  const shift = shiftById(shiftId);
  if (!shift) return;
  const role = loaded.index.roles.get(shift.role_id);
  const out = el("div", {}, el("p", {}, t("loading")));
  openDialog(
    `${t("move")}: ${role?.name || ""}`,
    el(
      "p",
      { id: "move-summary" },
      `${fmtDateTime(shift.start_at)}–${fmtTime(shift.end_at)} → `,
      el("strong", {}, `${fmtDateTime(startAt)}–${fmtTime(endAt)}`),
    ),
    out,
  );
  previewMove(shift, { start_at: startAt, end_at: endAt }, out);
}

/** New start and end times, previewed for conflicts before they are saved. */
function moveForm(shift) {
  const start = zonedTimeField("start_at", t("start"), toZonedInput(shift.start_at));
  const end = zonedTimeField("end_at", t("end"), toZonedInput(shift.end_at));
  const out = el("div");
  const preview = () => {
    const [startAt, endAt] = [start.instant(), end.instant()];
    if (startAt && endAt) previewMove(shift, { start_at: startAt, end_at: endAt }, out);
  };
  return el(
    "div",
    { class: "grid-form" },
    start.node,
    end.node,
    el("button", { type: "button", id: "preview-move", onclick: preview }, t("save")),
    out,
  );
}

// ---------------------------------------------------------------- new shift
/** A shift in a mission of the range shown: from a template, or from free times. */
export async function newShift() {
  const [from, to] = rangeInstants();
  openDialog(t("new_shift"), el("p", {}, t("loading")));
  const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const [missions, roles, templates] = await Promise.all([
    apiAll(`/missions?${range}`),
    apiAll("/roles"),
    apiAll("/planning/shift-templates"),
  ]);
  const select = (name, items, extra = []) =>
    el(
      "select",
      { name },
      ...extra,
      ...items.map((item) => el("option", { value: item.id }, item.name)),
    );
  const input = (type, name, attrs) => el("input", { type, name, ...attrs });
  const start = zonedTimeField("start_at", t("start"), `${state.date}T18:00`);
  const end = zonedTimeField("end_at", t("end"), `${state.date}T23:00`);
  const form = el(
    "form",
    { class: "grid-form", id: "new-shift-form" },
    el("label", {}, t("mission"), select("mission_id", missions)),
    el(
      "label",
      {},
      t("template"),
      select("template", templates, [el("option", { value: "" }, t("no_template"))]),
    ),
    el("label", {}, t("date"), input("date", "date", { value: state.date })),
    el("label", {}, t("role"), select("role_id", roles)),
    start.node,
    end.node,
    el("label", {}, t("headcount"), input("number", "headcount", { min: 1, value: 1 })),
    el("label", {}, t("max_headcount"), input("number", "max_headcount", { min: 1, value: 2 })),
    el("label", {}, t("break_minutes"), input("number", "break_minutes", { min: 0, value: 0 })),
    el("button", { type: "submit", class: "primary" }, t("create")),
  );
  const out = el("div");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const fromTemplate = () =>
      api("POST", `/planning/shift-templates/${data.template}/instantiate`, {
        mission_id: data.mission_id,
        dates: [data.date],
      });
    const [startAt, endAt] = [start.instant(), end.instant()];
    if (!data.template && !(startAt && endAt)) return;
    const fromTimes = (reason) =>
      api("POST", "/planning/shifts", {
        mission_id: data.mission_id,
        role_id: data.role_id,
        start_at: startAt,
        end_at: endAt,
        headcount: Number(data.headcount),
        max_headcount: Number(data.max_headcount),
        break_minutes: Number(data.break_minutes),
        ...overrideReason(reason),
      });
    runWrite(data.template ? fromTemplate : fromTimes, {
      onDone: (result) => {
        if (result?.shift?.id) rememberShift(result.shift.id);
        closeDialog();
      },
      overridable: !data.template,
      errorTarget: out,
      undo: data.template ? undefined : (result) => deleteShift(result.shift, result.version),
    });
  });
  openDialog(t("new_shift"), form, out);
}
