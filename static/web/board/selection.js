// Several shifts selected at once (Shift- or Ctrl-click on bars, Space on the focused bar)
// and acted on together from the selection bar: publish, invite the proposed crew, cancel,
// delete drafts. Each action asks first and is one request, all or nothing on the server;
// cancelling offers "Undo" (a bulk restore) like every other write of the board.
import { api, config, el, t } from "../api.js";
import { runWrite } from "./dialog.js";
import { shiftById } from "./state.js";

/** The ids of the shifts selected; kept across redraws, pruned of shifts no longer shown. */
export const selected = new Set();

const bar = () => document.getElementById("selection-bar");
const board = () => document.getElementById("board");

/** Marks a drawn bar as selected or not (class and accessible name). */
export function markBar(node, on) {
  node.classList.toggle("selected", on);
  const label = node.getAttribute("aria-label") || "";
  const flag = ` · ${t("selected_flag")}`;
  const plain = label.endsWith(flag) ? label.slice(0, -flag.length) : label;
  node.setAttribute("aria-label", on ? `${plain}${flag}` : plain);
}

export function toggleSelected(shiftId) {
  if (!config.canEdit) return;
  if (selected.has(shiftId)) selected.delete(shiftId);
  else selected.add(shiftId);
  const node = board().querySelector(`.bar[data-shift="${shiftId}"]`);
  if (node) markBar(node, selected.has(shiftId));
  showBar();
}

export function clearSelection() {
  selected.clear();
  for (const node of board().querySelectorAll(".bar.selected")) markBar(node, false);
  showBar();
}

/** After a redraw: forget what is no longer loaded, mark the bars, show the bar. */
export function applySelection() {
  for (const id of [...selected]) if (!shiftById(id)) selected.delete(id);
  for (const id of selected) {
    const node = board().querySelector(`.bar[data-shift="${id}"]`);
    if (node) markBar(node, true);
  }
  showBar();
}

function chosen() {
  return [...selected].map(shiftById).filter(Boolean);
}

/** The selection's parts each action applies to. */
function parts() {
  const shifts = chosen();
  const live = shifts.filter((s) => s.status !== "cancelled");
  return {
    publish: live.map((s) => s.id),
    cancel: live.map((s) => s.id),
    drafts: shifts.filter((s) => s.status === "draft").map((s) => s.id),
    invite: shifts
      .filter((s) => s.status === "published")
      .flatMap((s) => s.assignments)
      .filter((a) => a.status === "proposed" && a.source !== "claim")
      .map((a) => a.id),
  };
}

const ACTIONS = [
  {
    key: "publish",
    label: "bulk_publish",
    ids: (p) => p.publish,
    write: (ids) => api("POST", "/planning/publish", { shift_ids: ids }),
  },
  {
    key: "invite",
    label: "bulk_invite",
    ids: (p) => p.invite,
    write: (ids) => api("POST", "/invitations/bulk", { assignment_ids: ids }),
  },
  {
    key: "cancel",
    label: "bulk_cancel",
    ids: (p) => p.cancel,
    write: (ids) => api("POST", "/planning/shifts/bulk", { action: "cancel", shift_ids: ids }),
    undo: (ids) => api("POST", "/planning/shifts/bulk", { action: "restore", shift_ids: ids }),
    danger: true,
  },
  {
    key: "delete",
    label: "bulk_delete_drafts",
    ids: (p) => p.drafts,
    write: (ids) => api("POST", "/planning/shifts/bulk", { action: "delete", shift_ids: ids }),
    danger: true,
  },
];

/** "Publish 3 shifts?" in place of the buttons: the action runs only on "yes". */
function ask(action, ids) {
  const box = bar();
  const buttons = box.querySelector(".selection-actions");
  const keep = el("button", { type: "button", onclick: showBar }, t("keep"));
  const yes = async () => {
    const done = await runWrite(() => action.write(ids), {
      undo: action.undo ? () => action.undo(ids) : undefined,
    });
    if (done) clearSelection();
  };
  buttons.replaceChildren(
    el(
      "span",
      { class: "ask", role: "alert" },
      `${t(action.label)} : ${ids.length} ${t(action.key === "invite" ? "bookings_word" : "shifts_word")} ?`,
    ),
    keep,
    el(
      "button",
      {
        type: "button",
        class: action.danger ? "danger" : "primary",
        id: "selection-confirm",
        onclick: yes,
      },
      t(action.label),
    ),
  );
  keep.focus();
}

/** The selection bar: the count, an action per kind (disabled when none applies), "Clear". */
export function showBar() {
  const box = bar();
  if (!box) return;
  box.hidden = selected.size === 0;
  if (box.hidden) return;
  const p = parts();
  box.replaceChildren(
    el(
      "span",
      { class: "selection-count", id: "selection-count" },
      `${selected.size} ${t("selected_count")}`,
    ),
    el(
      "span",
      { class: "selection-actions row-buttons" },
      ACTIONS.map((action) => {
        const ids = action.ids(p);
        return el(
          "button",
          {
            type: "button",
            "data-bulk": action.key,
            disabled: ids.length === 0,
            onclick: () => ask(action, ids),
          },
          `${t(action.label)} (${ids.length})`,
        );
      }),
      el(
        "button",
        { type: "button", id: "selection-clear", onclick: clearSelection },
        t("clear_selection"),
      ),
    ),
  );
}

/** Shift-, Ctrl- or Cmd-click on a bar selects it instead of opening it; Space on the
 * focused bar does the same; Escape (no dialog open) clears the selection. */
export function wireSelection() {
  board().addEventListener("board:drawn", applySelection);
  board().addEventListener(
    "click",
    (event) => {
      const node = event.target.closest(".bar");
      if (!node || !(event.shiftKey || event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      event.stopPropagation();
      toggleSelected(node.dataset.shift);
      // A focused narrow bar widens over its neighbours: let go of it, the next one is
      // probably right beside it.
      node.blur();
    },
    true,
  );
  board().addEventListener("keydown", (event) => {
    const node = event.target.closest(".bar");
    if (!node || event.key !== " ") return;
    event.preventDefault(); // a button's Space would open the shift
    toggleSelected(node.dataset.shift);
  });
  board().addEventListener("keyup", (event) => {
    if (event.key === " " && event.target.closest(".bar")) event.preventDefault();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !selected.size) return;
    if (document.getElementById("dialog").open) return;
    clearSelection();
  });
}
