// The planning board: a timeline of shifts over a day, a week or a month, fitted to the
// screen. The range and filters live in the URL; a range is fetched once and filtered in
// the browser, so filtering and scrolling never refetch what is already loaded.
//
// state.js holds the range, the filters and what is loaded; render.js draws them;
// dialog.js runs writes through the dialog (with "Undo"); shift-dialog.js, auto-assign.js
// and publish.js are the dialogs; keys.js is the keyboard; panel.js the unfilled shifts;
// drag.js moves and stretches bars with the mouse; selection.js acts on several shifts;
// reassign.js moves a person onto another shift (drag a chip, or "m" then Enter); crew.js
// assigns a person from the crew panel (drag a name onto a shift, or Enter then Enter);
// templates.js applies a shift template to several days; print.js links the call sheet
// and the CSV export to what is shown.
// This module only wires the page's controls to them.
import { autoAssign } from "./auto-assign.js";
import { copyDay, copyWeek } from "./copy-week.js";
import { wireCrew } from "./crew.js";
import { wireDrag } from "./drag.js";
import { focusBoard, showShortcuts, wireKeyboard } from "./keys.js";
import { wireUnfilled } from "./panel.js";
import { wirePrintAndExport } from "./print.js";
import { publish } from "./publish.js";
import { wireReassign } from "./reassign.js";
import { wireSelection } from "./selection.js";
import { load, render, zoomBy } from "./render.js";
import { newShift, openShift } from "./shift-dialog.js";
import { loaded, moveDate, setFilter, state } from "./state.js";
import { applyTemplate } from "./templates.js";

for (const button of document.querySelectorAll("[data-view]")) {
  button.addEventListener("click", () => {
    state.view = button.dataset.view;
    load();
  });
}
for (const button of document.querySelectorAll("[data-nav]")) {
  button.addEventListener("click", () => {
    moveDate(Number(button.dataset.nav));
    load();
  });
}
document.getElementById("filters").addEventListener("change", (event) => {
  const field = event.target;
  setFilter(field.name, field.type === "checkbox" ? (field.checked ? "1" : "") : field.value);
  if (loaded.payload) render();
});
document.getElementById("board").addEventListener("click", (event) => {
  const bar = event.target.closest(".bar");
  if (bar) return openShift(bar.dataset.shift);
  // A month's day cell or a day's heading opens that day, its shifts as bars.
  const day = event.target.closest("[data-day], [data-open-day]");
  if (!day) return undefined;
  state.view = "day";
  state.date = day.dataset.day || day.dataset.openDay;
  return load();
});
// Zoom: the toolbar's "−" and "+" (around the focused bar, else the centre), and Ctrl (⌘)
// with the wheel or a pinch over the board, around the pointer; a pinch's many small events
// add up to one step at a time.
for (const button of document.querySelectorAll("[data-zoom]")) {
  button.addEventListener("click", () => zoomBy(Number(button.dataset.zoom)));
}
let wheelDelta = 0;
let wheelAt = 0;
document.getElementById("board").addEventListener(
  "wheel",
  (event) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const now = performance.now();
    if (now - wheelAt > 300) wheelDelta = 0;
    wheelAt = now;
    wheelDelta += event.deltaMode ? event.deltaY * 40 : event.deltaY;
    if (Math.abs(wheelDelta) < 30) return;
    const step = wheelDelta < 0 ? 1 : -1;
    wheelDelta = 0;
    zoomBy(step, event.clientX);
  },
  { passive: false },
);
document.getElementById("skip-to-board")?.addEventListener("click", (event) => {
  event.preventDefault();
  focusBoard();
});
document.getElementById("show-shortcuts")?.addEventListener("click", showShortcuts);
document.getElementById("new-shift")?.addEventListener("click", newShift);
document.getElementById("auto-assign")?.addEventListener("click", autoAssign);
document.getElementById("publish")?.addEventListener("click", publish);
document.getElementById("copy-week")?.addEventListener("click", copyWeek);
document.getElementById("copy-day")?.addEventListener("click", copyDay);
document.getElementById("apply-template")?.addEventListener("click", applyTemplate);
// Bars are laid out for the board's width: draw again when the width changes, not on the
// observer's first report nor when only the height does (that would replace every bar under
// the user's pointer or focus for nothing).
let resizing = null;
let boardWidth = null;
new ResizeObserver(([entry]) => {
  const width = Math.round(entry.contentRect.width);
  const changed = boardWidth !== null && width !== boardWidth;
  boardWidth = width;
  if (!changed) return;
  clearTimeout(resizing);
  const focus = document.activeElement?.closest?.(".bar")?.dataset.shift;
  resizing = setTimeout(() => loaded.payload && render({ keep: { focus } }), 150);
}).observe(document.getElementById("board"));
wireKeyboard();
wireDrag();
wireUnfilled();
wireSelection();
wireReassign();
wireCrew();
wirePrintAndExport();
load();
