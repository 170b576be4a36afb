/*
 * Auto-scan: loaded after the other content files on the pages the user chose to scan
 * automatically (portals granted in the popup, and the service's own /demo page). It scans once
 * the claim is drawn, quietly when the page has none.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("autoscan")) return;
  ns.parts.add("autoscan");
  ns.runScan({ waitMs: 10000, explicit: false });
})();
