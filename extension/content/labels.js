/*
 * The claim header: label/value pairs around a grid of lines.
 *
 * Portals print them as <dl> (dt/dd), as two-column tables (th/td), as sibling spans
 * (<span>Claim #</span><span>…</span>), or as "Label: value" text. Only the labels below are read;
 * patient name, member id, birth date, address and group number are never read at all.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("labels")) return;
  ns.parts.add("labels");

  const { textOf, normalizeLabel, clean } = ns.text;

  const LABELS = {
    claim_number: [
      "claim number", "claim no", "claim id", "claim", "claim reference", "claim reference number",
      "claim control number", "reference number",
    ],
    provider_name: [
      "provider", "provider name", "rendering provider", "billing provider", "servicing provider",
      "treating provider", "doctor", "physician", "provided by", "doctor or facility", "provider facility",
    ],
    facility_name: ["facility", "facility name", "hospital"],
    service_dates: [
      "date of service", "dates of service", "service date", "service dates", "visit date",
      "date of visit", "service period", "date provided",
    ],
    network: ["network status", "network", "provider network status", "in network", "benefit level", "provider status"],
    facility_network: ["facility network status", "facility network"],
    status: ["claim status", "status"],
    received_date: ["received", "date received", "received date", "received on", "claim received"],
    processed_date: [
      "processed", "processed date", "date processed", "processed on", "date finalized", "finalized",
      "decision date", "date paid", "paid on",
    ],
    claim_type: ["claim type", "type of claim", "type"],
    place_of_service: ["place of service", "pos", "place of service code"],
    emergency: ["emergency", "emergency services", "emergency care"],
    member: ["relationship", "relationship to subscriber", "patient relationship", "relationship to member"],
    coverage_position: ["this plan paid as", "coverage position", "plan position", "coordination of benefits"],
  };

  const BY_LABEL = new Map();
  for (const [field, words] of Object.entries(LABELS)) for (const word of words) BY_LABEL.set(word, field);

  function labelField(text) {
    const t = clean(text, 80);
    if (!t || t.length > 60) return null;
    return BY_LABEL.get(normalizeLabel(t)) || null;
  }

  const SKIP = "script, style, template, noscript, [data-eobx]";

  /** The value printed right after a label element, or null. */
  function valueAfter(labelEl) {
    if (labelEl.tagName === "DT") {
      const dd = labelEl.nextElementSibling;
      return dd && dd.tagName === "DD" ? textOf(dd) : null;
    }
    const next = labelEl.nextElementSibling;
    if (next && next.tagName !== "DT" && next.tagName !== "TH" && !ns.grids.isOurs(next)) {
      const value = textOf(next);
      if (value && value.length <= 120) return value;
    }
    // "<strong>Claim #:</strong> 12345": the rest of the parent's text.
    const parent = labelEl.parentElement;
    if (parent) {
      const whole = textOf(parent);
      const label = textOf(labelEl);
      if (whole.startsWith(label)) {
        const rest = clean(whole.slice(label.length).replace(/^[:\s]+/, ""), 120);
        if (rest) return rest;
      }
    }
    return null;
  }

  function splitInline(text) {
    const m = text.match(/^([^:]{2,40}):\s*(.{1,120})$/);
    return m ? [m[1], m[2]] : null;
  }

  /**
   * Label/value pairs under `root`, skipping elements inside `skip` (the line grids). The first
   * occurrence of a field wins. Returns {field: "printed value"}.
   */
  function readLabels(root, skip = () => false) {
    const found = {};
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
      acceptNode(node) {
        if (node.matches(SKIP) || skip(node)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    let seen = 0;
    for (let el = walker.nextNode(); el && seen < 5000; el = walker.nextNode()) {
      seen += 1;
      const text = textOf(el);
      if (!text || text.length > 160) continue;
      const field = labelField(text.replace(/:\s*$/, ""));
      if (field) {
        if (found[field] === undefined) {
          const value = valueAfter(el);
          if (value) found[field] = value;
        }
        continue;
      }
      if (el.children.length === 0 || el.tagName === "LI" || el.tagName === "P") {
        const pair = splitInline(text);
        if (pair) {
          const inline = labelField(pair[0]);
          if (inline && found[inline] === undefined) found[inline] = pair[1];
        }
      }
    }
    return found;
  }

  ns.labels = { LABELS, readLabels, labelField };
})();
