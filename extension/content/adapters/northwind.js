/*
 * Northwind Care (invented insurer): a single-page app.
 *
 * The page arrives as an empty shell (#nw-root) and the app draws the claim a moment later, from
 * its own API; moving to another claim swaps the content without a page load. The claim header is
 * key/value spans, the lines an ARIA grid (role=grid, row, columnheader, gridcell). Waiting and
 * re-scanning are the scan cycle's job (one observer); this adapter only says when the claim is
 * drawn and where.
 *
 * Test pages: tests/browser/fixtures/northwind-app.html (#/claims/NW-55120-A, #/claims/NW-55187-B).
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("adapter:northwind")) return;
  ns.parts.add("adapter:northwind");

  const GRID = '#nw-root [role="grid"][aria-label="Service lines"]';

  ns.adapters.register({
    id: "northwind",
    name: "Northwind Care claim (single-page app)",
    payer: "Northwind Care",
    hosts: [/(^|\.)northwindcare\.example$/],
    detect: (doc) => Boolean(doc.querySelector('#nw-root[data-app="northwind-care"]')),
    ready: (doc) => Boolean(doc.querySelector(`${GRID} [role="row"] [role="gridcell"]`)),
    extract(doc) {
      const scope = doc.querySelector('#nw-root[data-app="northwind-care"] .nw-claim');
      if (!scope) return { claims: [], warnings: [] };
      return ns.extractGrids(scope, { payer: "Northwind Care", keyPrefix: "northwind", defaults: { claim_type: "professional" } });
    },
  });
})();
