/*
 * Reading printed text: labels, dates, procedure and diagnosis codes.
 *
 * Every reader is strict on purpose: a value that does not look exactly like a code or a date is
 * dropped, so a mis-mapped column (a name, a member id) can never travel as a "code".
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("text")) return;
  ns.parts.add("text");

  // Bidi controls and zero-width characters: a page can use them to make text read differently
  // from what it is, so they are removed before anything is read or shown.
  const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]/g;

  /** Collapse whitespace, drop invisible characters, cap the length. */
  function clean(text, max = 500) {
    const flat = String(text ?? "")
      .replace(INVISIBLE, "")
      .replace(/[\s\u00a0]+/g, " ")
      .trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  }

  /** Text for display: invisible and bidi characters removed, length capped, spacing kept. */
  function visible(text, max = 1500) {
    const shown = String(text ?? "").replace(INVISIBLE, "");
    return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
  }

  // A superscript footnote reference: "$28<sup>1</sup>" is $28.00 with note 1, though its text
  // is "$281". Any other superscript is set apart by spaces so it never runs into the number
  // before it: "$28<sup>50</sup>" is then unreadable, never $2,850.00.
  const FOOTNOTE_MARK = /^(?:\d|[*†‡§]+|\[\d{1,2}\]|\(\d{1,2}\))$/;

  /** The text of an element as a reader sees it, without our own annotations or footnote marks. */
  function textOf(el) {
    if (!el) return "";
    if (!el.querySelector || !el.querySelector("[data-eobx], sup")) return clean(el.textContent, 2000);
    const copy = el.cloneNode(true);
    for (const ours of copy.querySelectorAll("[data-eobx]")) ours.remove();
    for (const sup of copy.querySelectorAll("sup")) {
      const mark = clean(sup.textContent, 20);
      sup.replaceWith(FOOTNOTE_MARK.test(mark) ? "" : ` ${mark} `);
    }
    return clean(copy.textContent, 2000);
  }

  /** "Claim #:" -> "claim number"; "Date(s) of service" -> "date of service". */
  function normalizeLabel(text) {
    return clean(text, 120)
      .toLowerCase()
      .replace(/\(s\)/g, "")
      .replace(/#/g, " number ")
      .replace(/&/g, " and ")
      .replace(/[’']/g, "")
      .replace(/[^a-z0-9/ -]+/g, " ")
      .replace(/[-/]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  const MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ];

  function isoDate(year, month, day) {
    if (year < 100) year += year < 70 ? 2000 : 1900;
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    if (year < 1900 || year > 2100) return null;
    return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  }

  /** One printed date -> "YYYY-MM-DD", or null. */
  function parseDate(text) {
    const t = clean(text, 60).replace(/\.$/, "");
    let m = t.match(/^(\d{4})-(\d{2})-(\d{2})$/);
    if (m) return isoDate(+m[1], +m[2], +m[3]);
    m = t.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/);
    if (m) return isoDate(+m[3], +m[1], +m[2]);
    m = t.match(/^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/);
    if (m) {
      const month = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1;
      return month ? isoDate(+m[3], month, +m[2]) : null;
    }
    m = t.match(/^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$/);
    if (m) {
      const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1;
      return month ? isoDate(+m[3], month, +m[1]) : null;
    }
    return null;
  }

  /** "03/01/2026 - 03/02/2026" -> {start, end}; a single date gives start == end. */
  function parseDateRange(text) {
    const t = clean(text, 80);
    const single = parseDate(t);
    if (single) return { start: single, end: single };
    const parts = t.split(/\s*(?:–|—|\bto\b|\bthrough\b|\bthru\b|\s-\s)\s*/i);
    if (parts.length === 2) {
      const start = parseDate(parts[0]);
      const end = parseDate(parts[1]);
      if (start && end && start <= end) return { start, end };
    }
    return null;
  }

  const CODE_PATTERNS = [
    ["CDT", /^D\d{4}$/],
    ["CPT", /^\d{4}[0-9FTU]$/],
    ["HCPCS", /^[A-V]\d{4}$/],
    ["NDC", /^(?:\d{11}|\d{4,5}-\d{3,4}-\d{1,2})$/],
    ["REV", /^0\d{3}$/],
  ];

  function classifyCode(token) {
    const t = token.toUpperCase();
    for (const [system, pattern] of CODE_PATTERNS) if (pattern.test(t)) return { code: t, system };
    return null;
  }

  const MODIFIER = /^[A-Z0-9]{2}$/;

  /**
   * A procedure code cell: "99213", "99213-25", "99213-25-59", "99213 25 59", "Rev 0450",
   * "CPT 99396". Hyphens split modifiers off a five-character code only, so an NDC keeps its own.
   * Returns {code, system, modifiers} or null.
   */
  function parseCodeCell(text) {
    const tokens = clean(text, 80)
      .toUpperCase()
      .replace(/\b(?:CPT|HCPCS|CDT|NDC|REV(?:ENUE)?|CODE|MOD(?:IFIERS?)?)\b:?/g, " ")
      .split(/[\s,;/]+|(?<=^\w{5}(?:-\w{2})*)-(?=\w{2}\b)/)
      .filter(Boolean);
    if (!tokens.length) return null;
    const first = classifyCode(tokens[0]);
    if (!first) return null;
    const modifiers = tokens.slice(1).filter((m) => MODIFIER.test(m) && !/^\d{3,}$/.test(m));
    return { code: first.code, system: first.system, modifiers: modifiers.slice(0, 4) };
  }

  /** A code printed inside a description: "Office visit (99213)" or "99213 - Office visit". */
  function findCodeIn(text) {
    const t = clean(text, 300);
    const inParens = t.match(/\((?:CPT |HCPCS |code )?([A-Z]?\d{4,5}[A-Z]?)\)/i);
    const leading = t.match(/^([A-Z]?\d{4,5}[A-Z]?)\s+[-–:]\s/i);
    const candidate = (inParens && inParens[1]) || (leading && leading[1]);
    return candidate ? classifyCode(candidate) : null;
  }

  const ICD10 = /^[A-TV-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/;

  /** "Z00.00, E11.9" -> ["Z00.00", "E11.9"]; anything that is not an ICD-10-CM code is dropped. */
  function parseDiagnoses(text) {
    return clean(text, 200)
      .toUpperCase()
      .split(/[\s,;]+/)
      .filter((t) => ICD10.test(t))
      .slice(0, 12);
  }

  const ADJUSTMENT = /^(CO|PR|OA|PI|CR)[- ]?([A-Z]?\d{1,3}|[A-Z]\d)$/;
  const RARC = /^(?:MA|M|N)\d{1,3}$/;

  /** A remarks cell: "CO-45 PR-3 N130" -> {adjustments: [{group, reason}], remarks: ["N130"]}. */
  function parseRemarks(text, localCodes = {}) {
    const adjustments = [];
    const remarks = [];
    const tokens = clean(text, 300).toUpperCase().split(/[\s,;]+/).filter(Boolean);
    for (const raw of tokens) {
      const token = localCodes[raw] || raw;
      const adj = token.match(ADJUSTMENT);
      if (adj) adjustments.push({ group: adj[1], reason: adj[2] });
      else if (RARC.test(token)) remarks.push(token);
    }
    return { adjustments: adjustments.slice(0, 12), remarks: remarks.slice(0, 12) };
  }

  /** "In-network", "Participating", "OON", a "Yes"/"No" in an "In network?" column, a cell of just
   *  "In", "Out", "Y" or "N" -> "in" | "out" | null. */
  function parseNetwork(text) {
    const words = clean(text, 120).toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    if (!words) return null;
    // The service's words (vocabulary.js, from scanner/ingest/values.py), out of network first.
    const { OUT_OF_NETWORK, IN_NETWORK, OUT_OF_NETWORK_CODES, IN_NETWORK_CODES } = ns.vocabulary;
    if (OUT_OF_NETWORK_CODES.includes(words)) return "out"; // a whole cell of "Out", "N", "OON"
    if (IN_NETWORK_CODES.includes(words)) return "in"; // a whole cell of "In", "Y"
    const padded = ` ${words} `;
    const first = words.split(" ")[0];
    if (first === "no" || OUT_OF_NETWORK.some((phrase) => padded.includes(` ${phrase} `))) return "out";
    if (first === "yes" || IN_NETWORK.some((phrase) => padded.includes(` ${phrase} `))) return "in";
    return null;
  }

  /** Network statuses printed after a provider's name, hyphens and spaces made single spaces. */
  const STATUS_AFTER_NAME = new Map([
    ...["in network", "in network provider", "participating", "participating provider", "par",
      "par provider", "contracted", "preferred provider", "network provider"].map((s) => [s, "in"]),
    ...["out of network", "out of network provider", "oon", "non network", "non participating",
      "nonparticipating", "non participating provider", "non par", "nonpar", "non par provider",
      "non contracted", "noncontracted"].map((s) => [s, "out"]),
  ]);
  /** Where a status after a name may start: a bracket, comma, colon or a dash between spaces. */
  const NOTE_START = /\s*(?:[(\[,:\u2013\u2014]|\s-\s)\s*/g;

  /** "In-Network", "Participating provider" printed on its own -> "in" / "out"; else null. */
  function wholeNetworkStatus(text) {
    const words = text.toLowerCase().replace(/-/g, " ").replace(/^[\s()[\]]+|[\s()[\]]+$/g, "");
    return STATUS_AFTER_NAME.get(words.split(/\s+/).filter(Boolean).join(" ")) || null;
  }

  /**
   * "Example Clinic (In-Network)" -> { name: "Example Clinic", network: "in" }. Portals often
   * print the status after the name instead of in a field of its own; only a whole status phrase
   * at the end counts, so "Example Network Clinic" keeps its name and no network.
   */
  function splitNetworkNote(name) {
    const text = clean(name, 200);
    const starts = [...text.matchAll(NOTE_START)].filter((m) => m.index > 0).reverse();
    for (const start of starts) {
      const phrase = text.slice(start.index + start[0].length).replace(/[)\]\s]+$/, "");
      const status = STATUS_AFTER_NAME.get(phrase.toLowerCase().replace(/-/g, " ").split(/\s+/).filter(Boolean).join(" "));
      if (status) return { name: text.slice(0, start.index).trim(), network: status };
    }
    return { name: text, network: null };
  }

  const STATUSES = [
    ["denied", /\b(denied|rejected|not covered)\b/],
    ["pending", /\b(pending|in process|processing|received)\b/],
    ["adjusted", /\b(adjusted|reprocessed|corrected)\b/],
    ["partial", /\b(partially paid|partial)\b/],
    ["paid", /\b(paid|processed|finalized|approved|complete|completed)\b/],
  ];

  function parseStatus(text) {
    const t = normalizeLabel(text);
    for (const [status, pattern] of STATUSES) if (pattern.test(t)) return status;
    return null;
  }

  function parseUnits(text) {
    const m = clean(text, 20).match(/^(\d{1,4})(?:\.0+)?$/);
    return m ? Number(m[1]) : null;
  }

  const RELATIONSHIPS = [
    ["self", /^(self|subscriber|member|you)$/],
    ["spouse", /^(spouse|husband|wife|domestic partner|partner)$/],
    ["child", /^(child|son|daughter|dependent|dependent child)$/],
  ];

  /** "Spouse" -> "spouse"; a name or anything else -> null (never sent). */
  function parseRelationship(text) {
    const t = normalizeLabel(text);
    for (const [value, pattern] of RELATIONSHIPS) if (pattern.test(t)) return value;
    return null;
  }

  const POS_WORDS = [
    ["23", /\bemergency (room|department)\b|\ber\b/],
    ["21", /\binpatient\b/],
    ["22", /\boutpatient hospital\b/],
    ["11", /\boffice\b/],
    ["20", /\burgent care\b/],
    ["81", /\b(independent )?lab(oratory)?\b/],
    ["24", /\bambulatory surgical\b/],
    ["02", /\btelehealth\b/],
  ];

  /** "23 - Emergency room" or "Office" -> the two-digit CMS place-of-service code. */
  function parsePlaceOfService(text) {
    const t = clean(text, 80);
    const code = t.match(/^(\d{2})\b/);
    if (code) return code[1];
    const words = normalizeLabel(t);
    for (const [pos, pattern] of POS_WORDS) if (pattern.test(words)) return pos;
    return null;
  }

  const CLAIM_TYPES = [
    ["dental", /\bdental\b/],
    ["vision", /\bvision\b/],
    ["pharmacy", /\b(pharmacy|prescription|drug)\b/],
    ["institutional", /\b(institutional|hospital|facility|inpatient)\b/],
    ["professional", /\b(professional|medical|physician)\b/],
  ];

  function parseClaimType(text) {
    const t = normalizeLabel(text);
    for (const [type, pattern] of CLAIM_TYPES) if (pattern.test(t)) return type;
    return null;
  }

  function parseYesNo(text) {
    const t = normalizeLabel(text);
    if (/^(yes|y|true)$/.test(t)) return true;
    if (/^(no|n|false)$/.test(t)) return false;
    return null;
  }

  function parseCoveragePosition(text) {
    const t = normalizeLabel(text);
    const m = t.match(/\b(primary|secondary|tertiary)\b/);
    return m ? m[1] : null;
  }

  ns.text = {
    clean,
    visible,
    textOf,
    normalizeLabel,
    parseDate,
    parseDateRange,
    classifyCode,
    parseCodeCell,
    findCodeIn,
    parseDiagnoses,
    parseRemarks,
    parseNetwork,
    splitNetworkNote,
    wholeNetworkStatus,
    parseStatus,
    parseUnits,
    parseRelationship,
    parsePlaceOfService,
    parseClaimType,
    parseYesNo,
    parseCoveragePosition,
  };
})();
