/*
 * The plan's standing a portal prints beside a claim ("Deductible  $620.00 of $1,500.00 met", a
 * progress bar over "Out-of-pocket maximum: $1,100.00 met / $4,000.00", a small "Limit / Met /
 * Remaining" table or a definition list), read as the `accumulators` of the last claim sent.
 *
 * The rules are the service's document readers' (scanner/ingest/printed_accumulators.py,
 * `StandingReader` and `with_standing`), line for line, so a portal page and the same EOB pasted
 * or uploaded give the same standing: a row is read only when every word in it is a standing's
 * word; what one claim added ("Applied to deductible"), an out-of-network standing or a row
 * with any other field is left alone. Amounts are read into cents and sent as "1234.56".
 *
 * The page is read as rows of text: each row of a table or ARIA grid (cells apart), each dt with
 * its dd, each block of inline text, and a row of short cells printed side by side. The claim
 * grids are never read here, and nothing read here becomes a service line.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("standing")) return;
  ns.parts.add("standing");

  const { clean } = ns.text;

  const AMOUNT = /\(?-?\$\s?\d[\d,]*(?:\.\d{2})?\)?|\b\d[\d,]*\.\d{2}\b/g;
  const DATE = /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g;
  const KINDS = [
    ["oop", /\bout[\s-]*of[\s-]*pocket\b|\boop\b|\bmoop\b/i],
    ["deductible", /\bdeductibles?\b/i],
  ];
  const FAMILY = /\bfamily\b/i;
  const FAMILY_ALL = /\bfamily\b/gi;
  /** What one claim added ("applied to your deductible") or another network's standing. */
  const NOT_A_STANDING =
    /\bapplied\b|\btowards?\b|\bcredited\b|\bcounts?\b|\bthis claim\b|out[\s-]*of[\s-]*network|\bnon[\s-]*(?:network|participating)\b|\boon\b/i;
  const ROLES = [
    ["remaining", /\b(?:remaining|left|still to meet|to go)\b/i],
    ["met", /\b(?:met|satisfied|so far|to date|year[\s-]*to[\s-]*date|ytd|accumulated|used|spent)\b/i],
    ["limit", /\b(?:max(?:imum)?|limit|annual|individual|family|per (?:person|member))\b/i],
  ];
  const OF = /\bof\s*(?:your|the)?\s*$/i;
  const AS_OF = /\bas\s+of\b/i;
  const LEAD = /^\s*(met|remaining|left|used|satisfied|so far|to date)\b/i;
  /** Every other word a standing row may hold. */
  const CONNECTING = new Set(
    (
      "you your have has had the plan plan's plans of for so far to date year this as amount amounts total in " +
      "network in-network is are been member person per calendar benefit period status and a an on at with " +
      "what combined embedded aggregate medical expense expenses cost costs share sharing summary accumulator " +
      "accumulators benefits out pocket out-of-pocket oop moop deductible deductibles max maximum limit met " +
      "remaining left satisfied accumulated used spent ytd year-to-date individual family annual still meet go " +
      "level tier account"
    ).split(" "),
  );
  const FIELDS = ["deductible", "deductible_met", "oop_max", "oop_met", "family_deductible", "family_deductible_met", "family_oop_max", "family_oop_met"];

  function words(text) {
    const stripped = text.replace(AMOUNT, " ").replace(DATE, " ");
    return stripped.toLowerCase().match(/[a-z][a-z'-]*/g) || [];
  }

  function onlyStandingWords(text) {
    return words(text).every((word) => CONNECTING.has(word));
  }

  /** Whether a row could be a standing's at all (the reader's first test). */
  function couldBeStanding(text) {
    return Boolean(text.trim()) && !NOT_A_STANDING.test(text) && onlyStandingWords(text);
  }

  function kinds(text) {
    return KINDS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
  }

  /** The role the text names; "individual", "family" and "annual" name the limit only when
   *  nothing else does ("Family deductible met" is what is met). */
  function role(text) {
    const found = ROLES.find(([, pattern]) => pattern.test(text));
    return found ? found[0] : null;
  }

  /** The role named first: what follows an amount ("$1,500.00 individual. Met so far"). */
  function firstRole(text) {
    let best = null;
    for (const [name, pattern] of ROLES) {
      const m = pattern.exec(text);
      if (m && (!best || m.index < best.at)) best = { at: m.index, name };
    }
    return best ? best.name : null;
  }

  /** [{start, end, cents}] of the amounts in a row; none when one is unreadable or negative. */
  function amounts(text) {
    const found = [];
    for (const m of text.matchAll(AMOUNT)) {
      const read = ns.money.parseMoney(m[0].replace(/ /g, ""));
      if (read.error || read.cents === null) return [];
      if (read.cents < 0) return []; // a standing is never negative: this is some other row
      found.push({ start: m.index, end: m.index + m[0].length, cents: read.cents });
    }
    return found;
  }

  function fieldName(kind, family, which) {
    let name;
    if (which === "remaining") name = `${kind}_remaining`;
    else if (which === "met") name = `${kind}_met`;
    else name = kind === "deductible" ? "deductible" : "oop_max";
    return family ? `family_${name}` : name;
  }

  function datesIn(text) {
    return [...text.matchAll(DATE)].map((m) => ns.text.parseDate(m[0])).filter(Boolean);
  }

  /** What each amount of a one-row standing is: named by the words before it ("Met so far:
   *  $620.00"), after it ("$620.00 met"), or as the second of "X of Y" or "X met / Y". */
  function rowRoles(text, found) {
    const roles = [];
    for (let i = 0; i < found.length; i += 1) {
      const { start, end } = found[i];
      const before = text.slice(i ? found[i - 1].end : 0, start);
      const after = text.slice(end, i + 1 < found.length ? found[i + 1].start : text.length);
      if (i && OF.test(before)) {
        if (roles[roles.length - 1] === "limit") roles[roles.length - 1] = "met";
        roles.push("limit");
        continue;
      }
      const named = i && before.trimEnd().endsWith("/") ? firstRole(before) : null;
      if (named === "met" || named === "remaining") {
        roles[roles.length - 1] = named; // "Out-of-pocket maximum: $1,100.00 met / $4,000.00"
        roles.push("limit");
        continue;
      }
      // A role printed right after the last amount (or before "of" / "/") names it, whatever
      // the label before names: "Out-of-pocket maximum: $1,100.00 met".
      const lead = LEAD.exec(after);
      const namesNext = Boolean(lead) && i + 1 < found.length && !/^\s*(?:of\b|\/)/i.test(after.slice(lead[0].length));
      let which;
      if (namesNext) {
        // "Deductible: $1,500.00   Met so far: $620.00": the words name the next amount, and a
        // figure only named by its kind, beside what is met of it, is the limit.
        which = role(before) || (i === 0 && kinds(before).length ? "limit" : null);
      } else {
        which = (lead ? role(lead[1]) : null) || role(before) || firstRole(after.split("$")[0]);
      }
      if (which === null && i === 0 && kinds(before).length && /^\s*of\b/i.test(after)) which = "met"; // "Deductible: $620.00 of $1,500.00"
      if (which === null) return null;
      roles.push(which);
    }
    return roles;
  }

  /** Whom a figure is for, when the row says: the individual (a person, a member) or the family. */
  const SCOPE = /\b(?:individual|per (?:person|member)|family)\b/gi;
  /** A scope printed right after an amount qualifies that amount: "$1,500.00 individual". */
  const SCOPE_AFTER = /^\s?\(?(individual|per (?:person|member)|family)\b/i;
  /** What may begin a figure's own label within a row: whom it is for, or its kind. */
  const LABEL_START = new RegExp([SCOPE.source, ...KINDS.map(([, p]) => p.source)].join("|"), "gi");
  /** What sets one figure's label apart from the figure before it. */
  const APART = /\s{2,}|\t|[·•|;,]/;

  const isFamily = (scope) => scope.toLowerCase() === "family";

  /** Spans [start, end] of a row that each print their own figures (scanner/ingest/printed_accumulators.py `_parts`). */
  function partsOf(text, found) {
    const starts = [0];
    for (const m of text.matchAll(LABEL_START)) {
      const at = m.index;
      const before = found.filter((a) => starts[starts.length - 1] <= a.start && a.end <= at);
      if (!before.length) continue;
      const gap = text.slice(before[before.length - 1].end, at);
      const trailing = SCOPE_AFTER.exec(text.slice(before[before.length - 1].end));
      if (trailing && before[before.length - 1].end + trailing[0].length - trailing[1].length === at) continue; // "$1,500.00 individual. Met so far: ..."
      const following = found.filter((a) => a.start >= at + m[0].length);
      const labelsNext = following.length > 0 && text.slice(at + m[0].length, following[0].start).includes(":");
      if ((APART.test(gap) && following.length) || labelsNext) starts.push(at);
    }
    return starts.map((start, i) => [start, i + 1 < starts.length ? starts[i + 1] : text.length]);
  }

  /** Whether a part's figures are the family's: as its label says, else its other words, else the part before. */
  function partScope(piece, found, family) {
    const label = found.length ? piece.slice(0, found[0].start).match(SCOPE) || [] : [];
    const trailing = new Set();
    for (const { end } of found) {
      const m = SCOPE_AFTER.exec(piece.slice(end));
      if (m) trailing.add(end + m[0].length - m[1].length);
    }
    const named = label.length ? label : [...piece.matchAll(SCOPE)].filter((m) => !trailing.has(m.index)).map((m) => m[0]);
    return named.length ? isFamily(named[named.length - 1]) : family;
  }

  /**
   * [[field, cents]] of each figure of a one-row standing, or null when the row is no standing:
   * "Individual deductible: $150.00 · Family deductible: $300.00" is read part by part, as the
   * service reads it (`_row_figures`).
   */
  function rowFigures(text, found) {
    const figures = [];
    let kind = null;
    let family = false;
    for (const [start, end] of partsOf(text, found)) {
      const piece = text.slice(start, end);
      const own = found
        .filter((a) => start <= a.start && a.end <= end)
        .map((a) => ({ start: a.start - start, end: a.end - start, cents: a.cents }));
      const pieceKinds = kinds(piece);
      if (pieceKinds.length > 1) return null;
      kind = pieceKinds.length ? pieceKinds[0] : kind;
      const roles = rowRoles(piece, own);
      if (kind === null || roles === null) return null;
      family = partScope(piece, own, family);
      own.forEach(({ end: amountEnd, cents }, i) => {
        const after = SCOPE_AFTER.exec(piece.slice(amountEnd));
        figures.push([fieldName(kind, after ? isFamily(after[1]) : family, roles[i]), cents]);
      });
    }
    return figures;
  }

  /** A row's cells: apart by two spaces or more, a tab or a bar. */
  function cellsOf(text) {
    return text
      .trim()
      .split(/\s{2,}|\t|\|/)
      .filter((c) => c.trim());
  }

  /** Reads the standing's rows one at a time (`read` says whether a row was one of them). */
  function createReader() {
    const figures = new Map();
    const dates = [];
    // {roles: [...]} (kinds down), {kinds: [[kind, family]]} (roles down) or
    // {networks, inNetwork, last} (one column per network, only the in-network one kept).
    let table = null;

    const keep = (name, cents) => {
      if (!figures.has(name)) figures.set(name, cents);
    };

    function readRow(text, found) {
      const figures = rowFigures(text, found);
      if (figures === null) return false;
      for (const [name, cents] of figures) keep(name, cents);
      dates.push(...datesIn(text));
      return true;
    }

    function readHeader(text) {
      const cells = cellsOf(text);
      const cellRoles = cells.map(role);
      const cellKinds = cells.map(kinds);
      if (cells.length >= 2 && cellKinds.every((k) => k.length === 1)) {
        table = { roles: [], kinds: cellKinds.map((k, i) => [k[0], FAMILY.test(cells[i])]) };
        return true;
      }
      if (cells.length >= 2 && !cellKinds.some((k) => k.length) && cellRoles.every(Boolean) && new Set(cellRoles).size === cellRoles.length) {
        table = { roles: cellRoles, kinds: [] };
        return true;
      }
      return false;
    }

    /** Titles naming one network each, one of them in-network: only that column is kept, as
     *  the replay counts in-network limits only. */
    function readNetworkHeader(text) {
      const networks = cellsOf(text).map(ns.text.wholeNetworkStatus);
      const ours = networks.flatMap((network, i) => (network === "in" ? [i] : []));
      if (networks.length < 2 || ours.length !== 1 || networks.includes(null)) return false;
      table = { roles: [], kinds: [], networks: networks.length, inNetwork: ours[0], last: null };
      return true;
    }

    /** A row of the network table: a "Met so far" row under "Deductible" is what is met of it. */
    function readNetworkRow(label, cents) {
      const labelKinds = kinds(label);
      if (labelKinds.length > 1) return false;
      const last = labelKinds.length ? [labelKinds[0], FAMILY.test(label)] : table.last;
      if (last === null) return false;
      table.last = last;
      keep(fieldName(last[0], last[1], role(label) || "limit"), cents);
      return true;
    }

    function readTableRow(text, found) {
      const label = text.slice(0, found[0].start);
      const width = table.networks || (table.roles.length ? table.roles : table.kinds).length;
      if (found.length !== width || !label.trim()) return false;
      if (table.networks) return readNetworkRow(label, found[table.inNetwork].cents);
      let names;
      if (table.roles.length) {
        const labelKinds = kinds(label);
        if (labelKinds.length !== 1) return false;
        const family = FAMILY.test(label);
        names = table.roles.map((r) => fieldName(labelKinds[0], family, r));
      } else {
        const which = role(label.replace(FAMILY_ALL, " "));
        if (which === null || kinds(label).length) return false;
        names = table.kinds.map(([kind, family]) => fieldName(kind, family, which));
      }
      names.forEach((name, i) => keep(name, found[i].cents));
      return true;
    }

    function read(text) {
      if (readNetworkHeader(text)) return true;
      if (!couldBeStanding(text)) {
        table = null;
        return false;
      }
      const found = amounts(text);
      const dated = found.length || !AS_OF.test(text) ? [] : datesIn(text);
      if (dated.length) {
        dates.push(...dated); // "Your account summary (as of 10/31/2026)" above the standing
        return true;
      }
      if (!found.length) return readHeader(text);
      if (table !== null && readTableRow(text, found)) return true;
      table = null;
      return readRow(text, found);
    }

    /** The figures read as cents by field (what remains turned into what is met), or null. */
    function result() {
      const out = new Map(figures);
      for (const [limit, met] of [
        ["deductible", "deductible_met"],
        ["oop_max", "oop_met"],
        ["family_deductible", "family_deductible_met"],
        ["family_oop_max", "family_oop_met"],
      ]) {
        const key = met.replace("_met", "_remaining");
        const remaining = out.has(key) ? out.get(key) : null;
        out.delete(key);
        if (!out.has(met) && remaining !== null && out.has(limit)) out.set(met, Math.max(out.get(limit) - remaining, 0));
      }
      return out.size ? out : null;
    }

    return { read, result, dates };
  }

  // --- the page as rows of text -------------------------------------------------------------

  const BLOCK_TAGS =
    "ADDRESS ARTICLE ASIDE BLOCKQUOTE DD DETAILS DIALOG DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL".split(" ");
  const BLOCKS = new Set(BLOCK_TAGS);
  const BLOCK_SELECTOR = `${BLOCK_TAGS.join(",")},[role="row"],[role="table"],[role="grid"],[role="treegrid"]`;
  const SKIP = "script, style, template, noscript, svg, canvas, [data-eobx], [hidden], [aria-hidden='true']";
  const ARIA_TABLE = new Set(["table", "grid", "treegrid"]);
  const ARIA_CELLS = '[role="cell"], [role="gridcell"], [role="rowheader"], [role="columnheader"]';
  const MAX_ROWS = 3000;
  const MAX_CELL = 60;

  function isBlock(el) {
    return BLOCKS.has(el.tagName) || el.hasAttribute("role") && (el.getAttribute("role") === "row" || ARIA_TABLE.has(el.getAttribute("role")));
  }

  function hidden(el) {
    if (el.matches(SKIP)) return true;
    return typeof el.checkVisibility === "function" && !el.checkVisibility();
  }

  /** The text of an element's inline content, its pieces apart ("<b>Met</b>$620.00" is "Met $620.00"). */
  function inlineText(el) {
    const parts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode(node) {
        if (node.nodeType === Node.ELEMENT_NODE) return node.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.textContent);
    return clean(parts.join(" "), 2000);
  }

  function isLeaf(el) {
    return !el.querySelector(BLOCK_SELECTOR);
  }

  /**
   * Short cells printed side by side (a div "table" row, a flex row of label and figure): one
   * row of text with its cells apart, when it could be a standing's and is no stack of rows (no
   * two cells with amounts naming a limit each).
   */
  function cellRow(el) {
    const kids = Array.from(el.children).filter((k) => !hidden(k));
    if (kids.length < 2 || kids.length > 8 || !kids.every(isLeaf)) return null;
    const strayText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (strayText) return null;
    const cells = kids.map(inlineText);
    if (cells.some((c) => c.length > MAX_CELL)) return null;
    const text = cells.join("\t");
    if (!couldBeStanding(text)) return null;
    const withAmounts = cells.some((c) => amounts(c).length);
    if (withAmounts && cells.filter((c) => kinds(c).length).length > 1) return null;
    return text;
  }

  function tableRows(el, out) {
    const rows =
      el.tagName === "TABLE"
        ? Array.from(el.rows)
        : Array.from(el.querySelectorAll('[role="row"]')).filter((r) => r.parentElement.closest('[role="table"], [role="grid"], [role="treegrid"]') === el);
    for (const row of rows) {
      if (out.length >= MAX_ROWS) return;
      if (hidden(row)) continue;
      const cells = el.tagName === "TABLE" ? Array.from(row.cells) : Array.from(row.querySelectorAll(ARIA_CELLS));
      out.push(cells.map(inlineText).join("\t"));
    }
  }

  function definitionRows(dl, out) {
    for (const dt of dl.querySelectorAll("dt")) {
      if (dt.closest("dl") !== dl || hidden(dt)) continue;
      const values = [];
      for (let dd = dt.nextElementSibling; dd && dd.tagName === "DD"; dd = dd.nextElementSibling) values.push(inlineText(dd));
      out.push([inlineText(dt), ...values].join("\t"));
    }
  }

  function collect(el, skip, out) {
    if (out.length >= MAX_ROWS || hidden(el) || skip(el)) return;
    const roleName = el.getAttribute("role");
    if (el.tagName === "TABLE" || ARIA_TABLE.has(roleName)) return tableRows(el, out);
    if (el.tagName === "DL") return definitionRows(el, out);
    if (isLeaf(el)) {
      const text = inlineText(el);
      if (text) out.push(text);
      return;
    }
    const row = cellRow(el);
    if (row) {
      out.push(row);
      return;
    }
    // Inline text between blocks is a row of its own.
    let inline = [];
    const flush = () => {
      const text = clean(inline.join(" "), 2000);
      if (text) out.push(text);
      inline = [];
    };
    for (const node of el.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) inline.push(node.textContent);
      else if (node.nodeType === Node.ELEMENT_NODE && (isBlock(node) || !isLeaf(node))) {
        flush();
        collect(node, skip, out);
      } else if (node.nodeType === Node.ELEMENT_NODE && !hidden(node)) inline.push(inlineText(node));
    }
    flush();
  }

  /** The page's rows of text outside the elements `skip` names (the claim grids). */
  function rowsOf(root, skip = () => false) {
    const out = [];
    collect(root, skip, out);
    return out;
  }

  /** The standing printed under `root`, as wire figures with its date, or null. */
  function readStanding(root, { skip = () => false, asOf = null } = {}) {
    const reader = createReader();
    for (const text of rowsOf(root, skip)) reader.read(text);
    const figures = reader.result();
    if (!figures) return null;
    const standing = {};
    const dated = [...reader.dates].sort();
    const when = dated.length ? dated[dated.length - 1] : asOf;
    if (when) standing.as_of = when;
    for (const name of FIELDS) if (figures.has(name)) standing[name] = ns.money.toWire(figures.get(name));
    return standing;
  }

  /**
   * Put the standing printed on the page on the last of `claims` (buildClaim results), dated by
   * the latest processing date among them when no date is printed beside it. On a page of
   * several members the individual "met" figures could be anyone's: only the family's are kept.
   */
  function attach(claims, root, skip) {
    if (!claims.length) return;
    const processed = claims.map((c) => c.wire.processed_date).filter(Boolean).sort();
    const standing = readStanding(root, { skip, asOf: processed.length ? processed[processed.length - 1] : null });
    if (!standing) return;
    if (new Set(claims.map((c) => c.wire.member || "self")).size > 1) {
      delete standing.deductible_met;
      delete standing.oop_met;
    }
    if (!FIELDS.some((name) => name in standing)) return;
    claims[claims.length - 1].wire.accumulators = standing;
  }

  ns.standing = { createReader, rowsOf, readStanding, attach };
})();
