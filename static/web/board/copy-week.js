// "Copy the week" and "Copy the day": the shifts shown (through the filters, cancelled ones
// left out) copied to another week or day, earlier or later (up to a year either way), as
// drafts without crew, each keeping its wall-clock times. The dialog previews the copy for
// the target chosen (POST /planning/shifts/copy/preview runs the copy's own checks and writes
// nothing): how many copies would be created, and which would be skipped (outside their
// mission, refused by a rule) and why. "Confirmer" is enabled only once the preview of the
// current target answered with something to create; then the copy, and "Undo" (which deletes
// the copies).
import { ApiError, api, el, t } from "../api.js";
import { DAY_MS, addDays, daysOfView, parseDay } from "./days.js";
import { closeDialog, errorBlock, openDialog, runWrite } from "./dialog.js";
import { shiftDescription } from "./render.js";
import { state, visibleShifts } from "./state.js";

const PREVIEW_DELAY_MS = 250;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
// How far a copy reaches: 52 weeks for a week, a year (leap day included) for a day, as the
// API's `days` allows (−366 to 366).
const WEEKS_REACH = 364;
const DAYS_REACH = 366;

const copyable = () => visibleShifts().filter((shift) => shift.status !== "cancelled");
const daysBetween = (from, to) => Math.round((parseDay(to) - parseDay(from)) / DAY_MS);
const body = (shifts, days) => ({ shift_ids: shifts.map((s) => s.id), days });

/** The copies refused, each as its shift's description and the reason. */
function skippedList(skipped, shifts) {
  const byId = new Map(shifts.map((s) => [s.id, s]));
  return el(
    "ul",
    { class: "copy-skipped" },
    skipped.map((skip) => {
      const shift = byId.get(skip.shift_id);
      const name = shift ? shiftDescription(shift) : skip.shift_id;
      return el("li", { "data-shift": skip.shift_id }, `${name} — ${skip.reason}`);
    }),
  );
}

/** "Cancel" and "Confirmer" (disabled until a preview allows it): copies `shifts` `days()`
 * days away on confirm; `done` lists what was skipped. */
function confirmCopy(title, shifts, days) {
  const copy = () => api("POST", "/planning/shifts/copy", body(shifts, days()));
  const deleteCopies = (result) =>
    Promise.all(result.created.map((id) => api("DELETE", `/planning/shifts/${id}`)));
  const done = (result) => {
    if (!result.skipped.length) return closeDialog();
    return openDialog(
      title,
      el("p", { id: "copy-result" }, `${result.created.length} ${t("copied")}`),
      el("h3", {}, `${result.skipped.length} ${t("skipped")}`),
      skippedList(result.skipped, shifts),
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
        disabled: true,
        onclick: () => runWrite(copy, { onDone: done, undo: deleteCopies }),
      },
      t("confirm"),
    ),
  );
}

/** Shows in `box` what copying `shifts` `days()` days away would do, asked `delay` ms after
 * the last call (the target changes as it is typed); an answer for an earlier target is
 * dropped. `confirm` is enabled only by the answer for the current target, when it creates
 * something. */
function previewer({ shifts, ready, days, valid, box, confirm }) {
  let asked = 0;
  let timer = null;
  const ask = async (number) => {
    let preview;
    try {
      preview = await api("POST", "/planning/shifts/copy/preview", body(shifts, days()));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (number === asked) box.replaceChildren(errorBlock(error, null));
      return;
    }
    if (number !== asked) return;
    box.replaceChildren(
      el("p", { id: "copy-preview-count" }, `${preview.created.length} ${t("copy_will_create")}`),
      preview.skipped.length
        ? el("p", {}, `${preview.skipped.length} ${t("copy_will_skip")}`)
        : null,
      preview.skipped.length ? skippedList(preview.skipped, shifts) : null,
    );
    confirm.disabled = !preview.created.length;
  };
  return (delay = PREVIEW_DELAY_MS) => {
    asked += 1;
    const number = asked;
    confirm.disabled = true;
    clearTimeout(timer);
    if (!shifts.length || !ready) return box.replaceChildren();
    if (!valid()) return box.replaceChildren(el("p", { class: "error" }, t("copy_target_invalid")));
    box.replaceChildren(el("p", {}, t("loading")));
    timer = setTimeout(() => ask(number), delay);
    return undefined;
  };
}

/** The target picker: a date input `reach` days either way of `from`, `first` chosen. */
function targetInput(id, from, reach, first, attributes = {}) {
  return el("input", {
    type: "date",
    id,
    name: "target",
    min: addDays(from, -reach),
    max: addDays(from, reach),
    value: first,
    required: true,
    ...attributes,
  });
}

/** The copy dialog: the question, the target picker, `extra` content, the preview and the
 * buttons; the preview runs on opening and again whenever the target changes (unless the
 * board is not in the dialog's view: not `ready`). A target is valid when it is a date
 * other than the source's, at most `reach` days away. */
function copyDialog({ title, question, label, target, shifts, ready, days, reach, extra = null }) {
  const valid = () => DAY_PATTERN.test(target.value) && days() !== 0 && Math.abs(days()) <= reach;
  const result = el("div", { id: "copy-preview-result", "aria-live": "polite" });
  const buttons = confirmCopy(title, shifts, days);
  const confirm = buttons.querySelector("#confirm-copy");
  const preview = previewer({ shifts, ready, days, valid, box: result, confirm });
  target.addEventListener("input", () => preview());
  openDialog(
    title,
    el("p", {}, `${shifts.length} ${question}`),
    el("label", { for: target.id }, label),
    " ",
    target,
    extra,
    result,
    buttons,
  );
  preview(0);
}

/** The week shown copied to another week, 52 weeks before to 52 after (week view only). The
 * target is any day of that week: its Monday counts. */
export function copyWeek() {
  const shifts = copyable();
  const monday = daysOfView("week", state.date)[0];
  const target = targetInput("copy-week-target", monday, WEEKS_REACH, addDays(monday, 7), {
    step: 7,
  });
  const days = () => daysBetween(monday, daysOfView("week", target.value)[0]);
  copyDialog({
    title: t("copy_week"),
    question: t("copy_week_question"),
    label: t("copy_week_target"),
    target,
    shifts,
    ready: state.view === "week",
    days,
    reach: WEEKS_REACH,
  });
}

/** The day shown copied to another date, a year before to a year after (day view only); the
 * day's shifts are listed. */
export function copyDay() {
  const shifts = copyable()
    .slice()
    .sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at));
  const day = state.date;
  const target = targetInput("copy-day-target", day, DAYS_REACH, addDays(day, 1));
  const days = () => daysBetween(day, target.value);
  copyDialog({
    title: t("copy_day"),
    question: t("copy_day_question"),
    label: t("copy_day_target"),
    target,
    shifts,
    ready: state.view === "day",
    days,
    reach: DAYS_REACH,
    extra: el(
      "ul",
      { id: "copy-preview", class: "copy-preview" },
      shifts.map((shift) => el("li", { "data-shift": shift.id }, shiftDescription(shift))),
    ),
  });
}
