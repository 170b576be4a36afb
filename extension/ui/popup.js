/**
 * The popup: scan the current tab through the service worker, show the summary, link to the
 * service's docs, and let the user opt this site into auto-scan (an optional host permission the
 * browser asks them about). `?tab=ID` names the tab explicitly (used by tests).
 */
import { summaryLines } from "./format.js";

const $ = (id) => document.getElementById(id);
const send = (message) => chrome.runtime.sendMessage(message);

async function targetTab() {
  const fromQuery = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(fromQuery) && fromQuery > 0) {
    try {
      return await chrome.tabs.get(fromQuery);
    } catch {
      return { id: fromQuery };
    }
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab || null;
}

function show(report) {
  const view = summaryLines(report);
  const status = $("status");
  status.className = "status";
  status.textContent = "";
  $("summary").hidden = true;
  if (!view) return;
  if (view.error) {
    status.className = "status error";
    status.textContent = view.error;
    return;
  }
  $("summary").hidden = false;
  $("total").textContent = view.total;
  $("total").className = view.clean ? "total clean" : "total";
  $("parts").textContent = view.parts;
  $("counts").textContent = view.counts;
  $("classes").replaceChildren(...view.classes.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
}

async function scan(tab) {
  $("scan").disabled = true;
  $("status").className = "status";
  $("status").textContent = "Scanning…";
  try {
    const reply = await send({ type: "eobx:scan-tab", tabId: tab.id });
    if (reply && reply.ok) show(reply.report);
    else show({ errors: [(reply && reply.error && reply.error.message) || "The scan could not start."] });
  } finally {
    $("scan").disabled = false;
  }
}

function httpsOrigin(tab) {
  try {
    const url = new URL(tab.url);
    return url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

async function setUpAutoscan(tab, enabledOrigins) {
  const origin = tab && tab.url ? httpsOrigin(tab) : null;
  if (!origin) return;
  const pattern = `${origin}/*`;
  $("autoscan-row").hidden = false;
  $("autoscan").checked = enabledOrigins.includes(pattern);
  $("autoscan").addEventListener("change", async (event) => {
    const granted = event.target.checked
      ? await chrome.permissions.request({ origins: [pattern] })
      : !(await chrome.permissions.remove({ origins: [pattern] }));
    event.target.checked = granted;
    await send({ type: "eobx:autoscan-sync" });
  });
}

async function main() {
  const tab = await targetTab();
  const settings = await send({ type: "eobx:settings" });
  const serviceUrl = settings && settings.ok ? settings.settings.serviceUrl : "http://127.0.0.1:8765";
  $("docs").href = `${serviceUrl}/docs`;
  if (!tab) {
    $("scan").disabled = true;
    return;
  }
  $("scan").addEventListener("click", () => scan(tab));
  const stored = await send({ type: "eobx:tab-report", tabId: tab.id });
  if (stored && stored.ok) show(stored.report);
  await setUpAutoscan(tab, (settings && settings.autoscan) || []);
}

main();
