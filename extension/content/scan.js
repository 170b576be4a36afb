/*
 * The scan cycle: pick the adapter, wait for the claim to be drawn, extract (and give the page's
 * claims their members, all together: members.js), ask the service worker to scan (it alone
 * talks to the service), draw, report. After a scan, page changes that alter the claims (a
 * single-page portal moving to another claim) start a new scan; changes that do not alter them
 * (our own badges, a clock ticking) do not.
 *
 * The report returned (and given to the service worker for the popup) holds no claim numbers,
 * names or descriptions: rule codes, severities, opaque ids and amounts.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("scan")) return;
  ns.parts.add("scan");

  const MAX_LINES = 2000;
  const NOTHING_FOUND =
    "No EOB claim lines were found on this page. Open the page that lists a claim's services and amounts (often called Claim details or Explanation of Benefits) and scan again.";
  const NO_WORKER = "The EOB Scanner extension could not reach its background worker. Reload the page and scan again.";
  const state = ns.state;

  function lineCount(extraction) {
    return extraction.claims.reduce((sum, c) => sum + c.lines.length, 0);
  }

  /** What the standing is never read from: the claim grids and the claims' line rows. */
  function outsideStanding(claims) {
    const body = document.body || document.documentElement;
    const skipped = new Set(ns.grids.findGrids(body).map((grid) => grid.root));
    for (const claim of claims) for (const line of claim.lines) if (line.row) skipped.add(line.row);
    return (el) => skipped.has(el);
  }

  function extractNow(adapter) {
    const extraction = adapter.extract(document);
    ns.members.assign(extraction.claims);
    const warnings = [...extraction.warnings];
    let budget = MAX_LINES;
    const claims = [];
    for (const claim of extraction.claims) {
      if (budget <= 0) break;
      if (claim.lines.length > budget) {
        warnings.push(`Only the first ${MAX_LINES} lines of this page were scanned.`);
        claim.lines = claim.lines.slice(0, budget);
        claim.wire.lines = claim.wire.lines.slice(0, budget);
      }
      budget -= claim.lines.length;
      claims.push(claim);
    }
    ns.standing.attach(claims, document.body || document.documentElement, outsideStanding(claims));
    return { adapter: adapter.id, claims, warnings };
  }

  async function extract({ waitMs = 0 } = {}) {
    const adapter = ns.adapters.pick(document);
    if (!adapter) return { adapter: null, claims: [], warnings: [] };
    let found = null;
    const drawn = () => {
      found = adapter.ready(document) ? extractNow(adapter) : null;
      return Boolean(found && found.claims.length);
    };
    await ns.observer.waitFor(drawn, waitMs);
    return found || extractNow(adapter);
  }

  /** What the service receives: the wire claims, nothing else. */
  function requestOf(extraction) {
    return { claims: extraction.claims.map((c) => c.wire) };
  }

  function signature(extraction) {
    return JSON.stringify(extraction.claims.map((c) => [c.local.claim_number || null, c.wire.lines.map((l) => ({ ...l, id: undefined }))]));
  }

  function reduce(finding) {
    return {
      rule: finding.rule,
      error_class: finding.error_class,
      severity: finding.severity,
      claim_id: finding.claim_id,
      line_ids: [...(finding.line_ids || [])],
      amount_at_stake: finding.amount_at_stake,
    };
  }

  async function ask(message) {
    try {
      return await chrome.runtime.sendMessage(message);
    } catch {
      return null;
    }
  }

  function fail(report, message, extraction) {
    report.errors.push(message);
    ns.annotate.removeBadges();
    ns.annotate.showPanel({ error: message, claims: extraction ? extraction.claims : [] });
    return report;
  }

  async function scanOnce({ waitMs = 0, explicit = true } = {}) {
    const report = { adapter: null, claims: 0, lines: 0, findings: [], annotated: [], summary: null, errors: [], warnings: [] };
    const extraction = await extract({ waitMs });
    report.adapter = extraction.adapter;
    report.claims = extraction.claims.length;
    report.lines = lineCount(extraction);
    report.warnings = extraction.warnings;
    state.signature = signature(extraction);
    if (!report.lines) {
      if (explicit) return fail(report, NOTHING_FOUND);
      report.errors.push(NOTHING_FOUND);
      return report;
    }
    const reply = await ask({ type: "eobx:scan", request: requestOf(extraction) });
    if (!reply || !reply.ok) return fail(report, (reply && reply.error && reply.error.message) || NO_WORKER, extraction);
    const result = reply.result;
    const { annotated, unplaced } = ns.annotate.annotate(extraction, result);
    report.findings = (result.findings || []).map(reduce);
    report.annotated = annotated;
    report.summary = result.summary || null;
    ns.annotate.showPanel({ result, claims: extraction.claims, warnings: extraction.warnings, unplaced });
    return report;
  }

  /** After a page change: scan again if the claims on the page are not the ones last scanned. */
  function checkForChange() {
    if (state.running) {
      state.dirty = true;
      return;
    }
    const adapter = ns.adapters.pick(document);
    if (!adapter || !adapter.ready(document)) return;
    const extraction = extractNow(adapter);
    if (!lineCount(extraction) || signature(extraction) === state.signature) return;
    runScan({ explicit: false });
  }

  function watch() {
    if (!state.unwatch) state.unwatch = ns.observer.onChange(checkForChange);
  }

  /**
   * Scan this page. `waitMs`: how long to wait for a late-drawn claim; `explicit`: the user asked
   * (so "nothing found" is shown). Concurrent calls share one scan.
   */
  async function runScan(options = {}) {
    if (state.running) return state.running;
    state.running = (async () => {
      try {
        const report = await scanOnce(options);
        ask({ type: "eobx:report", report });
        return report;
      } finally {
        state.running = null;
        watch();
        if (state.dirty) {
          state.dirty = false;
          setTimeout(checkForChange, 0);
        }
      }
    })();
    return state.running;
  }

  /** The request this page would send (for tests and the benchmark): {adapter, request, warnings}. */
  async function preview({ waitMs = 0 } = {}) {
    const extraction = await extract({ waitMs });
    return { adapter: extraction.adapter, request: requestOf(extraction), warnings: extraction.warnings };
  }

  ns.runScan = runScan;
  ns.preview = preview;
  ns.ready = true;
})();
