// The board's one dialog and how a write goes through it: run the request, say it is saved
// (with any soft conflict) and redraw, or show the refusal with its conflicts and, for an
// admin facing an overridable conflict, a field for the reason to force it. A write that can
// be reverted offers "Undo" for ten seconds; the board keeps its scroll and focus.
import { ApiError, asUndo, config, conflictList, el, t, toast } from "../api.js";
import { load, redrawWindow } from "./render.js";
import { staleBlock } from "./stale.js";
import { clearCache, writeWindow } from "./state.js";

const UNDO_MS = 10000;

let lastShiftId = null; // the shift whose dialog opened last, focused again after a redraw

const dialog = () => document.getElementById("dialog");

export function closeDialog() {
  dialog().close();
}

/** Replaces the dialog's content (opening it if closed) with a title, a close button and
 * `content`. */
export function openDialog(title, ...content) {
  const body = document.getElementById("dialog-body");
  body.replaceChildren(
    el(
      "div",
      { class: "dialog-inner" },
      el(
        "div",
        { class: "row-buttons" },
        el("h2", { id: "dialog-title", style: "margin-right:auto" }, title),
        el("button", { type: "button", onclick: closeDialog, "aria-label": t("close") }, "✕"),
      ),
      ...content,
    ),
  );
  if (!dialog().open) dialog().showModal();
  return body.firstChild;
}

export function rememberShift(shiftId) {
  lastShiftId = shiftId;
}

/** The body field that forces a write past its soft-blocking conflicts, if a reason is given. */
export function overrideReason(reason) {
  return reason ? { override_reason: reason } : {};
}

/** A refusal: its message, field errors and conflicts; `retry(reason)` offers the override. */
export function errorBlock(error, retry) {
  const fields = Object.entries(error.error?.fields || {}).map(([name, messages]) =>
    el("li", {}, `${name}: ${messages.join(" ")}`),
  );
  const block = el(
    "div",
    { class: "refused", role: "alert" },
    el("p", { class: "error" }, `${t("refused")}: ${error.message}`),
    fields.length ? el("ul", {}, fields) : null,
    error.conflicts.length ? conflictList(error.conflicts) : null,
  );
  const overridable =
    config.isAdmin &&
    error.status === 409 &&
    error.conflicts.length &&
    !error.conflicts.some((c) => c.rule === "double_booking") &&
    retry;
  if (overridable) {
    const reason = el("input", {
      type: "text",
      "aria-label": t("override_reason"),
      placeholder: t("override_reason"),
    });
    const override = () => reason.value.trim() && retry(reason.value.trim());
    block.append(
      el(
        "div",
        { class: "row-buttons" },
        reason,
        el("button", { type: "button", onclick: override }, t("override")),
      ),
    );
  }
  return block;
}

/** Draws the board again after a write, where it was scrolled, and focuses the shift last
 * opened again. A write that says which shifts it `touches` (their times before and after:
 * {start_at, end_at} each) refetches only the days around them (state.writeWindow): on a
 * busy month the whole range costs seconds, the window a fraction. Any other write reloads
 * the whole range. */
export async function refresh({ touches = null } = {}) {
  const focused = lastShiftId;
  const window = touches ? writeWindow(touches) : null;
  if (window) {
    await redrawWindow(window, { keep: { focus: focused } });
    return;
  }
  clearCache(); // a write may change any loaded range
  await load({ force: true, keep: { focus: focused } });
}

/** Someone else changed the row meanwhile (412): what changed, and "Reload", which draws
 * the board again where it was with the focus on the shift. Nothing was written. */
async function showStale(error) {
  const reload = async () => {
    closeDialog();
    await refresh();
  };
  openDialog(t("stale_title"), await staleBlock(error, reload));
  document.getElementById("stale-reload")?.focus();
}

let undoTimer = null;

function hideUndo() {
  clearTimeout(undoTimer);
  const box = document.getElementById("undo-toast");
  if (box) box.hidden = true;
}

/** "Saved" with an "Undo" button for ten seconds; `revert()` runs the opposite write. */
function offerUndo(message, revert, touches) {
  const box = document.getElementById("undo-toast");
  if (!box) return toast(message);
  const undo = async () => {
    hideUndo();
    try {
      await asUndo(revert);
      toast(t("undone"));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 412) return showStale(error);
      openDialog(t("refused"), errorBlock(error, null));
    }
    await refresh({ touches });
    return undefined;
  };
  box.replaceChildren(
    el("span", {}, message),
    el("button", { type: "button", id: "undo", onclick: undo }, t("undo")),
  );
  box.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(hideUndo, UNDO_MS);
  return undefined;
}

/** Runs the write `fn(reason)`, then `onDone` and a redraw; a refusal goes to `errorTarget`
 * (keeping what was typed next to it) or replaces the dialog. `undo(result)` gives the write
 * that reverts it, offered for ten seconds. `touches` lists the times ({start_at, end_at})
 * the write can change, so that only their days are fetched again (see refresh). */
export async function runWrite(
  fn,
  { onDone, overridable = false, errorTarget = null, undo, touches = null } = {},
) {
  try {
    const result = await fn();
    const conflicts = result?.conflicts || [];
    const message = conflicts.length
      ? `${t("saved")} ${conflicts.map((c) => c.message).join(" · ")}`
      : t("saved");
    // A window refetch leaves first: the dialog closes and the toast shows while it is on
    // its way. A whole reload waits for `onDone`, which may remember a new shift or move
    // the range (a copied week).
    const early = touches ? refresh({ touches }) : null;
    if (undo) offerUndo(message, () => undo(result), touches);
    else toast(message);
    if (onDone) onDone(result);
    await (early || refresh({ touches }));
    return result;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 412) {
      await showStale(error);
      return null;
    }
    const retry =
      overridable && error.status === 409
        ? (reason) =>
            runWrite(() => fn(reason), { onDone, overridable, errorTarget, undo, touches })
        : null;
    if (errorTarget) errorTarget.replaceChildren(errorBlock(error, retry));
    else openDialog(t("refused"), errorBlock(error, retry));
    return null;
  }
}
