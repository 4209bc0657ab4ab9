// The planning board: a horizontal timeline of shifts over a day, a week or a month.
// The range and filters live in the URL; a range is fetched once and filtered in the
// browser, so filtering and scrolling never refetch what is already loaded.
//
// state.js holds the range, the filters and what is loaded; render.js draws them;
// dialog.js runs writes through the dialog; shift-dialog.js, auto-assign.js and publish.js
// are the dialogs. This module only wires the page's controls to them.
import { autoAssign } from "./auto-assign.js";
import { publish } from "./publish.js";
import { load, render } from "./render.js";
import { newShift, openShift } from "./shift-dialog.js";
import { loaded, moveDate, setFilter, state } from "./state.js";

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
  setFilter(event.target.name, event.target.value);
  if (loaded.payload) render();
});
document.getElementById("board").addEventListener("click", (event) => {
  const bar = event.target.closest(".bar");
  if (bar) openShift(bar.dataset.shift);
});
document.getElementById("new-shift")?.addEventListener("click", newShift);
document.getElementById("auto-assign")?.addEventListener("click", autoAssign);
document.getElementById("publish")?.addEventListener("click", publish);
load();
