/**
 * Auto-scan for portals the user opted into. The popup asks the browser for the portal's origin
 * (an optional host permission, granted or refused by the user); whatever is granted is the list
 * of auto-scanned sites, and this keeps one registered content script in step with it.
 */
import { AUTOSCAN_FILES } from "./content-files.js";

const SCRIPT_ID = "eobx-autoscan";
const FIXED_HOSTS = new Set(["http://127.0.0.1/*", "http://localhost/*"]);

export async function autoscanOrigins() {
  const { origins = [] } = await chrome.permissions.getAll();
  return origins.filter((o) => !FIXED_HOSTS.has(o) && o.startsWith("https://"));
}

export async function syncAutoscan() {
  const origins = await autoscanOrigins();
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!origins.length) return [];
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, matches: origins, js: [...AUTOSCAN_FILES], runAt: "document_idle", persistAcrossSessions: true },
  ]);
  return origins;
}
