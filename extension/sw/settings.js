/**
 * Settings: the service URL, the pairing token and the plan details, in storage.local (they are
 * settings, not health data about a claim). Only the service worker reads the token; it is never
 * sent to a content script. Findings never go here (see tabs.js: storage.session only).
 */
import { PLAN, validate } from "./schema.js";

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:8765";
const KEYS = ["serviceUrl", "token", "plan"];

export class SettingsError extends Error {
  constructor(message) {
    super(message);
    this.name = "SettingsError";
  }
}

/**
 * The service must be on this computer: the extension's host permissions cover only 127.0.0.1 and
 * localhost, and nothing about a claim should travel further.
 */
export function normalizeServiceUrl(value) {
  let url;
  try {
    url = new URL(String(value).trim());
  } catch {
    throw new SettingsError("The service URL is not a URL. Use the address the service printed, like http://127.0.0.1:8765.");
  }
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(url.hostname)) {
    throw new SettingsError("The service URL must point to this computer: http://127.0.0.1:PORT or http://localhost:PORT.");
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw new SettingsError("The service URL is only the address and port, like http://127.0.0.1:8765.");
  }
  return url.origin;
}

export function normalizeToken(value) {
  const token = String(value ?? "").trim();
  if (token.length > 256 || !/^[\x21-\x7e]*$/.test(token)) {
    throw new SettingsError("The token must be the text the service printed at start (letters, digits and symbols, no spaces).");
  }
  return token;
}

export function normalizePlan(value) {
  if (value === null || value === undefined) return null;
  try {
    validate(value, PLAN, "plan");
  } catch (error) {
    throw new SettingsError(`The plan details are not valid (${error.message}).`);
  }
  return Object.keys(value).length ? value : null;
}

export async function readSettings() {
  const stored = await chrome.storage.local.get(KEYS);
  return {
    serviceUrl: stored.serviceUrl || DEFAULT_SERVICE_URL,
    token: stored.token || "",
    plan: stored.plan || null,
  };
}

/** Store the given settings (fields left out keep their value). */
export async function writeSettings({ serviceUrl, token, plan } = {}) {
  const update = {};
  if (serviceUrl !== undefined) update.serviceUrl = normalizeServiceUrl(serviceUrl);
  if (token !== undefined) update.token = normalizeToken(token);
  if (plan !== undefined) update.plan = normalizePlan(plan);
  await chrome.storage.local.set(update);
  return publicSettings(await readSettings());
}

/** What extension pages may see: everything but the token itself. */
export function publicSettings(settings) {
  return { serviceUrl: settings.serviceUrl, hasToken: Boolean(settings.token), plan: settings.plan };
}

/** Keep storage.local away from content scripts where the browser allows it. */
export async function restrictStorage() {
  try {
    await chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });
  } catch {
    // Older browsers only restrict storage.session; our content scripts never read storage.
  }
  try {
    await chrome.storage.session.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });
  } catch {
    // TRUSTED_CONTEXTS is already the default for storage.session.
  }
}
