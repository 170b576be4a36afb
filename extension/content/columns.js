/*
 * Column headers -> ServiceLine fields, by the words in vocabulary.js.
 *
 * Portals name the same column many ways ("You owe", "Your responsibility", "What you pay",
 * "Member Resp."). A header is read exactly as the service's document readers read one
 * (scanner/ingest/vocabulary.py, `normalise` and `header_field`): the field whose phrase it is;
 * failing that, the one field named by the phrases it contains, taken longest first from the left
 * ("Your plan paid" is "plan paid"). A header naming two ("Plan paid / You owe") names none.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("columns")) return;
  ns.parts.add("columns");

  const V = ns.vocabulary;
  const MONEY_FIELDS = V.AMOUNT_FIELDS;
  const AMOUNTS = new Set(V.AMOUNT_FIELDS);

  // A column only the extension reads: the service's document readers take a line's status from
  // its amounts and codes, so the Python vocabulary has no words for it. Its own phrases come first.
  const EXTENSION_COLUMNS = {
    line_status: ["line status"],
  };
  // In a grid of lines, a "Status" column is each line's status, not the claim's.
  const AS_COLUMN = { status: "line_status" };
  const COLUMN_FIELDS = new Set([...V.LINE_FIELDS, ...Object.keys(EXTENSION_COLUMNS), ...Object.keys(AS_COLUMN)]);

  const PHRASES = new Map();
  for (const table of [V.SYNONYMS, EXTENSION_COLUMNS]) {
    for (const [field, phrases] of Object.entries(table)) {
      for (const phrase of phrases) if (!PHRASES.has(phrase)) PHRASES.set(phrase, field);
    }
  }
  const LONGEST = Math.max(...Array.from(PHRASES.keys(), (phrase) => phrase.split(" ").length));

  /**
   * Lower-case words, as the Python `normalise`: "Date(s) of Service:" -> "date s of service",
   * "Co-pay" -> "co pay", "Claim #" -> "claim #". Invisible characters are dropped first (clean).
   */
  function words(text) {
    return ns.text
      .clean(text, 120)
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/[’'?]/g, " ")
      .replace(/[^a-z0-9#]+/g, " ")
      .trim();
  }

  /** The field a whole header cell or label names, from any field of the vocabulary, or null. */
  function cellField(text) {
    return PHRASES.get(words(text)) || null;
  }

  /** The longest phrase starting at word `i`: {field, start, end}, or null. */
  function phraseAt(list, i) {
    for (let size = Math.min(LONGEST, list.length - i); size > 0; size -= 1) {
      const field = PHRASES.get(list.slice(i, i + size).join(" "));
      if (field) return { field, start: i, end: i + size };
    }
    return null;
  }

  /** Fields named in a run of words, longest phrase first, left to right (phrase_fields). */
  function phraseFields(list) {
    const found = [];
    for (let i = 0; i < list.length; ) {
      const hit = phraseAt(list, i);
      if (hit) found.push(hit);
      i = hit ? hit.end : i + 1;
    }
    return found;
  }

  function asColumn(field) {
    return COLUMN_FIELDS.has(field) ? AS_COLUMN[field] || field : null;
  }

  // A footnote reference ("Billed (see note)", "Allowed (see note 2)", "Paid (1)") points
  // elsewhere and names no column (vocabulary.py `without_footnotes`).
  const FOOTNOTE_ASIDE = /\(\s*(?:see\s+)?(?:foot)?notes?\b[^()]*\)|\(\s*[0-9*\u2020\u2021]{1,3}\s*\)/gi;

  function withoutFootnotes(header) {
    const stripped = String(header).replace(FOOTNOTE_ASIDE, " ");
    return stripped.trim() ? stripped : header;
  }

  /** The line field a column header names, or null. */
  function fieldFor(headerText) {
    const phrase = words(withoutFootnotes(headerText));
    if (!phrase || phrase.length > 60) return null;
    if (PHRASES.has(phrase)) return asColumn(PHRASES.get(phrase));
    const list = phrase.split(" ");
    const named = new Set();
    for (const { field, start, end } of phraseFields(list)) {
      // A single short word inside a longer header does not name an amount: "Amount you paid" is
      // not what the plan paid.
      if (AMOUNTS.has(field) && end - start === 1 && list[start].length < 5) continue;
      const column = asColumn(field);
      if (column) named.add(column);
    }
    return named.size === 1 ? [...named][0] : null;
  }

  /**
   * Header texts -> fields, each field used once (the first column wins, so a second "Paid"
   * column never overwrites the first). Adapters pass their own names in `overrides`.
   */
  function mapHeaders(texts, overrides = {}) {
    const used = new Set();
    return texts.map((text) => {
      const own = words(text);
      const field = Object.hasOwn(overrides, own) ? overrides[own] : fieldFor(text);
      if (!field || used.has(field)) return null;
      used.add(field);
      return field;
    });
  }

  /** Enough of an EOB's columns to be one: three amounts, or two plus a code or a date. */
  function looksLikeEob(fields) {
    const money = fields.filter((f) => MONEY_FIELDS.includes(f)).length;
    const hasAnchor = fields.includes("code") || fields.includes("service_date") || fields.includes("description");
    const hasOutcome = fields.includes("patient_responsibility") || fields.includes("plan_paid");
    return hasOutcome && (money >= 3 || (money >= 2 && hasAnchor));
  }

  ns.columns = { MONEY_FIELDS, EXTENSION_COLUMNS, words, cellField, fieldFor, mapHeaders, looksLikeEob };
})();
