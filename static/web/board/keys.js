// The keyboard on the board: one tab stop for all the bars (a roving tab index), arrows to
// move in time (left, right) and between rows (up, down), Home and End, Enter to open, "+"
// and "-" to zoom the time axis (around the focused bar), and "?" for the list of
// shortcuts. A month moves over its day cells the same way.
import { el, t } from "../api.js";
import { openDialog } from "./dialog.js";
import { zoomBy } from "./render.js";

const ITEMS = ".bar, .cell";
let current = null; // the shift id (or "row:day" of a cell) holding the tab stop

const board = () => document.getElementById("board");
const keyOf = (item) => item.dataset.shift || `${item.dataset.row}:${item.dataset.day}`;

/** The bars or cells in time order (then row order). */
function itemsInTime() {
  return [...board().querySelectorAll(ITEMS)].sort(
    (a, b) => a.dataset.start - b.dataset.start || a.dataset.row - b.dataset.row,
  );
}

/** Gives the tab stop to `item` (or to the one remembered, else the first in time). */
export function setRoving(item = null) {
  const items = itemsInTime();
  const target =
    item || items.find((candidate) => keyOf(candidate) === current) || items[0] || null;
  for (const candidate of items) candidate.tabIndex = candidate === target ? 0 : -1;
  if (target) current = keyOf(target);
  return target;
}

/** Moves the tab stop and the focus to the bar of `shiftId` (or the cell holding it). */
export function focusShift(shiftId) {
  const item =
    board().querySelector(`.bar[data-shift="${shiftId}"]`) ||
    [...board().querySelectorAll(".cell")].find((cell) =>
      cell.dataset.shifts.split(" ").includes(shiftId),
    );
  if (!item) return false;
  setRoving(item);
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: "nearest", inline: "nearest" });
  return true;
}

/** The first bar (or cell) focused: where the skip link lands. */
export function focusBoard() {
  const item = setRoving();
  if (item) {
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest", inline: "nearest" });
  } else board().focus();
}

function nextItem(item, key) {
  const items = itemsInTime();
  const at = items.indexOf(item);
  if (key === "ArrowRight") return items[at + 1];
  if (key === "ArrowLeft") return items[at - 1];
  if (key === "Home") return items[0];
  if (key === "End") return items[items.length - 1];
  const rows = [...new Set(items.map((i) => Number(i.dataset.row)))].sort((a, b) => a - b);
  const row = rows[rows.indexOf(Number(item.dataset.row)) + (key === "ArrowDown" ? 1 : -1)];
  if (row === undefined) return null;
  const start = Number(item.dataset.start);
  const distance = (i) => Math.abs(Number(i.dataset.start) - start);
  return items
    .filter((i) => Number(i.dataset.row) === row)
    .reduce((best, i) => (!best || distance(i) < distance(best) ? i : best), null);
}

const MOVES = ["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End"];

function onBoardKey(event) {
  const item = event.target.closest(ITEMS);
  if (!item || !MOVES.includes(event.key)) return;
  event.preventDefault();
  const next = nextItem(item, event.key);
  if (!next) return;
  setRoving(next);
  next.focus({ preventScroll: true });
  next.scrollIntoView({ block: "nearest", inline: "nearest" });
}

const typing = (target) => target.closest("input, select, textarea, [contenteditable]");

export function showShortcuts() {
  const rows = [
    ["←  →", t("key_time")],
    ["↑  ↓", t("key_rows")],
    [`${t("key_home")} / ${t("key_end")}`, t("key_first_last")],
    [t("key_enter"), t("key_open")],
    [t("key_space"), t("key_select")],
    ["m", t("key_move_person")],
    [t("key_crew_enter"), t("key_assign_person")],
    ["+  −", t("key_zoom")],
    ["?", t("key_help")],
    ["Esc", t("close")],
  ];
  openDialog(
    t("shortcuts"),
    el(
      "dl",
      { class: "shortcuts", id: "shortcuts" },
      rows.flatMap(([keys, what]) => [el("dt", {}, el("kbd", {}, keys)), el("dd", {}, what)]),
    ),
  );
}

export function wireKeyboard() {
  board().addEventListener("keydown", onBoardKey);
  board().addEventListener("focusin", (event) => {
    const item = event.target.closest(ITEMS);
    if (item) setRoving(item);
  });
  board().addEventListener("board:drawn", (event) => {
    const focus = event.detail.keep?.focus;
    if (!focus || !focusShift(focus)) setRoving();
  });
  document.addEventListener("keydown", (event) => {
    const zoom = { "+": 1, "=": 1, "-": -1, _: -1 }[event.key];
    if (
      zoom &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey &&
      !typing(event.target) &&
      !document.getElementById("dialog").open
    ) {
      event.preventDefault();
      zoomBy(zoom);
      return;
    }
    if (event.key !== "?" || typing(event.target) || document.getElementById("dialog").open) {
      return;
    }
    event.preventDefault();
    showShortcuts();
  });
}
