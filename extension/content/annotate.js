/*
 * Drawing findings on the page: one badge per flagged line (details on click) and one summary
 * panel. Each lives in a closed shadow root, so the page's scripts see an empty host element and
 * never the text. Drawing is idempotent: a line keeps its one badge across re-scans, a line that
 * is no longer flagged loses it, and the panel is one element whatever happens.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("annotate")) return;
  ns.parts.add("annotate");

  const { h, shadowHost, clear } = ns.render;
  const { dollars, fromWire } = ns.money;
  ns.state.badges = ns.state.badges || new Map();

  const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
  const CLASS_NAMES = {
    insurer_processing: "Insurer processing",
    coordination_of_benefits: "Coordination of benefits",
    network: "Network and surprise bills",
    oop_max: "Deductible and out-of-pocket maximum",
    balance_billing: "Bill vs. EOB",
    denial: "Denials",
    pricing: "Prices",
    duplicate: "Duplicates",
  };
  const ACTION_NAMES = {
    call_insurer: "Call your insurer",
    call_provider: "Call the provider's billing office",
    request_reprocessing: "Ask for the claim to be reprocessed",
    appeal_internal: "File an internal appeal",
    external_review: "Ask for an external review",
    request_itemized_bill: "Ask for an itemized bill",
    dispute_bill: "Dispute the bill",
    file_complaint: "File a complaint",
    negotiate: "Negotiate",
    apply_financial_assistance: "Apply for financial assistance",
    pay_undisputed: "Pay the part you do not dispute",
  };

  function stake(finding) {
    return fromWire(finding.amount_at_stake) || 0;
  }

  function longDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return iso || "";
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }

  /**
   * Fill a script's {placeholders} with what only this page knows (the real claim number, the
   * provider's name). What the extension never reads (member id, names, addresses) becomes a
   * bracketed prompt for the reader: "[member id]".
   */
  function fillScript(script, claim) {
    const local = claim ? claim.local : {};
    const wire = claim ? claim.wire : {};
    const values = {
      claim_number: local.claim_number,
      provider_name: local.provider_name || local.facility_name,
      physician_name: local.provider_name,
      insurer_name: wire.payer,
    };
    return String(script).replace(/\{(\w{1,40})\}/g, (whole, key) => values[key] || `[${key.replace(/_/g, " ")}]`);
  }

  function findingView(finding, claim) {
    const amount = stake(finding);
    return h(
      "section",
      { class: `finding sev-${finding.severity}` },
      h("h4", {}, finding.title || finding.rule),
      h("p", { class: "meta" }, [finding.rule, finding.severity, finding.confidence && `${finding.confidence} confidence`, amount ? `${dollars(amount)} at stake` : null].filter(Boolean).join(" · ")),
      h("p", { class: "message" }, finding.message || ""),
      (finding.evidence || []).length
        ? h("ul", { class: "evidence" }, finding.evidence.slice(0, 8).map((e) => h("li", {}, [e.field, e.value !== null && e.value !== undefined ? `: ${e.value}` : "", e.expected ? ` (expected ${e.expected})` : "", e.note ? ` - ${e.note}` : ""].join(""))))
        : null,
      (finding.actions || []).length
        ? h(
            "ol",
            { class: "actions" },
            finding.actions.slice(0, 8).map((a) =>
              h(
                "li",
                {},
                h("strong", {}, ACTION_NAMES[a.kind] || a.kind),
                a.who ? ` (${a.who})` : "",
                a.summary ? `: ${a.summary}` : "",
                a.deadline ? h("span", { class: "deadline" }, ` By ${longDate(a.deadline)}.`) : null,
                a.script ? h("span", { class: "script" }, fillScript(a.script, claim)) : null,
              ),
            ),
          )
        : null,
      (finding.references || []).length
        ? h("p", { class: "refs" }, finding.references.slice(0, 5).map((r, i) => [i ? "; " : "", r.url ? h("a", { href: r.url }, r.citation || r.title) : r.citation || r.title]))
        : null,
    );
  }

  function badgeLabel(findings) {
    const worst = findings[0].severity;
    const top = Math.max(...findings.map(stake));
    const icon = worst === "error" ? "⚠" : worst === "warning" ? "?" : "i";
    const what = top > 0 ? `${dollars(top)} at stake` : worst === "info" ? "note" : "check this line";
    return `${icon} ${what}${findings.length > 1 ? ` · ${findings.length} issues` : ""}`;
  }

  function whereText(entry) {
    const parts = [];
    if (entry.claim.local.claim_number) parts.push(`Claim ${entry.claim.local.claim_number}`);
    parts.push(`line ${entry.line.id}`);
    if (entry.line.description) parts.push(entry.line.description);
    return parts.join(" · ");
  }

  function drawBadge(entry, existing) {
    const findings = [...entry.findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || stake(b) - stake(a));
    const badge = existing || shadowHost("span", "badge", ns.styles.BADGE);
    const { host, root } = badge;
    clear(root);
    const details = h("div", { class: "details", hidden: true, role: "dialog", "aria-label": "EOB Scanner findings for this line" }, h("p", { class: "where" }, whereText(entry)), findings.map((f) => findingView(f, entry.claim)));
    const button = h("button", { type: "button", class: `badge sev-${findings[0].severity}`, "aria-expanded": "false" }, badgeLabel(findings));
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      details.hidden = !details.hidden;
      button.setAttribute("aria-expanded", String(!details.hidden));
    });
    root.append(button, details);
    host.setAttribute("data-eobx-severity", findings[0].severity);
    if (host.parentElement !== entry.anchor) entry.anchor.append(host);
    return badge;
  }

  function removeBadges(keep = new Set()) {
    for (const [row, badge] of ns.state.badges) {
      if (keep.has(row)) continue;
      badge.host.remove();
      ns.state.badges.delete(row);
    }
  }

  /**
   * Draw the findings of `result` on the claims of `extraction`. Returns {annotated, unplaced}:
   * what was drawn (rule, claim_id, line_id) and the findings that name no line on the page.
   */
  function annotate(extraction, result) {
    const byClaim = new Map(extraction.claims.map((c) => [c.id, c]));
    const perRow = new Map();
    const unplaced = [];
    for (const finding of result.findings || []) {
      const claim = byClaim.get(finding.claim_id);
      let placed = false;
      for (const lineId of (claim && finding.line_ids) || []) {
        const line = claim.lines.find((l) => l.id === lineId);
        if (!line || !line.anchor || !line.anchor.isConnected) continue;
        const entry = perRow.get(line.row) || { anchor: line.anchor, claim, line, findings: [], lineIds: [] };
        entry.findings.push(finding);
        perRow.set(line.row, entry);
        placed = true;
      }
      if (!placed) unplaced.push({ finding, claim });
    }
    removeBadges(new Set(perRow.keys()));
    const annotated = [];
    for (const [row, entry] of perRow) {
      const badge = drawBadge(entry, ns.state.badges.get(row));
      ns.state.badges.set(row, badge);
      if (!badge.host.isConnected) continue;
      for (const f of entry.findings) annotated.push({ rule: f.rule, claim_id: entry.claim.id, line_id: entry.line.id });
    }
    return { annotated, unplaced };
  }

  function classList(summary) {
    const byClass = Object.entries((summary && summary.by_class) || {}).filter(([, v]) => fromWire(v));
    if (!byClass.length) return null;
    return h("ul", { class: "classes" }, byClass.map(([cls, amount]) => h("li", {}, `${CLASS_NAMES[cls] || cls}: ${dollars(fromWire(amount))}`)));
  }

  // The total in parts that add up to it (summary.total_by_severity): what errors account for,
  // then what warnings and savings add. A negotiable price next to a likely error must not read
  // as money owed back.
  const STAKE_PARTS = [["error", "likely not owed"], ["warning", "worth checking"], ["info", "savings to ask for"]];

  function stakeParts(summary) {
    const split = (summary && summary.total_by_severity) || {};
    const parts = STAKE_PARTS.map(([k, words]) => [fromWire(split[k]) || 0, words]).filter(([cents]) => cents > 0);
    if (!parts.length) return null;
    const text = parts.length === 1 ? `All of it ${parts[0][1]}.` : parts.map(([cents, words]) => `${dollars(cents)} ${words}`).join(" · ");
    return h("p", { class: "parts" }, text);
  }

  function counts(summary) {
    const c = (summary && summary.counts) || {};
    const parts = [["error", "likely error"], ["warning", "worth checking"], ["info", "saving to ask for"]]
      .filter(([k]) => c[k])
      .map(([k, word]) => `${c[k]} ${word}${c[k] > 1 && k === "error" ? "s" : ""}`);
    return parts.length ? h("p", { class: "counts" }, parts.join(" · ")) : null;
  }

  // The evidence pack says the same (scanner/actions/report.py, LOWER_BOUND_NOTE).
  const LOWER_BOUND_NOTE =
    "“At least”: the figure leaves out what could not be counted, such as what you had met before these claims (enter it in the extension's options to count it), a line without its network level, or a deductible printed together with coinsurance. What you have met may be higher.";

  function ledgerTable(ledger, claims) {
    if (!ledger || !ledger.length) return null;
    const number = (id) => {
      const claim = claims.find((c) => c.id === id);
      return (claim && claim.local.claim_number) || "this page";
    };
    // A figure that is a lower bound (LedgerEntry.deductible_partial, oop_partial) says so:
    // "$0.00" would pass for the total.
    const money = (v, partial) => (v === null || v === undefined ? "—" : `${partial ? "at least " : ""}${dollars(fromWire(v))}`);
    const shown = ledger.slice(0, 50);
    return [
      h("p", { class: "section" }, "Your deductible and out-of-pocket maximum"),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", {}, "After claim"), h("th", {}, "Deductible met"), h("th", {}, "Out-of-pocket met"))),
        h("tbody", {}, shown.map((e) => h("tr", {}, h("td", {}, number(e.claim_id)), h("td", {}, money(e.deductible_met, e.deductible_partial === true)), h("td", {}, money(e.oop_met, e.oop_partial === true))))),
      ),
      shown.some((e) => e.partial) ? h("p", { class: "ledger-note" }, LOWER_BOUND_NOTE) : null,
    ];
  }

  function panelBody({ result, error, claims, warnings, unplaced, note }) {
    if (error) return [h("p", { class: "error", role: "alert" }, error)];
    if (note) return [h("p", { class: "total clean" }, note)];
    const summary = result.summary || {};
    const total = fromWire(summary.amount_at_stake) || 0;
    const n = (result.findings || []).length;
    const lines = claims.reduce((sum, c) => sum + c.lines.length, 0);
    const head = n
      ? h("p", { class: "total" }, `${dollars(total)} at stake`)
      : h("p", { class: "total clean" }, `Nothing looks wrong in the ${lines} line${lines === 1 ? "" : "s"} read on this page.`);
    const owed = fromWire(summary.patient_responsibility);
    return [
      head,
      n ? stakeParts(summary) : null,
      n ? h("p", { class: "counts" }, `${n} finding${n === 1 ? "" : "s"} on ${claims.length} claim${claims.length === 1 ? "" : "s"} (${lines} lines read)`) : null,
      counts(summary),
      classList(summary),
      owed !== null ? h("p", { class: "owed" }, `The EOB says you owe ${dollars(owed)} in total.`) : null,
      ledgerTable(result.ledger, claims),
      unplaced.length ? [h("p", { class: "section" }, "About whole claims"), unplaced.map(({ finding, claim }) => findingView(finding, claim))] : null,
      warnings.length ? h("ul", { class: "warnings" }, warnings.slice(0, 5).map((w) => h("li", {}, w))) : null,
    ];
  }

  /** Show (or update) the one summary panel. */
  function showPanel(view) {
    let panel = ns.state.panel;
    if (!panel || !panel.host.isConnected) {
      panel = shadowHost("div", "panel", ns.styles.PANEL);
      ns.state.panel = panel;
      (document.body || document.documentElement).append(panel.host);
    }
    const { root } = panel;
    clear(root);
    const body = h("div", { class: "body", "aria-live": "polite" }, panelBody({ claims: [], warnings: [], unplaced: [], ...view }));
    const toggle = h("button", { type: "button", title: "Hide details", "aria-expanded": "true" }, "–");
    toggle.addEventListener("click", () => {
      body.hidden = !body.hidden;
      toggle.setAttribute("aria-expanded", String(!body.hidden));
    });
    const close = h("button", { type: "button", title: "Close" }, "×");
    close.addEventListener("click", () => panel.host.remove());
    root.append(h("div", { class: "panel", role: "region", "aria-label": "EOB Scanner summary" }, h("div", { class: "head" }, h("h3", {}, "EOB Scanner"), toggle, close), body));
    placePanel(panel.host, true);
    watchPlacement();
  }

  // The panel floats over the page. In a corner where it hides a badge (on a laptop screen the
  // bottom right is often the "What you owe" column), the person cannot see or click the very
  // line it is about, so it moves to the first corner that leaves every badge in view free.
  const CORNERS = [
    { right: "16px", bottom: "16px" },
    { right: "16px", top: "16px" },
    { left: "16px", bottom: "16px" },
    { left: "16px", top: "16px" },
  ];

  function badgesInView() {
    const rects = [];
    for (const { host } of ns.state.badges.values()) {
      const rect = host.isConnected ? host.getBoundingClientRect() : null;
      if (rect && rect.width && rect.bottom > 0 && rect.top < innerHeight) rects.push(rect);
    }
    return rects;
  }

  function covers(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /** Keep the panel where it is if it hides no badge (unless `fresh`), else find a corner. */
  function placePanel(host, fresh) {
    const badges = badgesInView();
    const hides = () => badges.some((badge) => covers(host.getBoundingClientRect(), badge));
    if (!fresh && !hides()) return;
    for (const corner of CORNERS) {
      // "auto" on the other two sides: the stylesheet's bottom/right would stretch the panel.
      Object.assign(host.style, { top: "auto", right: "auto", bottom: "auto", left: "auto" }, corner);
      if (!hides()) return;
    }
    Object.assign(host.style, { top: "auto", right: "auto", bottom: "auto", left: "auto" }, CORNERS[0]);
  }

  /** Badges move when the page scrolls or resizes; the panel does not. Checked once a frame. */
  function watchPlacement() {
    if (ns.state.placementWatched) return;
    ns.state.placementWatched = true;
    let pending = false;
    const check = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        const panel = ns.state.panel;
        if (panel && panel.host.isConnected) placePanel(panel.host, false);
      });
    };
    addEventListener("scroll", check, { passive: true, capture: true });
    addEventListener("resize", check, { passive: true });
  }

  ns.annotate = { annotate, showPanel, removeBadges, fillScript };
})();
