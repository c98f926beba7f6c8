// Signatures waiting for the network: an always-visible panel (#pending-list) listing the
// queued jobs with their last error, and the loop that completes them. While the list is not
// empty and the app is online, `complete_pending` runs every 15 s; an empty list stops it.
import { api, type PendingJob } from "./api";
import { baseName, clear, h } from "./dom";
import { t } from "./i18n";

declare global {
  interface Window { __KYSO_PENDING_INTERVAL_MS?: number }
}

const DEFAULT_INTERVAL_MS = 15_000;

let jobs: PendingJob[] = [];
let offline = false;
let timer: number | undefined;
let running: Promise<void> | null = null;
let drawn = "";
const listeners = new Set<() => void>();
/** Outputs completed in this session: file → level reached. */
const completed = new Map<string, string>();

/** The retry interval (tests may shorten it with `window.__KYSO_PENDING_INTERVAL_MS`). */
export function pendingInterval(): number {
  const v = window.__KYSO_PENDING_INTERVAL_MS;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : DEFAULT_INTERVAL_MS;
}

export const pendingJobs = (): readonly PendingJob[] => jobs;
export const isPolling = () => timer !== undefined;
/** The level a queued output reached once completed in this session, if it was. */
export const completedLevel = (file: string) => completed.get(file) ?? null;

/** Called whenever the list or a completion changes. */
export function onPendingChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** Reads the waiting list and the offline setting, redraws, and starts or stops polling. */
export async function refreshPending(): Promise<void> {
  try {
    const j = await api.getJournal();
    jobs = Array.isArray(j?.pending) ? j.pending : [];
  } catch {
    // No journal (unwritable data folder): nothing can be queued either. The Journal
    // screen shows the error.
    jobs = [];
  }
  try {
    const s = await api.getSettings();
    offline = !!s?.offline;
  } catch {
    // keep the last known value
  }
  draw();
  schedule();
}

/** One attempt now: completes what it can, then refreshes. Concurrent calls share it. */
export function completeNow(): Promise<void> {
  if (running) return running;
  window.clearTimeout(timer);
  timer = undefined;
  running = (async () => {
    try {
      const r = await api.completePending();
      for (const c of r?.completed ?? []) completed.set(c.output, c.level);
    } catch {
      // The reason is kept with each job (last_error) and shown in the list.
    }
    await refreshPending();
  })().finally(() => { running = null; schedule(); });
  return running;
}

/** After a signing: when something was queued, show it and try once right away. */
export async function afterSigning(queued: boolean): Promise<void> {
  await refreshPending();
  if (queued && jobs.length && !offline) await completeNow();
}

/** Stops polling (tests; the app polls for as long as it runs). */
export function stopPending() {
  window.clearTimeout(timer);
  timer = undefined;
}

function schedule() {
  if (jobs.length && !offline) {
    if (timer === undefined && !running) timer = window.setTimeout(() => { timer = undefined; void completeNow(); }, pendingInterval());
  } else {
    stopPending();
  }
}

function host(): HTMLElement | null {
  let el = document.getElementById("pending-host");
  if (!el) {
    const view = document.getElementById("view");
    if (!view) return null;
    el = h("aside", { id: "pending-host", "aria-live": "polite" });
    view.before(el);
  }
  return el;
}

function draw() {
  const el = host();
  if (!el) return;
  const key = JSON.stringify([jobs, offline, document.documentElement.lang]);
  if (key !== drawn || (jobs.length > 0) !== !!el.firstChild) {
    drawn = key;
    clear(el);
    if (jobs.length) el.append(panel());
  }
  for (const f of listeners) f();
}

function panel(): HTMLElement {
  return h("section", { id: "pending-panel", class: "pending-panel" },
    h("div", { class: "pending-head" },
      h("strong", {}, t("pending_title", { n: jobs.length })),
      offline ? null : h("button", { id: "pending-retry", class: "link", onclick: () => void completeNow() }, t("pending_retry"))),
    h("p", { class: offline ? "warn" : "muted" }, offline ? t("pending_offline") : t("pending_hint")),
    h("ul", { id: "pending-list" }, ...jobs.map((j) => h("li", { class: "pending-item", "data-file": j.file, "data-level": j.level, title: j.file },
      h("strong", {}, baseName(j.file)),
      h("span", { class: "muted" }, ` — ${t("pending_wanted", { l: j.level })}${j.attempts ? ` · ${t("pending_attempts", { n: j.attempts })}` : ""}`),
      j.last_error ? h("div", { class: "pending-error muted" }, t("pending_error", { e: j.last_error })) : null))));
}
