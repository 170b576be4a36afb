/*
 * Bluepeak Health (invented insurer): the classic claim detail page.
 *
 * One claim per page: a two-column summary table (th/td) above a line table with a <tfoot> of
 * claim totals. Bluepeak prints its own remark codes (BP45...) and explains them in a legend;
 * the standard codes they stand for are below. Its column names are read by the shared synonyms,
 * except the one Bluepeak spells its own way.
 *
 * Test pages: tests/browser/fixtures/bluepeak-claim.html (and /strict/bluepeak-claim.html, the
 * same page under a strict Content-Security-Policy with Trusted Types).
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("adapter:bluepeak")) return;
  ns.parts.add("adapter:bluepeak");

  const REMARK_CODES = {
    BP45: "CO-45", // charge exceeds the fee arrangement: the provider writes it off
    BP01: "PR-1", // applied to your deductible
    BP02: "PR-2", // your coinsurance
    BP03: "PR-3", // your copay
    BP96: "CO-96", // not covered
    BP97: "CO-97", // included in another service's payment
  };

  const COLUMNS = {
    "not payable": "not_covered",
  };

  ns.adapters.register({
    id: "bluepeak",
    name: "Bluepeak Health claim details",
    payer: "Bluepeak Health",
    hosts: [/(^|\.)bluepeakhealth\.example$/],
    detect: (doc) => Boolean(doc.querySelector("#bp-claim-detail table.bp-lines")),
    ready: (doc) => Boolean(doc.querySelector("#bp-claim-detail table.bp-lines tbody tr")),
    extract(doc) {
      const scope = doc.querySelector("#bp-claim-detail");
      return ns.extractGrids(scope, {
        overrides: COLUMNS,
        localCodes: REMARK_CODES,
        payer: "Bluepeak Health",
        keyPrefix: "bluepeak",
        defaults: { claim_type: "professional" },
      });
    },
  });
})();
