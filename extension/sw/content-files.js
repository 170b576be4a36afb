/**
 * The content scripts, in load order. The same list is injected by scanTab, registered for
 * auto-scanned portals, and declared in manifest.json for the service's /demo page (a test keeps
 * the three in step).
 */
export const CONTENT_FILES = Object.freeze([
  "content/namespace.js",
  "content/text.js",
  "content/money.js",
  "content/vocabulary.js",
  "content/columns.js",
  "content/titles.js",
  "content/grids.js",
  "content/labels.js",
  "content/members.js",
  "content/lines.js",
  "content/claims.js",
  "content/standing.js",
  "content/adapters/registry.js",
  "content/adapters/generic.js",
  "content/adapters/bluepeak.js",
  "content/adapters/meridian.js",
  "content/adapters/northwind.js",
  "content/ui/styles.js",
  "content/ui/render.js",
  "content/annotate.js",
  "content/observer.js",
  "content/scan.js",
]);

export const AUTOSCAN_FILES = Object.freeze([...CONTENT_FILES, "content/autoscan.js"]);
