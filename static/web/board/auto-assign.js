// Auto-assign: start a dry-run job over the range shown or a project, follow its progress,
// show the proposal and what stays unfilled, then apply it (the added crew is highlighted).
import { api, el, fmtDateTime, t } from "../api.js";
import { closeDialog, errorBlock, openDialog, runWrite } from "./dialog.js";
import { highlighted, loaded, rangeInstants } from "./state.js";

const FINISHED = ["succeeded", "failed", "cancelled"];
const POLL_MS = 400;

export function autoAssign() {
  const [from, to] = rangeInstants();
  const projects = loaded.payload.projects || [];
  const form = el(
    "form",
    { class: "stack" },
    el(
      "label",
      {},
      el("input", { type: "radio", name: "scope", value: "range", checked: true }),
      ` ${t("scope_range")}`,
    ),
    el(
      "label",
      {},
      el("input", { type: "radio", name: "scope", value: "project" }),
      ` ${t("scope_project")}`,
      el(
        "select",
        { name: "project" },
        ...projects.map((p) => el("option", { value: p.id }, p.name)),
      ),
    ),
    el(
      "label",
      {},
      t("time_limit"),
      el("input", { type: "number", name: "time_limit", min: 1, max: 120, value: 10 }),
    ),
    el("button", { type: "submit", class: "primary", id: "start-auto-assign" }, t("start_job")),
  );
  const out = el("div", { id: "auto-assign-out" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const scope =
      data.scope === "project"
        ? { project_id: data.project }
        : { from: from.toISOString(), to: to.toISOString() };
    const options = { dry_run: true, time_limit: Number(data.time_limit) };
    try {
      const job = await api(
        "POST",
        "/planning/auto-assign/start",
        { scope, options },
        { headers: { "Idempotency-Key": crypto.randomUUID() } },
      );
      await watchJob(job.id, out);
    } catch (error) {
      out.replaceChildren(errorBlock(error, null));
    }
  });
  openDialog(t("auto_assign"), form, out);
}

/** Polls the job, with a progress bar, until it finishes; then shows its outcome. */
async function watchJob(jobId, out) {
  const bar = el("progress", { max: 1, value: 0, id: "job-progress", "aria-label": t("progress") });
  const label = el("p", {}, t("loading"));
  out.replaceChildren(bar, label);
  for (;;) {
    const job = await api("GET", `/planning/auto-assign/status/${jobId}`);
    bar.value = job.progress ?? 0;
    const percent = Math.round((job.progress ?? 0) * 100);
    label.textContent = `${t("progress")}: ${percent} % · ${t(`job_${job.status}`)}`;
    if (FINISHED.includes(job.status)) return showProposal(job, out);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function showProposal(job, out) {
  if (job.status !== "succeeded") {
    out.append(el("p", { class: "error", role: "alert" }, job.error || job.status));
    return;
  }
  const proposal = job.proposal || [];
  const unfilled = job.unfilled || [];
  const index = loaded.index;
  const before = Math.round((job.coverage_before ?? 0) * 100);
  const after = Math.round((job.coverage_after ?? 0) * 100);
  const done = el(
    "p",
    { id: "job-done" },
    `${t("proposal")}: ${proposal.length} ${t("added")} · ${t("coverage")} ${before} % → ${after} %`,
  );
  const unfilledList = el(
    "ul",
    {},
    unfilled.slice(0, 50).map((u) => {
      const shift = index.shifts.get(u.shift_id);
      const role = shift ? index.roles.get(shift.role_id)?.name : u.shift_id;
      const when = shift ? fmtDateTime(shift.start_at) : "";
      return el("li", {}, `${role} ${when} (−${u.missing}): ${(u.reasons || []).join("; ")}`);
    }),
  );
  const proposed = el(
    "ul",
    { id: "proposal-list" },
    proposal.slice(0, 80).map((pair) => {
      const shift = index.shifts.get(pair.shift_id);
      const role = shift ? index.roles.get(shift.role_id)?.name : "";
      const artist = index.artists.get(pair.artist_id)?.name || pair.artist_name || pair.artist_id;
      return el("li", {}, `${artist} → ${role} ${shift ? fmtDateTime(shift.start_at) : ""}`);
    }),
    proposal.length > 80 ? el("li", {}, `… +${proposal.length - 80}`) : null,
  );
  const apply = async () => {
    for (const pair of proposal) highlighted.add(`${pair.shift_id}:${pair.artist_id}`);
    await runWrite(() => api("POST", `/planning/auto-assign/${job.id}/apply`), {
      onDone: closeDialog,
    });
  };
  out.append(
    done,
    el("h3", {}, t("proposal")),
    proposed,
    el("h3", {}, t("unfilled")),
    unfilledList,
    el(
      "div",
      { class: "row-buttons" },
      el("button", { type: "button", onclick: closeDialog }, t("discard")),
      el(
        "button",
        { type: "button", class: "primary", id: "apply-proposal", onclick: apply },
        t("apply"),
      ),
    ),
  );
}
