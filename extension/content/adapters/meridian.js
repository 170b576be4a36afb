/*
 * Meridian Mutual (invented insurer): the claims list, one card per claim.
 *
 * There is no table at all. Each card (article.mm-claim-card) names the provider in its heading,
 * prints "Claim # …", the visit date, a network badge and the status as separate chips, and lists
 * each service as a block: a title with the code in a chip, then its amounts as a <dl> of
 * label/value pairs. Amounts are named like any EOB's columns, so the shared synonyms map them.
 *
 * Test pages: tests/browser/fixtures/meridian-claims.html.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("adapter:meridian")) return;
  ns.parts.add("adapter:meridian");

  const T = ns.text;

  function chip(card, selector, prefix) {
    const el = card.querySelector(selector);
    if (!el) return undefined;
    return T.textOf(el).replace(prefix, "").trim() || undefined;
  }

  function printedHeader(card) {
    return {
      claim_number: chip(card, ".mm-claim-number", /^claim\s*(#|no\.?|number)\s*:?\s*/i),
      provider_name: chip(card, ".mm-provider", /^$/),
      service_dates: chip(card, ".mm-visit-date", /^visit date\s*:?\s*/i),
      network: chip(card, ".mm-network", /^$/),
      status: chip(card, ".mm-status", /^status\s*:?\s*/i),
      processed_date: chip(card, ".mm-processed", /^processed( on)?\s*:?\s*/i),
    };
  }

  /** One service block -> {field: printed text} from its title, code chip and <dl>. */
  function serviceTexts(block) {
    const texts = {};
    const labels = {};
    const code = block.querySelector(".mm-code");
    if (code) texts.code = T.textOf(code);
    const title = block.querySelector(".mm-service-title");
    if (title) texts.description = T.textOf(title).replace(texts.code || "\u0000", "").trim();
    for (const dt of block.querySelectorAll("dl.mm-amounts > dt")) {
      const field = ns.columns.fieldFor(T.textOf(dt));
      const dd = dt.nextElementSibling;
      if (!field || !dd || dd.tagName !== "DD" || field in texts) continue;
      texts[field] = T.textOf(dd);
      labels[field] = T.textOf(dt);
    }
    return { texts, labels };
  }

  function extractCard(card, index, warnings) {
    const printed = printedHeader(card);
    const network = ns.claims.claimNetwork(printed);
    const rows = Array.from(card.querySelectorAll(".mm-service")).map((block) => {
      const { texts, labels } = serviceTexts(block);
      const result = ns.lines.lineFromTexts(texts, { labels, network, warnings });
      return { result, row: block, anchor: block.querySelector(".mm-service-title") || block };
    });
    return ns.claims.buildClaim({
      key: `meridian:${index}`,
      printed,
      rows,
      payer: "Meridian Mutual",
      defaults: { claim_type: "professional" },
    });
  }

  ns.adapters.register({
    id: "meridian",
    name: "Meridian Mutual claims (cards)",
    payer: "Meridian Mutual",
    hosts: [/(^|\.)meridianmutual\.example$/],
    detect: (doc) => Boolean(doc.querySelector("article.mm-claim-card")),
    ready: (doc) => Boolean(doc.querySelector("article.mm-claim-card .mm-service dl.mm-amounts")),
    extract(doc) {
      const warnings = [];
      const cards = Array.from(doc.querySelectorAll("article.mm-claim-card"));
      const claims = cards.map((card, i) => extractCard(card, i, warnings)).filter((c) => c.lines.length);
      return { claims, warnings: [...new Set(warnings)] };
    },
  });
})();
