// Publishing the range shown (or the filtered project, and venue): a preview of what changes
// and who is affected, blocked while a hard conflict remains, then the new version's number.
// The changes read as old → new local times with venue and role, grouped by person or by
// day; the blocking conflicts come first, the waived ones apart; nothing is cut for good.
import { api, config, conflictList, el, fmtDateTime, t, toast } from "../api.js";
import { closeDialog, errorBlock, openDialog, refresh } from "./dialog.js";
import { loaded, rangeInstants, state } from "./state.js";

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
    // What refuses the publication comes first, above the fold.
    blocked.length
      ? el(
          "div",
          { role: "alert", id: "publish-blocked" },
          el("p", { class: "error" }, t("blocked_by")),
          conflictList(blocked),
        )
      : null,
    el("h3", {}, t("publish_preview")),
    el(
      "ul",
      { class: "publish-summary" },
      summary.map(([key, value]) => el("li", {}, `${t(`summary_${key}`)}: ${value}`)),
    ),
    changesView(preview.changes || []),
    preview.waived_conflicts?.length
      ? el(
          "div",
          { id: "publish-waived" },
          el("h3", {}, t("waived_conflicts")),
          conflictList(preview.waived_conflicts),
        )
      : null,
    el("h3", {}, t("affected")),
    el("p", {}, affected.map((a) => a.name).join(", ") || "—"),
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
          title: blocked.length ? t("blocked_by") : undefined,
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

const GROUPS_SHOWN = 30;

/** The changes grouped by person or by day (a toggle), every one reachable: the first
 * GROUPS_SHOWN groups are drawn, a button draws the rest. */
function changesView(changes) {
  const box = el("div", { class: "publish-changes", id: "publish-changes" });
  let grouping = "person";
  let showAll = false;
  const draw = () => {
    const toggle = (value) =>
      el(
        "button",
        {
          type: "button",
          "aria-pressed": String(grouping === value),
          "data-grouping": value,
          onclick: () => {
            grouping = value;
            draw();
          },
        },
        t(`group_by_${value}`),
      );
    if (!changes.length) {
      box.replaceChildren(el("p", { class: "muted" }, t("nothing_changed")));
      return;
    }
    const groups = grouping === "person" ? byPerson(changes) : byDay(changes);
    const shown = showAll ? groups : groups.slice(0, GROUPS_SHOWN);
    const hidden = groups.slice(shown.length).reduce((n, g) => n + g.changes.length, 0);
    box.replaceChildren(
      el(
        "div",
        { class: "row-buttons", role: "group", "aria-label": t("group_changes") },
        toggle("person"),
        toggle("day"),
      ),
      ...shown.map((group) =>
        el(
          "section",
          { class: "publish-group", "data-group": group.key },
          el("h4", {}, group.title),
          el(
            "ul",
            { class: "diff" },
            group.changes.map((change) => changeRow(change, grouping)),
          ),
        ),
      ),
      hidden
        ? el(
            "button",
            {
              type: "button",
              id: "publish-show-all",
              onclick: () => {
                showAll = true;
                draw();
              },
            },
            `${t("show_all")} (+${hidden})`,
          )
        : null,
    );
  };
  draw();
  return box;
}

/** One group per person concerned (a change on a shift with three people: three groups),
 * then the changes concerning nobody; by name. */
function byPerson(changes) {
  const groups = new Map();
  const add = (key, title, change) => {
    if (!groups.has(key)) groups.set(key, { key, title, changes: [] });
    groups.get(key).changes.push(change);
  };
  for (const change of changes) {
    if (!change.people.length) add("", t("no_crew"), change);
    for (const person of change.people) add(person.id, person.name, change);
  }
  return [...groups.values()].sort(
    (a, b) => (a.key === "") - (b.key === "") || a.title.localeCompare(b.title),
  );
}

/** One group per local day, in order (the server sorts the changes by day and time). */
function byDay(changes) {
  const groups = new Map();
  for (const change of changes) {
    if (!groups.has(change.day)) {
      groups.set(change.day, { key: change.day, title: dayLabel(change.day), changes: [] });
    }
    groups.get(change.day).changes.push(change);
  }
  return [...groups.values()];
}

const dayFormat = () =>
  new Intl.DateTimeFormat(config.lang || "en", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });

/** "mar. 24 mars" for "2026-03-24" (a local day already: formatted as such, no zone). */
function dayLabel(day) {
  return dayFormat().format(new Date(`${day}T12:00:00Z`));
}

/** "18:00–23:00", with the end's day when it ends on another day. */
function hours(side) {
  const [startDay, start] = side.start_local.split("T");
  const [endDay, end] = side.end_local.split("T");
  return `${start}–${end}${endDay !== startDay ? ` (${dayLabel(endDay)})` : ""}`;
}

/** "old → new" when a value changed, else the value. */
function fromTo(before, after, read) {
  if (!before) return read(after);
  if (!after) return read(before);
  const [old, now] = [read(before), read(after)];
  return old === now ? now : `${old} → ${now}`;
}

/** A change as one line: what happened, when (old → new local times), where, which role,
 * and who (by day) or which day (by person). */
function changeRow(change, grouping) {
  const { before, after } = change;
  const dayOf = (s) => s.start_local.slice(0, 10);
  const when =
    before && after && dayOf(before) !== dayOf(after)
      ? `${dayLabel(dayOf(before))} ${hours(before)} → ${dayLabel(dayOf(after))} ${hours(after)}`
      : `${grouping === "person" ? `${dayLabel(change.day)} ` : ""}${fromTo(before, after, hours)}`;
  const parts = [
    `${t(`diff_${change.kind}`)} · ${t(change.subject === "shift" ? "shift" : "booking")}`,
    when,
    fromTo(before, after, (s) => s.role_name),
    fromTo(before, after, (s) => s.venue_name),
  ];
  if (change.subject === "booking") {
    parts.push(fromTo(before, after, (s) => t(s.booking_status)));
  } else if (change.changed_fields.includes("status")) {
    parts.push(fromTo(before, after, (s) => t(s.status)));
  }
  if (grouping === "day") parts.push(change.people.map((p) => p.name).join(", ") || t("no_crew"));
  return el(
    "li",
    {
      class: `publish-change ${change.kind}`,
      "data-shift": change.shift_id,
      "data-kind": change.kind,
    },
    parts.filter(Boolean).join(" · "),
  );
}
