// The call sheet of a day ("feuille de service"): for each venue, who is called, in which
// role, at what local time, with the phone the contacts policy lets the reader see, and the
// seats still open. The day and venue live in the URL; the page prints one venue per sheet.
import { api, apiAll, config, el, t } from "./api.js";
import { todayInZone } from "./board/days.js";

const form = document.getElementById("call-sheet-form");
const sheet = document.getElementById("call-sheet");

function readUrl() {
  const params = new URLSearchParams(location.search);
  const date = params.get("date") || "";
  return {
    date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayInZone(),
    venue: params.get("venue") || "",
  };
}

/** "mardi 14 juillet 2026" for a local day. */
function longDay(day) {
  return new Intl.DateTimeFormat(config.lang || "en", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));
}

function venueTable(venue, contactsShown) {
  const head = [t("call_time"), t("artist"), t("role"), t("mission"), t("status")];
  if (contactsShown) head.push(t("phone"));
  return el(
    "section",
    { class: "call-sheet-venue", "data-venue": venue.id },
    el("h2", {}, venue.name),
    venue.address ? el("p", { class: "muted" }, venue.address) : null,
    el(
      "table",
      { class: "call-sheet-table" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          head.map((label) => el("th", { scope: "col" }, label)),
        ),
      ),
      el(
        "tbody",
        {},
        venue.rows.map((row) =>
          el(
            "tr",
            { class: row.artist_id ? "booked" : "open-seat", "data-shift": row.shift_id },
            el("td", {}, `${row.call_time}–${row.end_time}`),
            el("td", {}, row.name || `— ${t("open_seat")}`),
            el("td", {}, row.role_name),
            el("td", {}, row.mission_name),
            el(
              "td",
              {},
              [row.status ? t(row.status) : "", row.shift_status === "draft" ? t("draft") : ""]
                .filter(Boolean)
                .join(" · "),
            ),
            contactsShown ? el("td", {}, row.phone || "—") : null,
          ),
        ),
      ),
    ),
  );
}

async function show() {
  const { date, venue } = readUrl();
  form.elements.date.value = date;
  form.elements.venue.value = venue;
  const query = new URLSearchParams({ date });
  if (venue) query.set("venue", venue);
  document.getElementById("call-sheet-title").textContent = `${t("call_sheet")} · ${longDay(date)}`;
  try {
    const data = await api("GET", `/planning/call-sheet?${query}`);
    document.getElementById("call-sheet-note").hidden = data.contacts_shown;
    sheet.replaceChildren(
      ...(data.venues.length
        ? data.venues.map((v) => venueTable(v, data.contacts_shown))
        : [el("p", { id: "no-call" }, t("no_call"))]),
    );
    sheet.dataset.ready = "true";
  } catch (error) {
    sheet.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
  }
}

async function fillVenues() {
  const select = form.elements.venue;
  const venues = await apiAll("/venues");
  select.append(...venues.map((v) => el("option", { value: v.id }, v.name)));
  select.value = readUrl().venue;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams({ date: form.elements.date.value });
  if (form.elements.venue.value) params.set("venue", form.elements.venue.value);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  show();
});
document.getElementById("print").addEventListener("click", () => window.print());
fillVenues().then(show);
