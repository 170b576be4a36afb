/**
 * The EOB Scanner service worker: the only code that talks to the local service.
 *
 *   content script (portal tab) ──message──▶ here ──fetch──▶ http://127.0.0.1:PORT/v1/scan
 *   popup / options page        ──message──▶ here (settings, pairing test, scan a tab)
 *   tests and the popup         ──────────▶ globalThis.eobscan.configure / scanTab
 *
 * It keeps no state in globals (the browser stops idle workers): settings live in storage.local,
 * reports in storage.session.
 */
import { handleMessage } from "./sw/messages.js";
import { publicSettings, readSettings, restrictStorage, writeSettings } from "./sw/settings.js";
import { testConnection } from "./sw/service.js";
import { extractTab, forgetTab, readReport, scanTab } from "./sw/tabs.js";
import { syncAutoscan } from "./sw/autoscan.js";

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handleMessage(message, sender).then(sendResponse);
  return true;
});

// Every time the worker starts: the restriction is cheap to repeat and must never be missing.
restrictStorage();

chrome.runtime.onInstalled.addListener(() => {
  restrictStorage();
  syncAutoscan();
});
chrome.runtime.onStartup.addListener(() => {
  restrictStorage();
  syncAutoscan();
});
chrome.permissions.onAdded.addListener(() => syncAutoscan());
chrome.permissions.onRemoved.addListener(() => syncAutoscan());
chrome.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

/** The automation API (API.md, "Extension automation API"). */
globalThis.eobscan = Object.freeze({
  /** Store the settings: {serviceUrl, token} (and optionally plan). Resolves to the public settings. */
  configure: (settings) => writeSettings(settings || {}),
  /** Extract, scan and annotate a tab; resolves to its ScanReport. */
  scanTab: (tabId, options) => scanTab(tabId, options),
  /** What scanning a tab would send: {adapter, request, warnings}. */
  extractTab: (tabId, options) => extractTab(tabId, options),
  /** The last report of a tab, or null. */
  report: (tabId) => readReport(tabId),
  /** Ask the service if it is there and takes our token. */
  testConnection: async () => testConnection(await readSettings()),
  /** The settings without the token. */
  settings: async () => publicSettings(await readSettings()),
});
