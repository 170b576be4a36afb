/*
 * One row of printed values -> one ServiceLine in the wire form (only the fields the checks use),
 * or the claim's printed totals. Descriptions stay on the page: the checks read codes, not words.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("lines")) return;
  ns.parts.add("lines");

  const T = ns.text;
  const { MONEY_FIELDS } = ns.columns;
  const TOTALS = /^(?:claim |grand )?totals?\b|^sum\b/i;

  /** {field: printed text} for one grid row (a merged cell counts for its first column only). */
  function gridRowTexts(grid, row) {
    const texts = {};
    const used = new Set();
    grid.fields.forEach((field, i) => {
      const cell = row.cells[i];
      if (!field || !cell || used.has(cell)) return;
      used.add(cell);
      texts[field] = T.textOf(cell);
    });
    const first = row.cells.find((cell) => cell && T.textOf(cell));
    return { texts, firstText: first ? T.textOf(first) : "" };
  }

  function readMoney(texts, labels, warnings) {
    const amounts = {};
    let any = false;
    for (const field of MONEY_FIELDS) {
      if (!(field in texts)) continue;
      const read = ns.money.parseMoney(texts[field]);
      if (read.error) {
        warnings.push(`An amount in the "${labels[field] || field}" column could not be read, so it was left out.`);
        continue;
      }
      if (read.cents !== null) {
        // Portals print the plan discount as "-$98.00" or "($98.00)" as often as "$98.00": it is
        // a reduction either way.
        amounts[field] = field === "discount" ? Math.abs(read.cents) : read.cents;
        any = true;
      }
    }
    return { amounts, any };
  }

  function codeFrom(texts) {
    const cell = texts.code !== undefined ? T.parseCodeCell(texts.code) : null;
    if (cell) return cell;
    const inside = T.findCodeIn(texts.code || "") || T.findCodeIn(texts.description || "");
    return inside ? { ...inside, modifiers: [] } : null;
  }

  /**
   * Build a line from printed texts. Returns {kind: "line"|"totals"|"skip", line?, lastDay?, totals?,
   * description?}. `labels` names the columns for warnings; `localCodes` maps a portal's own remark
   * codes to standard ones; `network` is the claim's network when the row has none.
   */
  function lineFromTexts(texts, { labels = {}, firstText = "", footer = false, localCodes = {}, network = null, warnings = [] } = {}) {
    const { amounts, any } = readMoney(texts, labels, warnings);
    if (footer || TOTALS.test(firstText) || TOTALS.test(texts.description || "")) {
      if (!any) return { kind: "skip" };
      const totals = {};
      for (const [field, cents] of Object.entries(amounts)) if (cents >= 0) totals[field] = ns.money.toWire(cents);
      return { kind: "totals", totals };
    }
    const code = codeFrom(texts);
    if (!any && !code) return { kind: "skip" };

    const line = {};
    // A line dated over several days (an inpatient stay) keeps its first day; its last day is
    // kept beside it for the claim's end, as the service's readers do.
    let lastDay = null;
    if (texts.service_date !== undefined) {
      const range = T.parseDateRange(texts.service_date);
      if (range) {
        line.service_date = range.start;
        lastDay = range.end;
      }
    }
    if (code) {
      line.code = code.code;
      line.code_system = code.system;
      const modifiers = [...code.modifiers];
      if (texts.modifiers !== undefined) {
        for (const m of T.clean(texts.modifiers, 40).toUpperCase().split(/[\s,;]+/)) {
          if (/^[A-Z0-9]{2}$/.test(m) && !modifiers.includes(m)) modifiers.push(m);
        }
      }
      if (modifiers.length) line.modifiers = modifiers.slice(0, 4);
    }
    if (texts.diagnoses !== undefined) {
      const dx = T.parseDiagnoses(texts.diagnoses);
      if (dx.length) line.diagnoses = dx;
    }
    if (texts.units !== undefined) {
      const units = T.parseUnits(texts.units);
      if (units !== null) line.units = units;
    }
    if (texts.remarks !== undefined) {
      const { adjustments, remarks } = T.parseRemarks(texts.remarks, localCodes);
      if (adjustments.length) line.adjustments = adjustments;
      if (remarks.length) line.remarks = remarks;
    }
    const lineNetwork = texts.network !== undefined ? T.parseNetwork(texts.network) : null;
    if (lineNetwork || network) line.network = lineNetwork || network;
    if (texts.line_status !== undefined && T.parseStatus(texts.line_status) === "denied") line.denied = true;
    // Medicare's "Service approved?" column: a "No" is a denied line, as the document readers read it.
    if (texts.approved !== undefined && T.parseYesNo(texts.approved) === false) line.denied = true;
    for (const [field, cents] of Object.entries(amounts)) line[field] = ns.money.toWire(cents);
    return { kind: "line", line, lastDay, description: T.clean(texts.description || "", 200) };
  }

  ns.lines = { gridRowTexts, lineFromTexts };
})();
