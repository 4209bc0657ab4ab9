// Dragging a bar on a day or a week: the middle moves the shift, the right edge changes its
// end, both by steps of 15 minutes, the new times shown on the bar as it goes. Letting go
// opens the move's preview (its conflicts, then "Confirm"); Escape gives up.
import { config } from "../api.js";
import { proposeMove } from "./shift-dialog.js";

const STEP_MS = 15 * 60000;
const EDGE_PX = 8;
const THRESHOLD_PX = 4;
let drag = null;
let justDragged = false;

const timeFormat = () =>
  new Intl.DateTimeFormat(config.lang || "en", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: config.org?.timezone,
  });

function times(current) {
  const delta = Math.round((current.dx * current.msPerPx) / STEP_MS) * STEP_MS;
  const start = current.start + (current.mode === "move" ? delta : 0);
  const end = Math.max(current.end + delta, start + STEP_MS);
  return { start, end, delta };
}

function onDown(event) {
  const bar = event.target.closest(".bar");
  if (!bar || event.button !== 0 || !config.canEdit || bar.classList.contains("status-cancelled")) {
    return;
  }
  const lanes = bar.parentElement.getBoundingClientRect();
  const [from, to] = JSON.parse(document.getElementById("board").dataset.range || "[0,0]");
  const box = bar.getBoundingClientRect();
  drag = {
    bar,
    x: event.clientX,
    dx: 0,
    moving: false,
    mode: event.clientX > box.right - EDGE_PX ? "resize" : "move",
    msPerPx: (to - from) / lanes.width,
    start: Date.parse(bar.dataset.startAt),
    end: Date.parse(bar.dataset.endAt),
    width: (parseFloat(bar.dataset.width) / 100) * lanes.width,
  };
}

function onMove(event) {
  if (!drag) return;
  drag.dx = event.clientX - drag.x;
  if (!drag.moving && Math.abs(drag.dx) < THRESHOLD_PX) return;
  drag.moving = true;
  const { start, end, delta } = times(drag);
  const px = delta / drag.msPerPx;
  drag.bar.classList.add("dragging");
  if (drag.mode === "move") drag.bar.style.translate = `${px}px 0`;
  else drag.bar.style.width = `${Math.max(drag.width + px, 8)}px`;
  const fmt = timeFormat();
  drag.bar.dataset.dragLabel = `${fmt.format(start)}–${fmt.format(end)}`;
}

function reset() {
  if (!drag) return;
  drag.bar.classList.remove("dragging");
  drag.bar.style.translate = "";
  if (drag.mode === "resize") drag.bar.style.width = drag.bar.dataset.width;
  delete drag.bar.dataset.dragLabel;
  drag = null;
}

function onUp() {
  if (!drag) return;
  const current = drag;
  const { start, end } = times(current);
  reset();
  if (!current.moving) return;
  justDragged = true;
  setTimeout(() => {
    justDragged = false;
  }, 0);
  if (start !== current.start || end !== current.end) {
    proposeMove(
      current.bar.dataset.shift,
      new Date(start).toISOString(),
      new Date(end).toISOString(),
    );
  }
}

export function wireDrag() {
  const board = document.getElementById("board");
  board.addEventListener("pointerdown", onDown);
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  window.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drag) reset();
  });
  // The click that ends a drag does not open the shift.
  board.addEventListener(
    "click",
    (event) => {
      if (justDragged) event.stopPropagation();
    },
    true,
  );
}
