// The crew member's page: invitations to answer, upcoming shifts, hours, absences, calendar.
import { api, ApiError, el, fmtDateTime, fmtNumber, t, toast, zonedToDate } from "./api.js";
import { loadOpenShifts } from "./me-open-shifts.js";

let me = null;

const section = (id) => document.getElementById(id);

/** A list of `items` drawn by `item`, or a dash when there is none. */
function listOrDash(items, item) {
  return items.length ? el("ul", {}, items.map(item)) : el("p", {}, "—");
}

function invitationItem(invitation) {
  const button = (verb, attrs) =>
    el("button", { type: "button", ...attrs, onclick: () => answer(invitation, verb) }, t(verb));
  return el(
    "li",
    { "data-invitation": invitation.id },
    el("strong", {}, `${invitation.role} · ${invitation.venue}`),
    el("br"),
    `${fmtDateTime(invitation.start_at)} – ${fmtDateTime(invitation.end_at)}`,
    el("br"),
    el("span", { class: "row-buttons" }, button("accept", { class: "primary" }), button("decline")),
  );
}

async function loadInvitations() {
  const data = await api("GET", "/me/invitations");
  section("invitations").replaceChildren(listOrDash(data.results || [], invitationItem));
}

async function answer(invitation, verb) {
  try {
    await api("POST", `/me/invitations/${invitation.id}/${verb}`);
    toast(t("saved"));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    toast(
      `${t("refused")}: ${error.message} ${(error.conflicts || []).map((c) => c.message).join(" · ")}`,
    );
  }
  await Promise.all([loadInvitations(), loadUpcoming()]);
}

function upcomingItem(assignment) {
  return el(
    "li",
    {},
    el("strong", {}, `${assignment.role} · ${assignment.venue}`),
    " ",
    el("span", { class: `chip ${assignment.status}` }, t(assignment.status)),
    el("br"),
    `${fmtDateTime(assignment.start_at)} – ${fmtDateTime(assignment.end_at)}`,
  );
}

async function loadUpcoming() {
  const now = new Date().toISOString();
  const data = await api("GET", `/me/assignments?from=${encodeURIComponent(now)}`);
  section("upcoming").replaceChildren(listOrDash(data.results || [], upcomingItem));
}

async function loadHours() {
  // The server counts in the organization's zone: this local month and the last 12.
  const data = await api("GET", "/me/hours");
  const month = data.month;
  const year = data.last_12_months;
  const parts = [
    el(
      "p",
      { id: "hours-month" },
      `${t("this_month")}: `,
      el("strong", {}, `${fmtNumber(month.hours)} h`),
      ` (${month.shifts})`,
    ),
    el(
      "p",
      { id: "hours-12-months" },
      `${t("last_12_months")}: `,
      el("strong", {}, `${fmtNumber(year.hours)} h`),
      ` (${year.shifts})`,
    ),
  ];
  const threshold = data.intermittent_threshold;
  if (threshold) {
    const ratio = Math.min(1, year.hours / threshold.threshold);
    parts.push(
      el("p", {}, `${Math.round(ratio * 100)} % ${t("threshold_507")}`),
      el(
        "div",
        {
          class: "meter",
          role: "meter",
          "aria-label": t("threshold_507"),
          "aria-valuemin": 0,
          "aria-valuemax": threshold.threshold,
          "aria-valuenow": year.hours,
        },
        el("div", { style: `width:${ratio * 100}%` }),
      ),
    );
  }
  section("hours").replaceChildren(...parts);
}

function availabilityItem(availability) {
  const kind =
    availability.kind === "unavailable" ? availability.reason || "leave" : "available_window";
  const when = `${fmtDateTime(availability.start_at)} – ${fmtDateTime(availability.end_at)}`;
  return el(
    "li",
    {},
    `${t(kind)} · ${when} `,
    el("span", { class: "pill" }, t(availability.status)),
  );
}

async function loadAvailability() {
  const data = await api("GET", `/availabilities?artist=${me.id}&page_size=50`);
  section("availability").replaceChildren(listOrDash(data.results || [], availabilityItem));
}

function showCalendar(url) {
  const code = el("code", { class: "calendar-url", id: "calendar-url" }, url);
  section("calendar").replaceChildren(
    el("p", {}, t("calendar_help")),
    code,
    el(
      "div",
      { class: "row-buttons" },
      el(
        "button",
        {
          type: "button",
          onclick: () => navigator.clipboard?.writeText(url).then(() => toast(t("saved"))),
        },
        t("copy"),
      ),
      el("button", { type: "button", onclick: rotate }, t("rotate")),
    ),
  );
}

async function rotate() {
  if (!window.confirm(t("confirm_rotate"))) return;
  try {
    await api("POST", `/artists/${me.id}/calendar-token/rotate`);
    me = await api("GET", "/me/artist"); // the link on this site's public address
    showCalendar(me.calendar_url);
  } catch (error) {
    toast(`${t("refused")}: ${error.message}`);
  }
}

document.getElementById("absence-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const data = Object.fromEntries(new FormData(form));
  try {
    await api("POST", "/availabilities", {
      artist_id: me.id,
      kind: "unavailable",
      reason: data.reason,
      start_at: zonedToDate(data.start_at).toISOString(),
      end_at: zonedToDate(data.end_at).toISOString(),
    });
    form.reset();
    toast(t("saved"));
    await loadAvailability();
  } catch (error) {
    toast(`${t("refused")}: ${error.message}`);
  }
});

async function main() {
  try {
    me = await api("GET", "/me/artist");
  } catch (error) {
    const text = error.status === 404 ? t("no_artist") : `${t("error")}: ${error.message}`;
    for (const id of [
      "invitations",
      "open-shifts",
      "upcoming",
      "hours",
      "availability",
      "calendar",
    ])
      section(id).textContent = text;
    return;
  }
  showCalendar(me.calendar_url);
  await Promise.allSettled([
    loadInvitations(),
    loadOpenShifts(section("open-shifts"), loadUpcoming),
    loadUpcoming(),
    loadHours(),
    loadAvailability(),
  ]);
  document.body.dataset.ready = "true";
}

main();
