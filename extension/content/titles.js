/*
 * Column titles printed over several header rows, for every kind of grid (a table head, rows of
 * ARIA column headers, div rows of titles).
 *
 * Portals print a narrow column's title over two lines ("Your" over "Share", "Plan" over "Paid")
 * and group columns under one title ("Amounts" over Billed and Allowed). Read alone, the last row
 * says "Share", which names nothing; read together the column is the patient's share. One rule
 * for all grids, so a portal that draws its header as ARIA rows or divs reads as its table would.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("titles")) return;
  ns.parts.add("titles");

  const { textOf } = ns.text;

  /**
   * Each column's title over header rows, top to bottom: "Your" over "Share" is "Your Share".
   * `rows` are arrays of cells by column, a merged cell repeated in each column it covers. A
   * title spanning several columns is a group title and names none of them; one spanning several
   * rows counts once. Null for a single row: there is nothing to join.
   */
  function stackedTitles(rows) {
    if (rows.length < 2) return null;
    const width = Math.max(...rows.map((row) => row.length));
    return Array.from({ length: width }, (_, c) => {
      const parts = [];
      let previous = null;
      for (const row of rows) {
        const cell = row[c];
        if (!cell || cell === previous) continue;
        previous = cell;
        const group = row[c - 1] === cell || row[c + 1] === cell;
        const text = group ? "" : textOf(cell);
        if (text) parts.push(text);
      }
      return parts.join(" ");
    });
  }

  function named(fields) {
    return fields.filter(Boolean).length;
  }

  /**
   * The titles a grid is read by, and their fields: the last header row's, or the stacked titles
   * when they name more columns than the last row alone (so a header that already names its
   * columns reads as it did).
   */
  function columnTitles(headerCells, stacked, overrides = {}) {
    const headers = headerCells.map((cell) => textOf(cell));
    const fields = ns.columns.mapHeaders(headers, overrides);
    if (!stacked) return { headers, fields };
    const stackedFields = ns.columns.mapHeaders(stacked, overrides);
    return named(stackedFields) > named(fields) ? { headers: stacked, fields: stackedFields } : { headers, fields };
  }

  ns.titles = { stackedTitles, columnTitles };
})();
