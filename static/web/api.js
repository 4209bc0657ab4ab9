// The pages call the REST API with the session cookie and Django's CSRF token.
const CONFIG = JSON.parse(document.getElementById("app-config")?.textContent || "{}");
export const config = CONFIG;
export const t = (key) => (CONFIG.labels && CONFIG.labels[key]) || key;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

/** The error's message without a raw field name: the field's label, or the text alone. */
function readable(error) {
  const [field, messages] = Object.entries(error?.fields || {})[0] || [];
  if (!field || !messages?.length) return error?.message;
  const label = CONFIG.labels?.[field.split(".").pop()];
  return label ? `${label}: ${messages[0]}` : messages[0];
}

export class ApiError extends Error {
  constructor(status, error) {
    super(readable(error) || `HTTP ${status}`);
    this.status = status;
    this.error = error || {};
    this.conflicts = this.error.conflicts || [];
  }
}

/** Writes sent while an undo runs (`asUndo`) say so (`X-Undo`): audited as an undo. */
let undoing = 0;

/** Runs `fn` (the writes that revert the previous action), its requests marked as an undo. */
export async function asUndo(fn) {
  undoing += 1;
  try {
    return await fn();
  } finally {
    undoing -= 1;
  }
}

export async function api(method, path, body, { headers = {} } = {}) {
  const response = await fetch((CONFIG.api || "/api/v1") + path, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
      ...(undoing && method !== "GET" ? { "X-Undo": "true" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data && data.error);
  // The version of the row a single-object answer holds (its ETag without `W/"…"`), kept
  // out of the data's own fields: the next conditional write on that row sends it back.
  const etag = response.headers.get("ETag");
  if (etag && data && typeof data === "object") {
    Object.defineProperty(data, "version", { value: etag.replace(/^W\/"|"$/g, "") });
  }
  return data;
}

/** The options of `api()` for a conditional write on a row drawn at `version`: refused
 * with 412 if the row changed since (no header without a version). */
export const ifMatch = (version) => (version ? { headers: { "If-Match": `W/"${version}"` } } : {});

/** Every page of a paginated list. */
export async function apiAll(path) {
  const results = [];
  const url = `${path}${path.includes("?") ? "&" : "?"}page_size=200`;
  for (let page = 1; page < 50; page += 1) {
    const data = await api("GET", `${url}&page=${page}`);
    results.push(...(data.results || data));
    if (!data.next) break;
  }
  return results;
}

export function toast(message) {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
  clearTimeout(box._timer);
  box._timer = setTimeout(() => {
    box.hidden = true;
  }, 4000);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const timeFormat = () =>
  new Intl.DateTimeFormat(CONFIG.lang || "en", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: CONFIG.org?.timezone,
  });
const dateTimeFormat = () =>
  new Intl.DateTimeFormat(CONFIG.lang || "en", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: CONFIG.org?.timezone,
  });
export const fmtTime = (iso) => timeFormat().format(new Date(iso));
export const fmtDateTime = (iso) => dateTimeFormat().format(new Date(iso));
export const fmtNumber = (value) =>
  new Intl.NumberFormat(CONFIG.lang || "en", { maximumFractionDigits: 1 }).format(
    Number(value ?? 0),
  );

/** Minutes east of UTC of the organization's zone at an instant. */
export function zoneOffsetMinutes(date, timeZone = CONFIG.org?.timezone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - date.getTime()) / 60000);
}

/** The instant of a wall-clock time ("2026-03-29T02:30") in the organization's zone. */
export function zonedToDate(localIso, timeZone = CONFIG.org?.timezone) {
  const guess = new Date(`${localIso}Z`);
  const offset = zoneOffsetMinutes(guess, timeZone);
  const first = new Date(guess.getTime() - offset * 60000);
  const offset2 = zoneOffsetMinutes(first, timeZone);
  return offset2 === offset ? first : new Date(guess.getTime() - offset2 * 60000);
}

/** "YYYY-MM-DDTHH:MM" wall-clock of an instant in the organization's zone. */
export function toZonedInput(iso, timeZone = CONFIG.org?.timezone) {
  const date = new Date(iso);
  const local = new Date(date.getTime() + zoneOffsetMinutes(date, timeZone) * 60000);
  return local.toISOString().slice(0, 16);
}

export function conflictList(conflicts) {
  if (!conflicts || !conflicts.length) return el("p", { class: "muted", text: t("no_conflict") });
  return el(
    "div",
    { class: "conflicts", role: "list" },
    conflicts.map((c) =>
      el(
        "div",
        {
          class: `conflict ${c.type}${c.waived ? " waived" : ""}`,
          role: "listitem",
          "data-rule": c.rule,
        },
        `${t(c.type)} · ${t(`rule_${c.rule}`)}: ${c.message}${
          c.waived ? ` (${t("waived_by")} ${c.waived.by}: ${c.waived.reason})` : ""
        }`,
      ),
    ),
  );
}
