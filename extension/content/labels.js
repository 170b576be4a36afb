/*
 * The claim header: label/value pairs around a grid of lines.
 *
 * Portals print them as <dl> (dt/dd), as two-column tables (th/td), as sibling spans
 * (<span>Claim #</span><span>…</span>), or as "Label: value" text. A label is a whole phrase of
 * vocabulary.js, as the service's document readers take one (scanner/ingest/assemble.py,
 * `field_of_label`). Only the fields below are read: a member id, birth date, address or group
 * number is recognised as a label and never read at all. A patient's name is read only when a
 * claim's header asks (`COMPARED`), for members.js to tell a family's members apart in memory;
 * it goes nowhere else.
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

  /**
   * Private fields read only to be compared, never sent, shown or kept: vocabulary field -> the
   * name a claim's header holds it under until members.js has compared it. The patient printed
   * last wins (a "Subscriber:" is followed by the claim's own "Patient:"), and a value with
   * digits is a birth date or an id, as in the document readers (scanner/ingest/assemble.py).
   */
  const COMPARED = { patient: "patient_name" };
  const COMPARED_FIELDS = new Set(Object.values(COMPARED));

  // Labels only the extension reads. The service's document readers read no coverage position;
  // and a bare "Type" is a claim type only beside a claim (in the shared vocabulary it would make
  // a "Service type" column ambiguous). The vocabulary's phrases win.
  const EXTENSION_LABELS = new Map(
    Object.entries({
      coverage_position: ["this plan paid as", "coverage position", "plan position", "coordination of benefits"],
      claim_type: ["type"],
    }).flatMap(([field, phrases]) => phrases.map((phrase) => [phrase, field])),
  );

  // A bare "Date" is a column's, not the claim's dates of service (as the document readers).
  const NOT_LABELS = new Set(["date", "dates"]);

  /** The printed-header field a label names, or null (amounts and line columns are not labels). */
  function labelField(text) {
    return readAs(anyField(text));
  }

  /** The name claims.js reads a vocabulary field under, or null for a field never read here. */
  function readAs(field) {
    return Object.hasOwn(LABELS, field) ? LABELS[field] : null;
  }

  /**
   * The vocabulary field a label names, read here or not, or null. A label that is never read
   * (a patient's name, a member id, an amount) still ends the value printed before it.
   */
  function anyField(text) {
    const t = clean(text, 80);
    if (!t || t.length > 60) return null;
    const phrase = words(t);
    if (!phrase || NOT_LABELS.has(phrase)) return null;
    return cellField(t) || EXTENSION_LABELS.get(phrase) || null;
  }

  // Portals print several labels on one line, "Provider: Example Clinic · Network status:
  // In-Network · Claim status: Processed": a middle dot, a bullet or a bar between them.
  const SEPARATOR = /\s+[\u00b7\u2022\u2219]\s+|\s*\|\s*/;

  // A label is at most this many words, as in the document readers (scanner/ingest/labels.py).
  const { MAX_LABEL_WORDS } = ns.vocabulary;

  /**
   * The labels in one piece of a printed line, left to right: [{from, to, field}], where `from`
   * is where the label starts and `to` is just after its colon. A label is the longest run of at
   * most six words ending at a colon that names a field ("Network status:"), so "Dr. Ada Lee:" or
   * the "10:" of "10:30" is no label; "Provider:Example" (no space) is one.
   */
  function labelRuns(piece) {
    const tokens = [...piece.matchAll(/\S+/g)];
    const runs = [];
    let floor = 0;
    tokens.forEach((token, end) => {
      const colon = token[0].indexOf(":");
      if (colon < 0) return;
      const before = token[0].slice(0, colon);
      let best = null;
      for (let first = end; first >= Math.max(floor, end - MAX_LABEL_WORDS + 1); first -= 1) {
        const phrase = [...tokens.slice(first, end).map((t) => t[0]), before].join(" ");
        const field = anyField(phrase);
        if (field) best = { from: tokens[first].index, to: token.index + colon + 1, field };
      }
      if (best) {
        runs.push(best);
        floor = end + 1;
      }
    });
    return runs;
  }

  /** The name a compared field is read under ("patient" -> "patient_name"), or null. */
  function comparedAs(field) {
    return Object.hasOwn(COMPARED, field) ? COMPARED[field] : null;
  }

  /**
   * The header fields printed as "Label: value" in one line of text: [[field, value]] for the
   * fields read here, in the order printed. Each value ends at a separator or at the next label,
   * read or not, so "Provider: Example Clinic · Patient: …" gives the provider alone and the
   * patient's name is not taken with it. `compared` also gives the fields read only to compare.
   */
  function inlinePairs(text, { compared = false } = {}) {
    const pairs = [];
    for (const piece of text.split(SEPARATOR)) {
      const runs = labelRuns(piece);
      runs.forEach((run, i) => {
        const field = readAs(run.field) || (compared ? comparedAs(run.field) : null);
        if (!field) return;
        const value = clean(piece.slice(run.to, i + 1 < runs.length ? runs[i + 1].from : piece.length));
        if (value && value.length <= 120) pairs.push([field, value]);
      });
    }
    return pairs;
  }

  /** The value at the start of `text` (what follows a label): up to a separator or the next label. */
  function leadingValue(text) {
    const [piece] = text.replace(/^[:\s]+/, "").split(SEPARATOR);
    const runs = labelRuns(piece);
    return clean(runs.length ? piece.slice(0, runs[0].from) : piece, 120);
  }

  const SKIP = "script, style, template, noscript, [data-eobx]";

  // The longest printed line read for labels: a header line of a few "Label: value" pieces.
  const MAX_LINE = 400;

  /** Whether the text right after `labelEl`, inside its parent, is its value ("<b>Claim #:</b> 123"). */
  function valueFollowsInline(labelEl) {
    const after = labelEl.nextSibling;
    return Boolean(after && after.nodeType === Node.TEXT_NODE && /[^\s:]/.test(after.textContent));
  }

  /** The value printed right after a label element, or null. */
  function valueAfter(labelEl) {
    if (labelEl.tagName === "DT") {
      const dd = labelEl.nextElementSibling;
      return dd && dd.tagName === "DD" ? textOf(dd) : null;
    }
    const next = labelEl.nextElementSibling;
    const nextIsValue =
      next && next.tagName !== "DT" && next.tagName !== "TH" && !ns.grids.isOurs(next) && !valueFollowsInline(labelEl);
    if (nextIsValue) {
      const value = textOf(next);
      // Another label ("Network status:") is no value; a value may be a label's words ("In network").
      const isLabel = /:\s*$/.test(value) && anyField(value.replace(/:\s*$/, ""));
      if (value && value.length <= 120 && !isLabel) return value;
    }
    // "<strong>Claim #:</strong> 12345 · <strong>Provider:</strong> …": the parent's text after
    // the label, up to a separator or the next label.
    const parent = labelEl.parentElement;
    if (parent) {
      const whole = textOf(parent);
      const label = textOf(labelEl);
      const at = whole.indexOf(label);
      if (at >= 0) {
        const rest = leadingValue(whole.slice(at + label.length));
        if (rest) return rest;
      }
    }
    return null;
  }

  /** Remember a printed value: the first wins, but the last patient (with no digits) wins. */
  function keep(found, field, value) {
    if (!COMPARED_FIELDS.has(field)) {
      if (found[field] === undefined) found[field] = value;
    } else if (!/\d/.test(value)) {
      found[field] = value;
    }
  }

  /**
   * Label/value pairs under `root`, skipping elements inside `skip` (the line grids). The first
   * occurrence of a field wins. Returns {field: "printed value"}. Only with `compared` are the
   * fields read only to be compared read too (the last printed wins), for a claim's header.
   */
  function readLabels(root, skip = () => false, { compared = false } = {}) {
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
      if (!text || text.length > MAX_LINE) continue;
      const label = text.length <= 160 ? anyField(text.replace(/:\s*$/, "")) : null;
      const field = readAs(label) || (compared ? comparedAs(label) : null);
      if (field) {
        if (found[field] === undefined || COMPARED_FIELDS.has(field)) {
          const value = valueAfter(el);
          if (value) keep(found, field, value);
        }
        continue;
      }
      if (el.children.length === 0 || el.tagName === "LI" || el.tagName === "P") {
        for (const [inline, value] of inlinePairs(text, { compared })) keep(found, inline, value);
      }
    }
    return found;
  }

  ns.labels = { LABELS, COMPARED, COMPARED_FIELDS, EXTENSION_LABELS, readLabels, labelField, inlinePairs };
})();
