// The crew panel beside the board: the organization's active artists, filtered by name, to
// assign from. Drag a name onto a shift's bar (the bar under the pointer is highlighted and
// says whether that person fits it), or with the keyboard press Enter or Space on a name to
// pick the person (announced in the board's status line), go to the shift with the board's
// arrows and press Enter; Escape gives up. Either way the assignment is previewed first
// (the conflicts it would raise, "Confirm" disabled on a double booking: the shift dialog's
// own preview, previewAssignment) and saved by it, after which the board redraws as after
// any write, keeping its scroll and the focus on that shift.
import { api, apiAll, config, el, t } from "../api.js";
import { closeDialog } from "./dialog.js";
import { dropPick as dropMovePick } from "./reassign.js";
import { previewAssignment } from "./shift-dialog.js";
import { shiftById } from "./state.js";

let artists = null; // [{id, name, skill}] once fetched
let picked = null; // the artist picked with the keyboard, to assign to the next shift chosen
let dragging = null; // { artist, x, y, moving, ghost, target }
let justDropped = false;
const fits = new Map(); // shift id → promise of { artist id → fits }, for one drag

const panel = () => document.getElementById("crew-panel");
const toggle = () => document.getElementById("toggle-crew");
const board = () => document.getElementById("board");
const status = () => document.getElementById("board-status");

async function fetchArtists() {
  const found = await apiAll("/artists?is_active=true");
  return found
    .map((a) => ({ id: a.id, name: a.full_name, skill: a.primary_skill?.name || "" }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function person(artist) {
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "crew-person",
        "data-artist": artist.id,
        "aria-pressed": String(picked?.id === artist.id),
        "aria-describedby": "crew-help",
        onclick: () => (justDropped ? undefined : togglePick(artist)),
      },
      el("span", { class: "crew-name" }, artist.name),
      artist.skill ? el("span", { class: "muted crew-skill" }, artist.skill) : null,
    ),
  );
}

function drawList() {
  const list = document.getElementById("crew-list");
  if (!list || !artists) return;
  const words = document.getElementById("crew-filter").value.trim().toLowerCase().split(/\s+/);
  const shown = artists.filter((a) => words.every((word) => a.name.toLowerCase().includes(word)));
  document.getElementById("crew-title").textContent = `${t("crew_panel")} · ${shown.length}`;
  list.replaceChildren(
    ...(shown.length ? shown.map(person) : [el("li", { class: "muted" }, t("crew_none"))]),
  );
}

async function drawPanel() {
  const filter = el("input", {
    type: "search",
    id: "crew-filter",
    autocomplete: "off",
    placeholder: t("crew_filter"),
    oninput: drawList,
  });
  panel().replaceChildren(
    el("h2", { id: "crew-title" }, t("crew_panel")),
    el(
      "label",
      { class: "crew-filter" },
      el("span", { class: "visually-hidden" }, t("crew_filter")),
      filter,
    ),
    el("p", { id: "crew-help", class: "muted crew-help" }, t("crew_help")),
    el("ul", { id: "crew-list", class: "crew-list" }, el("li", { class: "muted" }, t("loading"))),
  );
  try {
    artists = await fetchArtists(); // each time it opens: the crew may have changed
    drawList();
  } catch (error) {
    document
      .getElementById("crew-list")
      .replaceChildren(el("li", { class: "error" }, `${t("error")}: ${error.message}`));
  }
}

// ---------------------------------------------------------------- keyboard
function markPicked() {
  for (const button of panel().querySelectorAll(".crew-person")) {
    button.setAttribute("aria-pressed", String(button.dataset.artist === picked?.id));
  }
  board().classList.toggle("picking", Boolean(picked));
}

function togglePick(artist) {
  if (picked?.id === artist.id) {
    dropPick(t("assign_person_dropped"));
    return;
  }
  dropMovePick(); // one person in hand at a time
  picked = artist;
  markPicked();
  status().textContent = t("assign_person_pick").replace("{name}", artist.name);
}

/** Gives up the person picked (saying `message` in the status line, if any). */
function dropPick(message = "") {
  if (!picked) return;
  picked = null;
  markPicked();
  if (message) status().textContent = message;
}

/** The assignment of `artist` to the shift `shiftId` previewed, then confirmed (or not). */
function propose(artist, shiftId) {
  const shift = shiftById(shiftId);
  if (!shift || shift.status === "cancelled") return;
  previewAssignment(shift, artist, { onCancel: closeDialog });
}

// ---------------------------------------------------------------- mouse
function onDown(event) {
  const button = event.target.closest(".crew-person");
  if (!button || event.button !== 0) return;
  const artist = artists?.find((a) => a.id === button.dataset.artist);
  if (!artist) return;
  fits.clear();
  dragging = { artist, x: event.clientX, y: event.clientY, moving: false, ghost: null };
}

function targetAt(x, y) {
  const bar = document.elementFromPoint(x, y)?.closest?.("#board .bar");
  return bar && !bar.classList.contains("status-cancelled") ? bar : null;
}

/** Whether the dragged person fits `bar`'s shift (the candidates' `fits`), marked on the bar
 * and the ghost once known; unknown (not asked, or not among the candidates) marks nothing. */
function markFit(bar, current) {
  const shiftId = bar.dataset.shift;
  if (!fits.has(shiftId)) {
    const asked = api("GET", `/planning/shifts/${shiftId}/candidates?limit=200`)
      .then((data) => new Map(data.results.map((c) => [c.id, c.fits])))
      .catch(() => new Map());
    fits.set(shiftId, asked);
  }
  fits.get(shiftId).then((byArtist) => {
    const fit = byArtist.get(current.artist.id);
    if (dragging !== current || current.target !== bar || fit === undefined) return;
    bar.classList.add(fit ? "drop-fits" : "drop-misfit");
    current.ghost.dataset.fit = fit ? t("drop_fits") : t("drop_misfit");
    current.ghost.classList.toggle("misfit", !fit);
  });
}

function clearTarget() {
  for (const node of board().querySelectorAll(".bar.drop-target")) {
    node.classList.remove("drop-target", "drop-fits", "drop-misfit");
  }
}

function onMove(event) {
  if (!dragging) return;
  const { x, y } = { x: event.clientX, y: event.clientY };
  if (!dragging.moving && Math.hypot(x - dragging.x, y - dragging.y) < 4) return;
  if (!dragging.moving) {
    dragging.moving = true;
    dragging.ghost = el(
      "div",
      { class: "person-ghost", "aria-hidden": "true" },
      dragging.artist.name,
    );
    document.body.append(dragging.ghost);
  }
  event.preventDefault(); // no text selection while dragging
  dragging.ghost.style.left = `${x + 8}px`;
  dragging.ghost.style.top = `${y + 8}px`;
  dragging.ghost.hidden = true; // not under the pointer when looking for the target
  const target = targetAt(x, y);
  dragging.ghost.hidden = false;
  if (target === dragging.target) return;
  clearTarget();
  dragging.target = target;
  delete dragging.ghost.dataset.fit;
  dragging.ghost.classList.remove("misfit");
  if (!target) return;
  target.classList.add("drop-target");
  markFit(target, dragging);
}

function onUp(event) {
  if (!dragging) return;
  const current = dragging;
  dragging = null;
  current.ghost?.remove();
  clearTarget();
  if (!current.moving) return;
  justDropped = true; // the click that ends a drag neither picks nor opens
  setTimeout(() => {
    justDropped = false;
  }, 0);
  const target = targetAt(event.clientX, event.clientY);
  if (target) propose(current.artist, target.dataset.shift);
}

function cancelDrag() {
  dragging?.ghost?.remove();
  dragging = null;
  clearTarget();
}

export function wireCrew() {
  if (!config.canEdit || !toggle()) return;
  toggle().addEventListener("click", () => {
    panel().hidden = !panel().hidden;
    toggle().setAttribute("aria-expanded", String(!panel().hidden));
    if (panel().hidden) dropPick(t("assign_person_dropped"));
    else drawPanel();
  });
  panel().addEventListener("pointerdown", onDown);
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  // With a person picked, a click (or Enter) on a bar is where to assign, not "open".
  board().addEventListener(
    "click",
    (event) => {
      const bar = event.target.closest(".bar");
      if (!picked || !bar || event.shiftKey || event.ctrlKey || event.metaKey) return;
      event.stopPropagation();
      const artist = picked;
      dropPick();
      propose(artist, bar.dataset.shift);
    },
    true,
  );
  // "m" picks a person on the board to move: the one picked here is let go.
  board().addEventListener("keydown", (event) => {
    if (event.key === "m" && event.target.closest(".bar")) dropPick();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (dragging) cancelDrag();
    else if (picked && !document.getElementById("dialog").open) {
      dropPick(t("assign_person_dropped"));
    }
  });
}
