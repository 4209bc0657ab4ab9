// "Copy the week": the shifts shown (through the filters, cancelled ones left out) copied
// seven days later as drafts without crew, each keeping its wall-clock times; a copy outside
// its mission or refused by a rule is listed as skipped. "Undo" deletes the copies.
import { api, el, t } from "../api.js";
import { closeDialog, openDialog, runWrite } from "./dialog.js";
import { state, visibleShifts } from "./state.js";

export function copyWeek() {
  const shifts = visibleShifts().filter((shift) => shift.status !== "cancelled");
  const copy = () =>
    api("POST", "/planning/shifts/copy", { shift_ids: shifts.map((s) => s.id), days: 7 });
  const deleteCopies = (result) =>
    Promise.all(result.created.map((id) => api("DELETE", `/planning/shifts/${id}`)));
  const done = (result) => {
    if (!result.skipped.length) return closeDialog();
    const names = new Map(shifts.map((s) => [s.id, s]));
    return openDialog(
      t("copy_week"),
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
  openDialog(
    t("copy_week"),
    el("p", {}, `${shifts.length} ${t("copy_week_question")}`),
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: closeDialog }, t("cancel")),
      el(
        "button",
        {
          type: "button",
          class: "primary",
          id: "confirm-copy",
          disabled: !shifts.length || state.view !== "week",
          onclick: () => runWrite(copy, { onDone: done, undo: deleteCopies }),
        },
        t("confirm"),
      ),
    ),
  );
}
