// A shift's dialog (its crew and their statuses, conflicts, assigning from ranked
// candidates after a preview, moving, cancelling) and the new-shift form.
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
  zonedToDate,
} from "../api.js";
import {
  closeDialog,
  errorBlock,
  openDialog,
  overrideReason,
  rememberShift,
  runWrite,
} from "./dialog.js";
import { isActive, loaded, rangeInstants, shiftById, state } from "./state.js";

export function openShift(shiftId) {
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
    ...shift.assignments.map((assignment) => assignmentRow(assignment, shift)),
  ];
  if (config.canEdit && shift.status === "published") parts.push(crewButtons(shift));
  if (config.canEdit && shift.status !== "cancelled") {
    parts.push(
      el("h3", {}, t("assign")),
      candidatePanel(shift),
      el("h3", {}, t("move")),
      moveForm(shift),
      el(
        "div",
        { class: "row-buttons" },
        el("button", { type: "button", onclick: () => cancelShift(shift) }, t("cancel_shift")),
      ),
    );
  }
  openDialog(`${role?.name || ""} · ${fmtTime(shift.start_at)}–${fmtTime(shift.end_at)}`, ...parts);
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
function assignmentRow(assignment, shift) {
  const artist = loaded.index.artists.get(assignment.artist_id);
  const buttons = [];
  const act = (label, onclick) =>
    buttons.push(
      el(
        "button",
        { type: "button", "aria-label": `${label} – ${artist?.name || ""}`, onclick },
        label,
      ),
    );
  if (config.canEdit) {
    // A crew member's claim of an open shift is approved, not invited; invitations are
    // for published shifts only (a draft is published first).
    const claim = assignment.status === "proposed" && assignment.source === "claim";
    if (claim) act(t("approve_claim"), () => approveClaim(assignment));
    else if (assignment.status === "proposed" && shift.status === "published")
      act(t("invite"), () => invite(assignment));
    if (assignment.status === "invited") {
      act(t("accept"), () => setStatus(assignment, "accepted"));
      act(t("decline"), () => setStatus(assignment, "declined"));
    }
    if (isActive(assignment)) {
      act(assignment.locked ? t("unlock") : t("lock"), () =>
        setLocked(assignment, !assignment.locked),
      );
      act(t("cancel"), () => setStatus(assignment, "cancelled"));
    }
  }
  return el(
    "div",
    { class: "assignment-row", "data-assignment": assignment.id },
    el("strong", {}, artist?.name || "?"),
    el("span", { class: `chip ${assignment.status}` }, t(assignment.status)),
    assignment.locked ? el("span", { class: "pill" }, `🔒 ${t("locked_flag")}`) : null,
    el("span", { class: "row-buttons", style: "margin-left:auto" }, buttons),
  );
}

function invite(assignment) {
  return runWrite(() => api("POST", "/invitations", { assignment_id: assignment.id }), {
    onDone: closeDialog,
  });
}

function approveClaim(assignment) {
  return runWrite(() => api("POST", `/planning/open-shifts/claims/${assignment.id}/approve`), {
    onDone: closeDialog,
  });
}

function setStatus(assignment, status) {
  const write = (reason) =>
    api("POST", `/planning/assignments/${assignment.id}/status`, {
      status,
      ...overrideReason(reason),
    });
  return runWrite(write, { onDone: closeDialog, overridable: true });
}

function setLocked(assignment, locked) {
  return runWrite(() => api("PATCH", `/planning/assignments/${assignment.id}`, { locked }), {
    onDone: closeDialog,
  });
}

function cancelShift(shift) {
  if (!window.confirm(t("confirm_cancel_shift"))) return false;
  return runWrite(() => api("POST", `/planning/shifts/${shift.id}/cancel`), {
    onDone: closeDialog,
  });
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

/** The conflicts assigning `candidate` would raise, then confirm (or go back to the shift). */
async function previewAssignment(shift, candidate) {
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
  const confirm = () => runWrite(create, { onDone: closeDialog, overridable: true });
  openDialog(
    title,
    el("p", {}, t("preview_then_confirm")),
    conflictList(conflicts),
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: () => openShift(shift.id) }, t("cancel")),
      el(
        "button",
        { type: "button", class: "primary", id: "confirm-assign", onclick: confirm },
        t("confirm"),
      ),
    ),
  );
}

/** New start and end times, previewed for conflicts before they are saved. */
function moveForm(shift) {
  const start = el("input", {
    type: "datetime-local",
    value: toZonedInput(shift.start_at),
    "aria-label": t("start"),
  });
  const end = el("input", {
    type: "datetime-local",
    value: toZonedInput(shift.end_at),
    "aria-label": t("end"),
  });
  const out = el("div");
  const times = () => ({
    start_at: zonedToDate(start.value).toISOString(),
    end_at: zonedToDate(end.value).toISOString(),
  });
  const save = () =>
    runWrite(
      (reason) =>
        api("PATCH", `/planning/shifts/${shift.id}`, { ...times(), ...overrideReason(reason) }),
      { onDone: closeDialog, overridable: true },
    );
  const preview = async () => {
    if (!start.value || !end.value) return;
    const proposed = {
      id: shift.id,
      mission_id: shift.mission_id,
      role_id: shift.role_id,
      headcount: shift.headcount,
      max_headcount: shift.max_headcount,
      break_minutes: shift.break_minutes,
      ...times(),
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
      el("button", { type: "button", class: "primary", onclick: save }, t("confirm")),
    );
  };
  return el(
    "div",
    { class: "grid-form" },
    el("label", {}, t("start"), start),
    el("label", {}, t("end"), end),
    el("button", { type: "button", onclick: preview }, t("save")),
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
    el(
      "label",
      {},
      t("start"),
      input("datetime-local", "start_at", { value: `${state.date}T18:00` }),
    ),
    el("label", {}, t("end"), input("datetime-local", "end_at", { value: `${state.date}T23:00` })),
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
    const fromTimes = (reason) =>
      api("POST", "/planning/shifts", {
        mission_id: data.mission_id,
        role_id: data.role_id,
        start_at: zonedToDate(data.start_at).toISOString(),
        end_at: zonedToDate(data.end_at).toISOString(),
        headcount: Number(data.headcount),
        max_headcount: Number(data.max_headcount),
        break_minutes: Number(data.break_minutes),
        ...overrideReason(reason),
      });
    runWrite(data.template ? fromTemplate : fromTimes, {
      onDone: closeDialog,
      overridable: !data.template,
      errorTarget: out,
    });
  });
  openDialog(t("new_shift"), form, out);
}
