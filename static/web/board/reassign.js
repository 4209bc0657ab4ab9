// Moving a person from one shift onto another: drag a crew member's chip from a bar onto
// another bar, or with the keyboard press "m" on a shift to pick one of its crew, then
// Enter on the target shift. Either way the move is previewed first (the conflicts the
// person would have there, "Confirm" disabled on a double booking) and saved in one request
// (POST /planning/assignments/{id}/move), with "Undo" (the move back).
import { api, config, conflictList, el, fmtDateTime, fmtTime, t } from "../api.js";
import {
  closeDialog,
  errorBlock,
  openDialog,
  overrideReason,
  rememberShift,
  runWrite,
} from "./dialog.js";
import { confirmButton } from "./shift-dialog.js";
import { activeAssignments, loaded, shiftById } from "./state.js";

let picked = null; // { assignment, shift } chosen to be moved
let dragging = null; // { assignment, shift, ghost, x, y, moving }
let justDropped = false;

const board = () => document.getElementById("board");
const status = () => document.getElementById("board-status");
const nameOf = (assignment) => loaded.index.artists.get(assignment.artist_id)?.name || "?";
const when = (shift) => `${fmtDateTime(shift.start_at)}–${fmtTime(shift.end_at)}`;
const roleOf = (shift) => loaded.index.roles.get(shift.role_id)?.name || "";

function pick(shift, assignment) {
  picked = { shift, assignment };
  board().classList.add("picking");
  status().textContent = t("move_person_pick").replace("{name}", nameOf(assignment));
}

export function dropPick() {
  picked = null;
  board().classList.remove("picking");
}

/** "m" on a shift: its one crew member, or a choice between them, to be moved. */
function pickFrom(shiftId) {
  const shift = shiftById(shiftId);
  const crew = shift ? activeAssignments(shift) : [];
  if (!crew.length) {
    status().textContent = t("move_person_nobody");
    return;
  }
  if (crew.length === 1) {
    pick(shift, crew[0]);
    return;
  }
  openDialog(
    t("move_person_who"),
    el(
      "div",
      { class: "row-buttons", id: "pick-person" },
      crew.map((assignment) =>
        el(
          "button",
          {
            type: "button",
            "data-pick": assignment.id,
            onclick: () => {
              closeDialog();
              pick(shift, assignment);
            },
          },
          nameOf(assignment),
        ),
      ),
    ),
  );
}

/** The move of the picked person onto `targetId` previewed, then confirmed (or not). */
async function propose(source, assignment, targetId) {
  dropPick();
  const target = shiftById(targetId);
  if (!target || target.id === source.id) return;
  rememberShift(target.id);
  const name = nameOf(assignment);
  const title = `${t("move_person")} : ${name}`;
  let conflicts = [];
  try {
    const data = await api("POST", "/planning/conflicts/preview", {
      assignments: [{ id: assignment.id, shift_id: target.id, artist_id: assignment.artist_id }],
    });
    conflicts = data.conflicts || [];
  } catch (error) {
    if (!error.conflicts?.length) {
      openDialog(title, errorBlock(error, null));
      return;
    }
    conflicts = error.conflicts;
  }
  const move = (id, shiftId) => (reason) =>
    api("POST", `/planning/assignments/${id}/move`, {
      shift_id: shiftId,
      ...overrideReason(reason),
    });
  const confirm = () =>
    runWrite(move(assignment.id, target.id), {
      onDone: closeDialog,
      overridable: true,
      touches: [source, target],
      undo: (result) => move(result.assignment.id, source.id)(),
    });
  openDialog(
    title,
    el(
      "p",
      { id: "move-person-summary" },
      `${roleOf(source)}, ${when(source)} → `,
      el("strong", {}, `${roleOf(target)}, ${when(target)}`),
    ),
    el("p", {}, t("preview_then_confirm")),
    conflictList(conflicts),
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: closeDialog }, t("cancel")),
      confirmButton(conflicts, { id: "confirm-move-person", onclick: confirm }),
    ),
  );
}

// ---------------------------------------------------------------- mouse
function onDown(event) {
  const chip = event.target.closest(".chip[data-assignment]");
  const bar = chip?.closest(".bar");
  if (!chip || !bar || event.button !== 0 || !config.canEdit) return;
  const shift = shiftById(bar.dataset.shift);
  const assignment = shift?.assignments.find((a) => a.id === chip.dataset.assignment);
  if (!assignment) return;
  event.stopPropagation(); // a chip drags its person, not its bar
  dragging = { shift, assignment, x: event.clientX, y: event.clientY, moving: false, ghost: null };
}

function targetAt(x, y) {
  const bar = document.elementFromPoint(x, y)?.closest?.(".bar");
  return bar &&
    bar.dataset.shift !== dragging.shift.id &&
    !bar.classList.contains("status-cancelled")
    ? bar
    : null;
}

function onMove(event) {
  if (!dragging) return;
  if (!dragging.moving && Math.hypot(event.clientX - dragging.x, event.clientY - dragging.y) < 4) {
    return;
  }
  if (!dragging.moving) {
    dragging.moving = true;
    dragging.ghost = el(
      "div",
      { class: "person-ghost", "aria-hidden": "true" },
      nameOf(dragging.assignment),
    );
    document.body.append(dragging.ghost);
  }
  dragging.ghost.style.left = `${event.clientX + 8}px`;
  dragging.ghost.style.top = `${event.clientY + 8}px`;
  for (const node of board().querySelectorAll(".bar.drop-target"))
    node.classList.remove("drop-target");
  dragging.ghost.hidden = true; // not under the pointer when looking for the target
  targetAt(event.clientX, event.clientY)?.classList.add("drop-target");
  dragging.ghost.hidden = false;
}

function onUp(event) {
  if (!dragging) return;
  const current = dragging;
  current.ghost?.remove();
  for (const node of board().querySelectorAll(".bar.drop-target"))
    node.classList.remove("drop-target");
  const target = current.moving ? targetAt(event.clientX, event.clientY) : null;
  dragging = null;
  if (!current.moving) return;
  justDropped = true;
  setTimeout(() => {
    justDropped = false;
  }, 0);
  if (target) propose(current.shift, current.assignment, target.dataset.shift);
}

export function wireReassign() {
  if (!config.canEdit) return;
  board().addEventListener("pointerdown", onDown, true);
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  // With a person picked, a click (or Enter) on a bar is the move's target, not "open".
  board().addEventListener(
    "click",
    (event) => {
      if (justDropped) {
        event.stopPropagation();
        return;
      }
      const bar = event.target.closest(".bar");
      if (!picked || !bar || event.shiftKey || event.ctrlKey || event.metaKey) return;
      event.stopPropagation();
      propose(picked.shift, picked.assignment, bar.dataset.shift);
    },
    true,
  );
  board().addEventListener("keydown", (event) => {
    const bar = event.target.closest(".bar");
    if (!bar || event.key !== "m" || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    pickFrom(bar.dataset.shift);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && picked && !document.getElementById("dialog").open) {
      dropPick();
      status().textContent = t("move_person_dropped");
    }
    if (event.key === "Escape" && dragging) {
      dragging.ghost?.remove();
      dragging = null;
    }
  });
}
