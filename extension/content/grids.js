/*
 * Finding grids of claim lines: HTML tables, ARIA grids (role=grid/table/treegrid with role=row
 * and role=cell/gridcell), and div layouts (a header row of short labels followed by rows with the
 * same number of children). A grid is {kind, root, headers, fields, rows: [{el, cells}]}, where
 * cells[i] is the element under headers[i] (merged cells repeat). A header printed over several
 * rows is read by titles.js, the same way for each kind.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("grids")) return;
  ns.parts.add("grids");

  const { textOf } = ns.text;
  const MAX_ROWS = 2000;
  const ARIA_GRID = '[role="grid"], [role="table"], [role="treegrid"]';
  const ARIA_CELL = new Set(["cell", "gridcell", "rowheader", "columnheader"]);

  function isOurs(el) {
    return Boolean(el.closest && el.closest("[data-eobx]"));
  }

  /** Rows of an HTML table as a matrix of cells, honouring colspan and rowspan. */
  function tableMatrix(table) {
    const matrix = [];
    const rows = Array.from(table.rows).slice(0, MAX_ROWS);
    rows.forEach((row, r) => {
      matrix[r] = matrix[r] || [];
      let c = 0;
      for (const cell of row.cells) {
        while (matrix[r][c]) c += 1;
        const colspan = Math.min(Math.max(cell.colSpan || 1, 1), 50);
        const rowspan = Math.min(Math.max(cell.rowSpan || 1, 1), rows.length - r);
        for (let dr = 0; dr < rowspan; dr += 1) {
          matrix[r + dr] = matrix[r + dr] || [];
          for (let dc = 0; dc < colspan; dc += 1) matrix[r + dr][c + dc] = cell;
        }
        c += colspan;
      }
    });
    return rows.map((el, r) => ({ el, cells: matrix[r] || [] }));
  }

  function headerRowIndex(rows, table) {
    if (table.tHead && table.tHead.rows.length) {
      const last = table.tHead.rows[table.tHead.rows.length - 1];
      return rows.findIndex((row) => row.el === last);
    }
    const allTh = rows.findIndex((row) => row.el.cells.length > 1 && Array.from(row.el.cells).every((c) => c.tagName === "TH"));
    return allTh >= 0 ? allTh : 0;
  }

  /** The rows of a table head down to the header row `h` (none for a one-row head): its titles. */
  function headRows(rows, h, table) {
    if (!(h > 0 && table.tHead && table.tHead.rows.length > 1)) return [];
    const first = rows.findIndex((row) => row.el.parentElement === rows[h].el.parentElement);
    return rows.slice(Math.max(first, 0), h + 1).map((row) => row.cells);
  }

  function readTable(table) {
    const rows = tableMatrix(table);
    if (rows.length < 2) return null;
    const h = headerRowIndex(rows, table);
    if (h < 0) return null;
    const headerCells = rows[h].cells;
    const stacked = ns.titles.stackedTitles(headRows(rows, h, table));
    const body = rows
      .slice(h + 1)
      .filter((row) => !(row.el.cells.length && Array.from(row.el.cells).every((c) => c.tagName === "TH") && row.el.parentElement.tagName !== "TFOOT"));
    return {
      kind: "table",
      root: table,
      headerCells,
      stacked,
      rows: body.map((row) => ({
        el: row.el,
        cells: row.cells,
        footer: row.el.parentElement && row.el.parentElement.tagName === "TFOOT",
      })),
    };
  }

  function ownerGrid(el) {
    return el.parentElement ? el.parentElement.closest(ARIA_GRID) : null;
  }

  function ariaCells(row) {
    const cells = [];
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_ELEMENT, {
      acceptNode(node) {
        if (node === row) return NodeFilter.FILTER_SKIP;
        if (node.getAttribute("role") === "row") return NodeFilter.FILTER_REJECT;
        return ARIA_CELL.has(node.getAttribute("role")) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) cells.push(node);
    const placed = [];
    let next = 0;
    for (const cell of cells) {
      const index = Number(cell.getAttribute("aria-colindex"));
      const at = Number.isInteger(index) && index > 0 && index <= 100 ? index - 1 : next;
      const span = Math.min(Math.max(Number(cell.getAttribute("aria-colspan")) || 1, 1), 50);
      for (let d = 0; d < span; d += 1) placed[at + d] = cell;
      next = at + span;
    }
    return placed;
  }

  /** A row of column headers only: a further header row under the first, as in a table head. */
  function allColumnHeaders(cells) {
    const present = cells.filter(Boolean);
    return present.length > 0 && present.every((cell) => cell.getAttribute("role") === "columnheader");
  }

  /**
   * The header is the first row holding a column header and the rows of column headers right
   * under it; the last of them is the header row, the stack over it gives stacked titles.
   */
  function readAria(grid) {
    const rows = Array.from(grid.querySelectorAll('[role="row"]'))
      .filter((row) => ownerGrid(row) === grid)
      .slice(0, MAX_ROWS);
    const h = rows.findIndex((row) => row.querySelector('[role="columnheader"]'));
    if (h < 0) return null;
    const head = [ariaCells(rows[h])];
    while (h + head.length < rows.length) {
      const cells = ariaCells(rows[h + head.length]);
      if (!allColumnHeaders(cells)) break;
      head.push(cells);
    }
    return {
      kind: "aria",
      root: grid,
      headerCells: head[head.length - 1],
      stacked: ns.titles.stackedTitles(head),
      rows: rows.slice(h + head.length).map((el) => ({ el, cells: ariaCells(el), footer: false })),
    };
  }

  /** Short label-like children: the shape of a div header row. */
  function labelChildren(el) {
    const kids = Array.from(el.children).filter((k) => !isOurs(k));
    if (kids.length < 4 || kids.length > 30) return null;
    for (const kid of kids) {
      const t = textOf(kid);
      if (t.length > 40) return null;
    }
    return kids;
  }

  /**
   * A div header printed over several rows: `el` and the rows right after it of as many short
   * titles. Div rows carry no spans, so only rows of the same width stack. A row of titles holds no
   * digit (every row of values has a date, a code or an amount); at most three rows, as printed.
   */
  function divHeader(el, kids) {
    const head = [{ el, cells: kids }];
    const titles = (cells) => cells.some((k) => textOf(k)) && cells.every((k) => !/\d/.test(textOf(k)));
    if (!titles(kids)) return head;
    for (let sib = el.nextElementSibling; sib && head.length < 3; sib = sib.nextElementSibling) {
      if (isOurs(sib)) continue;
      const cells = labelChildren(sib);
      if (!cells || cells.length !== kids.length || !titles(cells)) break;
      head.push({ el: sib, cells });
    }
    return head;
  }

  function sameShape(el, width) {
    return Array.from(el.children).filter((k) => !isOurs(k)).length === width;
  }

  /** Data rows after a div header row: its following siblings, or the children of the next one. */
  function divRows(header, width) {
    const rows = [];
    for (let sib = header.nextElementSibling; sib && rows.length < MAX_ROWS; sib = sib.nextElementSibling) {
      if (isOurs(sib)) continue;
      if (sameShape(sib, width)) {
        rows.push(sib);
        continue;
      }
      const kids = Array.from(sib.children).filter((k) => !isOurs(k));
      if (!rows.length && kids.length && kids.every((k) => sameShape(k, width))) {
        rows.push(...kids.slice(0, MAX_ROWS));
        continue;
      }
      break;
    }
    return rows;
  }

  function readDivCandidates(scope, exclude) {
    const grids = [];
    const claimed = new Set();
    const candidates = scope.querySelectorAll("div, ul, ol, section, dl");
    for (const el of candidates) {
      if (claimed.has(el) || exclude(el)) continue;
      const kids = labelChildren(el);
      if (!kids) continue;
      const head = divHeader(el, kids);
      const last = head[head.length - 1];
      const stacked = ns.titles.stackedTitles(head.map((row) => row.cells));
      if (!ns.columns.looksLikeEob(ns.titles.columnTitles(last.cells, stacked).fields)) continue;
      const rows = divRows(last.el, kids.length);
      if (!rows.length) continue;
      // The lower header rows are the grid's too: never read again as a header of their own.
      head.forEach((row) => claimed.add(row.el));
      rows.forEach((row) => claimed.add(row));
      grids.push({
        kind: "div",
        root: el.parentElement || el,
        headerRow: last.el,
        headerCells: last.cells,
        stacked,
        rows: rows.map((row) => ({
          el: row,
          cells: Array.from(row.children).filter((k) => !isOurs(k)),
          footer: false,
        })),
      });
    }
    return grids;
  }

  function withFields(grid, overrides) {
    if (!grid) return null;
    const { headers, fields } = ns.titles.columnTitles(grid.headerCells, grid.stacked, overrides);
    if (!ns.columns.looksLikeEob(fields)) return null;
    return { ...grid, headers, fields };
  }

  /**
   * Every EOB grid under `scope`, in document order. `overrides` maps normalised header labels to
   * fields for a portal's own column names.
   */
  function findGrids(scope = document, overrides = {}) {
    const grids = [];
    for (const table of scope.querySelectorAll("table")) {
      if (isOurs(table) || table.getAttribute("role") === "presentation") continue;
      const grid = withFields(readTable(table), overrides);
      if (grid) grids.push(grid);
    }
    for (const el of scope.querySelectorAll(ARIA_GRID)) {
      if (el.tagName === "TABLE" || isOurs(el)) continue;
      const grid = withFields(readAria(el), overrides);
      if (grid) grids.push(grid);
    }
    const inKnown = (el) => isOurs(el) || el.closest("table") || el.closest(ARIA_GRID) || grids.some((g) => g.root.contains(el));
    for (const grid of readDivCandidates(scope, inKnown)) {
      const named = withFields(grid, overrides);
      if (named) grids.push(named);
    }
    const order = (a, b) => (a.root.compareDocumentPosition(b.root) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    return grids.sort(order);
  }

  ns.grids = { findGrids, readTable, readAria, isOurs };
})();
