/*
 * The claim header: label/value pairs around a grid of lines.
 *
 * Portals print them as <dl> (dt/dd), as two-column tables (th/td), as sibling spans
 * (<span>Claim #</span><span>…</span>), or as "Label: value" text. A label is a whole phrase of
 * vocabulary.js, as the service's document readers take one (scanner/ingest/assemble.py,
 * `field_of_label`). Only the fields below are read: a patient's name, member id, birth date,
 * address or group number is recognised as a label and never read at all.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("labels")) return;
  ns.parts.add("labels");

  const { textOf, clean } = ns.text;
  const { words, cellField } = ns.columns;

  /** Vocabulary field -> the name claims.js reads it under, for the header fields read here. */
  const LABELS = {
    claim_number: "claim_number",
    provider: "provider_name",
    facility: "facility_name",
    service_date: "service_dates",
    network: "network",
    facility_network: "facility_network",
    status: "status",
    received_date: "received_date",
    processed_date: "processed_date",
    claim_type: "claim_type",
    place_of_service: "place_of_service",
    emergency: "emergency",
    member: "member",
    coverage_position: "coverage_position",
  };

  // Labels only the extension reads. The service's document readers read no facility network or
  // coverage position; and a bare "Type" is a claim type only beside a claim (in the shared
  // vocabulary it would make a "Service type" column ambiguous). The vocabulary's phrases win.
  const EXTENSION_LABELS = new Map(
    Object.entries({
      facility_network: ["facility network status", "facility network"],
      coverage_position: ["this plan paid as", "coverage position", "plan position", "coordination of benefits"],
      claim_type: ["type"],
    }).flatMap(([field, phrases]) => phrases.map((phrase) => [phrase, field])),
  );

  // A bare "Date" is a column's, not the claim's dates of service (as the document readers).
  const NOT_LABELS = new Set(["date", "dates"]);

  /** The printed-header field a label names, or null (amounts and line columns are not labels). */
  function labelField(text) {
    const t = clean(text, 80);
    if (!t || t.length > 60) return null;
    const phrase = words(t);
    if (NOT_LABELS.has(phrase)) return null;
    const field = cellField(t) || EXTENSION_LABELS.get(phrase);
    return Object.hasOwn(LABELS, field) ? LABELS[field] : null;
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

  ns.labels = { LABELS, EXTENSION_LABELS, readLabels, labelField };
})();
