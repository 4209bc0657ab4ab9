// "Copy the week" and "Copy the day": the shifts shown (through the filters, cancelled ones
// left out) copied some days later (seven for the week, to the date chosen for a day) as
// drafts without crew, each keeping its wall-clock times; a copy outside its mission or
// refused by a rule is listed as skipped. Both go through one preview, confirm and "Undo"
// (which deletes the copies). The server copies forwards only (`days` from 1 to 366).
import { api, el, t } from "../api.js";
import { DAY_MS, addDays, parseDay } from "./days.js";
import { closeDialog, openDialog, runWrite } from "./dialog.js";
import { shiftDescription } from "./render.js";
import { state, visibleShifts } from "./state.js";

const copyable = () => visibleShifts().filter((shift) => shift.status !== "cancelled");

/** Copies `shifts` `days()` days later on confirm; `done` lists what was skipped. */
function confirmCopy(title, shifts, days, ready) {
  const copy = () =>
    api("POST", "/planning/shifts/copy", { shift_ids: shifts.map((s) => s.id), days: days() });
  const deleteCopies = (result) =>
    Promise.all(result.created.map((id) => api("DELETE", `/planning/shifts/${id}`)));
  const done = (result) => {
    if (!result.skipped.length) return closeDialog();
    const names = new Map(shifts.map((s) => [s.id, s]));
    return openDialog(
      title,
      el("p", { id: "copy-result" }, `${result.created.length} ${t("copied")}`),
      el("h3", {}, `${result.skipped.length} ${t("skipped")}`),
      el(
        "ul",
        {},
        result.skipped.map((skip) =>
          el("li", {}, `${names.get(skip.shift_id)?.start_at.slice(0, 10) || ""} — ${skip.reason}`),
        ),
      ),
    );
  };
  return el(
    "div",
    { class: "row-buttons" },
    el("button", { type: "button", onclick: closeDialog }, t("cancel")),
    el(
      "button",
      {
        type: "button",
        class: "primary",
        id: "confirm-copy",
        disabled: !shifts.length || !ready,
        onclick: () => runWrite(copy, { onDone: done, undo: deleteCopies }),
      },
      t("confirm"),
    ),
  );
}

export function copyWeek() {
  const shifts = copyable();
  openDialog(
    t("copy_week"),
    el("p", {}, `${shifts.length} ${t("copy_week_question")}`),
    confirmCopy(t("copy_week"), shifts, () => 7, state.view === "week"),
  );
}

/** The day shown copied to a later date chosen in the dialog (day view only): the preview
 * lists the shifts, nothing is written until confirmed. */
export function copyDay() {
  const shifts = copyable()
    .slice()
    .sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at));
  const day = state.date;
  const target = el("input", {
    type: "date",
    id: "copy-day-target",
    name: "target",
    min: addDays(day, 1),
    max: addDays(day, 366),
    value: addDays(day, 1),
    required: true,
  });
  const days = () => Math.round((parseDay(target.value) - parseDay(day)) / DAY_MS);
  const buttons = confirmCopy(t("copy_day"), shifts, days, state.view === "day");
  const confirm = buttons.querySelector("#confirm-copy");
  target.addEventListener("input", () => {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(target.value) && days() >= 1 && days() <= 366;
    confirm.disabled = !shifts.length || !valid;
  });
  openDialog(
    t("copy_day"),
    el("p", {}, `${shifts.length} ${t("copy_day_question")}`),
    el("label", { for: "copy-day-target" }, t("copy_day_target")),
    " ",
    target,
    el(
      "ul",
      { id: "copy-preview", class: "copy-preview" },
      shifts.map((shift) => el("li", { "data-shift": shift.id }, shiftDescription(shift))),
    ),
    buttons,
  );
}
