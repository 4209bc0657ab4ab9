// The "unfilled" panel beside the board: the shifts of the range shown (through the filters)
// still short of their headcount, by start, each with what it lacks and a quick "Assign"
// that opens its candidates at once.
import { config, el, fmtDateTime, fmtTime, t } from "../api.js";
import { focusShift } from "./keys.js";
import { openShift } from "./shift-dialog.js";
import { activeAssignments, loaded, unfilledShifts } from "./state.js";

const panel = () => document.getElementById("unfilled");
const toggle = () => document.getElementById("toggle-unfilled");

function item(shift) {
  const index = loaded.index;
  const role = index.roles.get(shift.role_id)?.name || "";
  const mission = index.missions.get(shift.mission_id)?.name || "";
  const missing = shift.headcount - activeAssignments(shift).length;
  const when = `${fmtDateTime(shift.start_at)}–${fmtTime(shift.end_at)}`;
  return el(
    "li",
    { "data-unfilled": shift.id },
    el(
      "button",
      {
        type: "button",
        class: "link unfilled-show",
        onclick: () => focusShift(shift.id),
      },
      el("strong", {}, role),
      el("span", {}, when),
      el("span", { class: "muted" }, mission),
      el("span", { class: "visually-hidden" }, ` (${t("show_on_board")})`),
    ),
    el("span", { class: "missing" }, `${t("missing")} ${missing}`),
    config.canEdit
      ? el(
          "button",
          {
            type: "button",
            class: "primary",
            "data-quick-assign": shift.id,
            "aria-label": `${t("assign")}: ${role}, ${when}`,
            onclick: () => openShift(shift.id, { findArtists: true }),
          },
          t("assign"),
        )
      : null,
  );
}

/** Fills the panel from what is drawn; the toggle counts the shifts short. */
export function drawUnfilled() {
  if (!loaded.payload) return;
  const shifts = unfilledShifts();
  toggle().textContent = `${t("unfilled_panel")} (${shifts.length})`;
  if (panel().hidden) return;
  panel().replaceChildren(
    el("h2", { id: "unfilled-title" }, `${t("unfilled_panel")} · ${shifts.length}`),
    shifts.length
      ? el("ol", { class: "unfilled-list" }, shifts.map(item))
      : el("p", { class: "muted" }, t("all_filled")),
  );
}

export function wireUnfilled() {
  toggle().addEventListener("click", () => {
    panel().hidden = !panel().hidden;
    toggle().setAttribute("aria-expanded", String(!panel().hidden));
    drawUnfilled();
  });
  document.getElementById("board").addEventListener("board:drawn", drawUnfilled);
}
