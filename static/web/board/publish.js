// Publishing the range shown (or the filtered project, and venue): a preview of what changes
// and who is affected, blocked while a hard conflict remains, then the new version's number.
import { api, conflictList, el, fmtDateTime, t, toast } from "../api.js";
import { closeDialog, errorBlock, openDialog, refresh } from "./dialog.js";
import { loaded, rangeInstants, state } from "./state.js";

const DIFF_SHOWN = 60;

export async function publish() {
  const scope = publishScope();
  openDialog(t("publish"), el("p", {}, t("loading")));
  let preview;
  try {
    preview = await api("POST", "/planning/publish/preview", scope);
  } catch (error) {
    openDialog(t("publish"), errorBlock(error, null));
    return;
  }
  const summary = Object.entries(preview.summary || {}).filter(([, value]) => value);
  const affected = preview.affected_artists || [];
  const blocked = (preview.conflicts || []).filter((c) => c.type === "hard" && !c.waived);
  const confirm = async () => {
    try {
      const result = await api("POST", "/planning/publish", scope);
      const version = result.version;
      const text =
        version && result.changed !== false
          ? `${t("published_ok")} ${version.number}`
          : t("nothing_changed");
      openDialog(t("publish"), el("p", { id: "publish-result" }, text));
      await refresh();
    } catch (error) {
      openDialog(t("publish"), errorBlock(error, null));
    }
  };
  openDialog(
    t("publish"),
    el("p", {}, scopeLabel(scope)),
    el("h3", {}, t("publish_preview")),
    el(
      "ul",
      {},
      summary.map(([key, value]) => el("li", {}, `${t(`summary_${key}`)}: ${value}`)),
    ),
    diffList(preview.diff || {}),
    el("h3", {}, t("affected")),
    el("p", {}, affected.map((a) => a.name).join(", ") || "—"),
    blocked.length
      ? el(
          "div",
          { role: "alert" },
          el("p", { class: "error" }, t("blocked_by")),
          conflictList(blocked),
        )
      : null,
    preview.waived_conflicts?.length
      ? el("div", {}, el("h3", {}, t("waived_conflicts")), conflictList(preview.waived_conflicts))
      : null,
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: closeDialog }, t("cancel")),
      el("button", { type: "button", id: "resend", onclick: () => resend(scope) }, t("resend")),
      el(
        "button",
        {
          type: "button",
          class: "primary",
          id: "confirm-publish",
          disabled: blocked.length > 0 || undefined,
          onclick: confirm,
        },
        t("publish"),
      ),
    ),
  );
}

/** Send the scope's unanswered invitations again (one e-mail per person, throttled). */
async function resend(scope) {
  try {
    const result = await api("POST", "/invitations/resend", scope);
    toast(`${t("resent")}: ${result.artists.length} · ${result.resent}`);
  } catch (error) {
    openDialog(t("publish"), errorBlock(error, null));
  }
}

/** The project filtered on, else the range shown; narrowed to the venue filtered on. */
function publishScope() {
  const [from, to] = rangeInstants();
  const scope = state.filters.project
    ? { project_id: state.filters.project }
    : { from: from.toISOString(), to: to.toISOString() };
  if (state.filters.venue) scope.venue_id = state.filters.venue;
  return scope;
}

function scopeLabel(scope) {
  const index = loaded.index;
  const parts = [];
  if (scope.project_id) {
    const project = index.projects.get(scope.project_id);
    parts.push(`${t("project")}: ${project?.name || scope.project_id}`);
  }
  if (scope.from) parts.push(`${fmtDateTime(scope.from)} – ${fmtDateTime(scope.to)}`);
  if (scope.venue_id) {
    const venue = index.venues.get(scope.venue_id);
    parts.push(`${t("venue")}: ${venue?.name || scope.venue_id}`);
  }
  return parts.join(" · ");
}

/** What a publication changes, in words: shifts and bookings added, removed, changed. */
function diffList(diff) {
  const shiftText = (s) =>
    `${s.role_name || ""} · ${s.venue_name || ""} · ${s.start_at ? fmtDateTime(s.start_at) : ""}`;
  const changes = (entry) =>
    Object.entries(entry.changes)
      .map(([name, c]) => `${name}: ${t(c.old) || c.old} → ${t(c.new) || c.new}`)
      .join(", ");
  const items = [];
  for (const kind of ["added", "removed", "changed"]) {
    for (const entry of diff.shifts?.[kind] || []) {
      const text = kind === "changed" ? Object.keys(entry.changes).join(", ") : shiftText(entry);
      items.push(el("li", {}, `${t(`diff_${kind}`)} · ${t("shift")}: ${text}`));
    }
    for (const entry of diff.assignments?.[kind] || []) {
      const text =
        kind === "changed" ? changes(entry) : `${entry.artist_name || ""} (${t(entry.status)})`;
      items.push(el("li", {}, `${t(`diff_${kind}`)} · ${t("booking")}: ${text}`));
    }
  }
  const shown = items.slice(0, DIFF_SHOWN);
  const more =
    items.length > shown.length ? el("li", {}, `… +${items.length - shown.length}`) : null;
  return el("ul", { class: "diff" }, shown, more);
}
