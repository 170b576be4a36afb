/**
 * Every message the service worker accepts, by sender.
 *
 * Content scripts run in the portal's renderer: if the page (or a compromised renderer) controls
 * them, it can send anything. So they get exactly two message types, "scan this request" and
 * "here is my report", both validated; everything that changes settings, reads the token or
 * drives other tabs is for the extension's own pages (popup, options), told apart by the sender's
 * origin. Other extensions and web pages cannot reach us at all (externally_connectable is empty,
 * and there is no onMessageExternal listener).
 */
import { SCAN_REQUEST, SchemaError, validate } from "./schema.js";
import { postScan, testConnection } from "./service.js";
import { publicSettings, readSettings, writeSettings } from "./settings.js";
import { readReport, scanTab, storeReport } from "./tabs.js";
import { autoscanOrigins, syncAutoscan } from "./autoscan.js";

const MAX_MESSAGE_CHARS = 4_000_000;

function extensionOrigin() {
  return new URL(chrome.runtime.getURL("")).origin;
}

/** "page" (our popup/options), "content" (our content script in a tab's top frame) or null. */
export function senderKind(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  const ours = extensionOrigin();
  let origin = sender.origin;
  if (!origin && sender.url) {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
  }
  if (origin === ours && typeof sender.url === "string" && sender.url.startsWith(`${ours}/ui/`)) return "page";
  if (origin !== ours && sender.tab && Number.isInteger(sender.tab.id) && sender.frameId === 0) return "content";
  return null;
}

const rejected = (message) => ({ ok: false, error: { kind: "rejected", message } });

function onlyKeys(message, keys) {
  return Object.keys(message).every((k) => k === "type" || keys.includes(k));
}

async function scanRequest(message) {
  if (!onlyKeys(message, ["request"])) return rejected("unexpected fields");
  try {
    validate(message.request, SCAN_REQUEST, "request");
  } catch (error) {
    if (error instanceof SchemaError) return rejected(`The page's claim data was refused by the extension (${error.message}).`);
    throw error;
  }
  const settings = await readSettings();
  const body = { claims: message.request.claims };
  if (settings.plan) body.plan = settings.plan;
  const reply = await postScan(settings, body);
  if (!reply.ok) return reply;
  const { findings, summary, ledger = [], notes = [] } = reply.result;
  return { ok: true, result: { findings, summary, ledger, notes } };
}

const CONTENT_HANDLERS = {
  "eobx:scan": scanRequest,
  "eobx:report": async (message, sender) => {
    if (!onlyKeys(message, ["report"]) || !message.report || typeof message.report !== "object") return rejected("bad report");
    await storeReport(sender.tab.id, message.report);
    return { ok: true };
  },
};

const PAGE_HANDLERS = {
  "eobx:configure": async (message) => ({ ok: true, settings: await writeSettings(message.settings || {}) }),
  "eobx:settings": async () => ({ ok: true, settings: publicSettings(await readSettings()), autoscan: await autoscanOrigins() }),
  "eobx:test-connection": async () => testConnection(await readSettings()),
  "eobx:scan-tab": async (message) => ({ ok: true, report: await scanTab(message.tabId) }),
  "eobx:tab-report": async (message) => ({ ok: true, report: await readReport(message.tabId) }),
  "eobx:autoscan-sync": async () => ({ ok: true, origins: await syncAutoscan() }),
};

/** Route one message; resolves to the reply (never rejects). */
export async function handleMessage(message, sender) {
  try {
    if (!message || typeof message !== "object" || typeof message.type !== "string") return rejected("not a message");
    if (JSON.stringify(message).length > MAX_MESSAGE_CHARS) return rejected("message too large");
    const kind = senderKind(sender);
    const handler = kind === "content" ? CONTENT_HANDLERS[message.type] : kind === "page" ? PAGE_HANDLERS[message.type] : undefined;
    if (!handler) return rejected("this sender cannot send this message");
    return await handler(message, sender);
  } catch (error) {
    // Our own words only: an error's text may hold data from the page.
    const message = error && error.name === "SettingsError" ? error.message : "The extension hit an unexpected problem; nothing was sent.";
    return { ok: false, error: { kind: "internal", message } };
  }
}
