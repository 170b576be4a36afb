/**
 * Scanning a tab: inject the content scripts (once), run the scan cycle there, keep the report.
 *
 * Reports hold rule codes, severities, opaque claim ids and amounts (no claim numbers, names or
 * descriptions) and live in storage.session: in memory, gone when the browser closes, hidden from
 * content scripts. They are dropped when their tab closes.
 */
import { CONTENT_FILES } from "./content-files.js";

const NO_ACCESS =
  "The extension cannot read this page. Open your insurer's claim page and click the extension's icon there, then press Scan this page.";
const DEFAULT_WAIT_MS = 8000;

const reportKey = (tabId) => `report:${tabId}`;

function emptyReport(message) {
  return { adapter: null, claims: 0, lines: 0, findings: [], annotated: [], summary: null, errors: [message], warnings: [] };
}

function checkTabId(tabId) {
  if (!Number.isInteger(tabId) || tabId < 0) throw new TypeError("a tab id is a whole number");
}

async function inject(tabId) {
  const [probe] = await chrome.scripting.executeScript({ target: { tabId }, func: () => Boolean(globalThis.__eobx && globalThis.__eobx.ready) });
  if (!probe || probe.result !== true) await chrome.scripting.executeScript({ target: { tabId }, files: [...CONTENT_FILES] });
}

const FAILED =
  "The extension hit an unexpected problem while reading this page; nothing was sent. Reload the page and scan again.";

/** Run `func` in the tab's content world: {result} or {error: message for a person}. */
async function runInTab(tabId, func, args) {
  try {
    await inject(tabId);
  } catch {
    return { error: NO_ACCESS };
  }
  try {
    const [first] = await chrome.scripting.executeScript({ target: { tabId }, func, args });
    return first && first.result && typeof first.result === "object" ? { result: first.result } : { error: FAILED };
  } catch {
    return { error: FAILED };
  }
}

/** Keep only the report fields we know, in the types we expect. */
export function cleanReport(report) {
  const text = (v) => (typeof v === "string" ? v.slice(0, 600) : null);
  const count = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);
  const money = (v) => (typeof v === "string" && /^-?\d{1,9}\.\d{2}$/.test(v) ? v : null);
  const list = (v, max) => (Array.isArray(v) ? v.slice(0, max) : []);
  const summary = report && report.summary && typeof report.summary === "object" ? report.summary : null;
  return {
    adapter: text(report && report.adapter),
    claims: count(report && report.claims),
    lines: count(report && report.lines),
    findings: list(report && report.findings, 500).map((f) => ({
      rule: text(f.rule),
      error_class: text(f.error_class),
      severity: text(f.severity),
      claim_id: text(f.claim_id),
      line_ids: list(f.line_ids, 100).map(text),
      amount_at_stake: money(f.amount_at_stake),
    })),
    annotated: list(report && report.annotated, 2000).map((a) => ({ rule: text(a.rule), claim_id: text(a.claim_id), line_id: text(a.line_id) })),
    summary: summary
      ? {
          patient_responsibility: money(summary.patient_responsibility),
          amount_at_stake: money(summary.amount_at_stake),
          by_class: Object.fromEntries(Object.entries(summary.by_class || {}).slice(0, 20).map(([k, v]) => [text(k), money(v)])),
          counts: Object.fromEntries(Object.entries(summary.counts || {}).slice(0, 5).map(([k, v]) => [text(k), count(v)])),
          total_by_severity: Object.fromEntries(
            ["error", "warning", "info"].map((k) => [k, money((summary.total_by_severity || {})[k])]),
          ),
        }
      : null,
    errors: list(report && report.errors, 10).map(text),
    warnings: list(report && report.warnings, 10).map(text),
  };
}

export async function storeReport(tabId, report) {
  const clean = cleanReport(report);
  await chrome.storage.session.set({ [reportKey(tabId)]: { ...clean, at: Date.now() } });
  return clean;
}

export async function readReport(tabId) {
  checkTabId(tabId);
  const stored = await chrome.storage.session.get(reportKey(tabId));
  return stored[reportKey(tabId)] || null;
}

export async function forgetTab(tabId) {
  await chrome.storage.session.remove(reportKey(tabId));
}

/**
 * Scan a tab: extract, scan, annotate. Resolves to a ScanReport
 * {adapter, claims, lines, findings, annotated, summary, errors, warnings}; never rejects for a
 * page or service problem (those are in `errors`).
 */
export async function scanTab(tabId, { waitMs = DEFAULT_WAIT_MS } = {}) {
  checkTabId(tabId);
  const scan = (options) => globalThis.__eobx.runScan(options);
  const { result, error } = await runInTab(tabId, scan, [{ waitMs, explicit: true }]);
  return storeReport(tabId, result || emptyReport(error));
}

/** What scanning this tab would send to the service, without sending it. */
export async function extractTab(tabId, { waitMs = DEFAULT_WAIT_MS } = {}) {
  checkTabId(tabId);
  const preview = (options) => globalThis.__eobx.preview(options);
  const { result, error } = await runInTab(tabId, preview, [{ waitMs }]);
  if (!result) throw new Error(error);
  return result;
}
