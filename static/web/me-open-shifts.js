// The crew page's open shifts: what the crew member may take, with "Take this shift".
import { api, ApiError, el, fmtDateTime, t, toast } from "./api.js";

function openShiftItem(shift, onClaimed) {
  const where = shift.venue_address ? `${shift.venue} · ${shift.venue_address}` : shift.venue;
  const action = shift.my_claim
    ? el(
        "span",
        { class: `chip ${shift.my_claim}` },
        shift.my_claim === "proposed" ? t("claim_pending") : t("accepted"),
      )
    : el(
        "button",
        { type: "button", class: "primary", onclick: () => claim(shift, onClaimed) },
        t("claim"),
      );
  return el(
    "li",
    { "data-open-shift": shift.id },
    el("strong", {}, `${shift.role} · ${shift.mission}`),
    el("br"),
    `${fmtDateTime(shift.start_at)} – ${fmtDateTime(shift.end_at)}`,
    el("br"),
    where,
    el("br"),
    shift.my_claim ? null : `${t("seats_left")} : ${shift.seats_left} `,
    action,
  );
}

async function claim(shift, onClaimed) {
  try {
    await api("POST", `/me/open-shifts/${shift.id}/claim`);
    toast(t("claimed"));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    toast(
      `${t("refused")}: ${error.message} ${(error.conflicts || []).map((c) => c.message).join(" · ")}`,
    );
  }
  await onClaimed();
}

/** Draw the open shifts in `section`; `onClaimed` redraws what a claim changes. */
export async function loadOpenShifts(section, onClaimed) {
  const data = await api("GET", "/me/open-shifts");
  const items = data.results || [];
  const reload = async () => {
    await loadOpenShifts(section, onClaimed);
    await onClaimed();
  };
  section.replaceChildren(
    items.length
      ? el(
          "ul",
          {},
          items.map((shift) => openShiftItem(shift, reload)),
        )
      : el("p", {}, "—"),
  );
}
