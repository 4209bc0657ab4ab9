// "Apply a template": one shift template on several days of the range shown, in a mission.
// A preview first (each day's shift in local time, why a day would refuse the whole write,
// the rule conflicts), nothing written until "Confirmer", which stays disabled while the
// preview is blocked; the write is all or nothing, and "Undo" deletes what it created.
import { api, apiAll, conflictList, el, t } from "../api.js";
import { addDays } from "./days.js";
import { closeDialog, errorBlock, openDialog, runWrite } from "./dialog.js";
import { rangeDays, rangeInstants, state } from "./state.js";

const dayLabel = (day) =>
  new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));

function daysShown() {
  const [first, end] = rangeDays();
  const days = [];
  for (let day = first; day < end; day = addDays(day, 1)) days.push(day);
  return days;
}

export async function applyTemplate() {
  openDialog(t("apply_template"), el("p", {}, t("loading")));
  const [from, to] = rangeInstants();
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if (state.filters.project) query.set("project", state.filters.project);
  if (state.filters.venue) query.set("venue", state.filters.venue);
  let templates;
  let missions;
  try {
    [templates, missions] = await Promise.all([
      apiAll("/planning/shift-templates"),
      apiAll(`/missions?${query}`),
    ]);
  } catch (error) {
    openDialog(t("apply_template"), errorBlock(error, null));
    return;
  }
  const template = el(
    "select",
    { name: "template", id: "template-select" },
    templates.map((item) =>
      el(
        "option",
        { value: item.id },
        `${item.name} (${item.start_time.slice(0, 5)}–${item.end_time.slice(0, 5)})`,
      ),
    ),
  );
  const mission = el(
    "select",
    { name: "mission", id: "template-mission" },
    missions.map((item) => el("option", { value: item.id }, item.name)),
  );
  const days = el(
    "fieldset",
    { class: "template-days" },
    el("legend", {}, t("template_days")),
    daysShown().map((day) =>
      el(
        "label",
        { class: "check" },
        el("input", { type: "checkbox", name: "day", value: day }),
        ` ${dayLabel(day)}`,
      ),
    ),
  );
  const result = el("div", { id: "template-preview", "aria-live": "polite" });
  const body = () => ({
    mission_id: mission.value,
    dates: [...days.querySelectorAll("input:checked")].map((input) => input.value),
  });
  const show = () => previewInto(result, template.value, body());
  openDialog(
    t("apply_template"),
    el(
      "div",
      { class: "grid-form" },
      el("label", {}, t("template"), template),
      el("label", {}, t("mission"), mission),
    ),
    days,
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", id: "preview-template", onclick: show }, t("preview")),
    ),
    result,
  );
}

/** The preview of applying the template, and "Confirmer" (disabled while it is blocked). */
async function previewInto(box, templateId, body) {
  box.replaceChildren(el("p", {}, t("loading")));
  let preview;
  try {
    preview = await api(
      "POST",
      `/planning/shift-templates/${templateId}/instantiate/preview`,
      body,
    );
  } catch (error) {
    box.replaceChildren(errorBlock(error, null));
    return;
  }
  const apply = () => api("POST", `/planning/shift-templates/${templateId}/instantiate`, body);
  const deleteCreated = (created) =>
    Promise.all(created.shifts.map((shift) => api("DELETE", `/planning/shifts/${shift.id}`)));
  box.replaceChildren(
    el(
      "ul",
      { class: "template-shifts" },
      preview.shifts.map((shift) =>
        el(
          "li",
          { class: shift.problem ? "error" : "", "data-date": shift.date },
          `${dayLabel(shift.date)} ${shift.start_local.slice(11)}–${shift.end_local.slice(11)}`,
          shift.problem ? ` — ${shift.problem.message}` : "",
        ),
      ),
    ),
    preview.conflicts.length ? conflictList(preview.conflicts) : null,
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: closeDialog }, t("cancel")),
      el(
        "button",
        {
          type: "button",
          class: "primary",
          id: "confirm-template",
          disabled: preview.blocked || undefined,
          onclick: () => runWrite(apply, { onDone: closeDialog, undo: deleteCreated }),
        },
        t("confirm"),
      ),
    ),
  );
}
