// Printing and exporting what the board shows: the call sheet of the day shown (and the
// venue filtered on) and the CSV export of the range (and the project and venue filtered
// on). Both are links, kept up to date each time the board draws, so the browser opens and
// downloads them as it would any link (the session cookie authenticates the export).
import { config } from "../api.js";
import { addDays } from "./days.js";
import { rangeDays, state } from "./state.js";

/** The day the call sheet is for: the date shown if it is in the range, else its first day. */
function sheetDay() {
  const [first, end] = rangeDays();
  return state.date >= first && state.date < end ? state.date : first;
}

export function callSheetHref() {
  const params = new URLSearchParams({ date: sheetDay() });
  if (state.filters.venue) params.set("venue", state.filters.venue);
  return `/app/call-sheet?${params}`;
}

export function exportHref() {
  const [first, end] = rangeDays();
  const params = new URLSearchParams({ from: first, to: addDays(end, -1) });
  if (state.filters.project) params.set("project", state.filters.project);
  if (state.filters.venue) params.set("venue", state.filters.venue);
  return `${config.api || "/api/v1"}/planning/export.csv?${params}`;
}

export function wirePrintAndExport() {
  const sheet = document.getElementById("call-sheet-link");
  const csv = document.getElementById("export-csv");
  const update = () => {
    if (sheet) sheet.href = callSheetHref();
    if (csv) csv.href = exportHref();
  };
  document.getElementById("board").addEventListener("board:drawn", update);
  update();
}
