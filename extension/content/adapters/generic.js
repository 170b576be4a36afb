/*
 * The generic adapter: any page with a grid whose headers look like an EOB's.
 *
 * Each grid is one claim. Its header is read from the grid's "territory" (the largest ancestor
 * that holds no other grid); when that holds no claim number, from the elements printed just
 * before it (claims listed one after another under one parent). Portal adapters reuse
 * `extractGrids` with their own scope, column names and remark codes.
 *
 * Test pages: tests/browser/fixtures/generic-div.html, generic-aria.html, xss.html, privacy.html,
 * generic-family.html (a family's claims, one member each), and the service's /demo page.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("adapter:generic")) return;
  ns.parts.add("adapter:generic");

  function containsOther(el, grid, grids) {
    return grids.some((g) => g !== grid && (el.contains(g.root) || g.root.contains(el)));
  }

  function territory(grid, grids, scope) {
    let best = grid.root;
    for (let a = grid.root.parentElement; a && a !== scope.parentElement; a = a.parentElement) {
      if (containsOther(a, grid, grids)) break;
      best = a;
    }
    return best;
  }

  function headerFor(grid, grids, scope) {
    const isGrid = (node) => grids.some((g) => g.root === node);
    const own = territory(grid, grids, scope);
    const printed = ns.labels.readLabels(own, isGrid, { compared: true });
    if (printed.claim_number) return printed;
    // Claims printed one after another: the header sits in the siblings before the grid.
    // The patient printed nearest the grid is its claim's, as the last printed wins in one header.
    const before = {};
    for (let sib = own.previousElementSibling; sib; sib = sib.previousElementSibling) {
      if (containsOther(sib, grid, grids) || isGrid(sib)) break;
      const found = ns.labels.readLabels(sib, isGrid, { compared: true });
      for (const [field, value] of Object.entries(found)) {
        if (!(ns.labels.COMPARED_FIELDS.has(field) && field in before)) before[field] = value;
      }
      if (before.claim_number) break;
    }
    const compared = Object.entries(printed).filter(([field]) => ns.labels.COMPARED_FIELDS.has(field));
    return { ...printed, ...before, ...Object.fromEntries(compared) };
  }

  /** The cell a badge goes into: "You owe" if the grid has it, else the row's last cell. */
  function anchorCell(grid, row) {
    const owe = grid.fields.indexOf("patient_responsibility");
    const cell = owe >= 0 ? row.cells[owe] : null;
    if (cell) return cell;
    const cells = row.cells.filter(Boolean);
    return cells.length ? cells[cells.length - 1] : row.el;
  }

  function columnLabels(grid) {
    const labels = {};
    grid.fields.forEach((field, i) => {
      if (field && !labels[field]) labels[field] = grid.headers[i];
    });
    return labels;
  }

  /** Claims from every EOB grid under `scope`. */
  function extractGrids(scope, { overrides = {}, localCodes = {}, payer = null, keyPrefix = "generic", defaults = {} } = {}) {
    const grids = ns.grids.findGrids(scope, overrides);
    const warnings = [];
    const claims = grids.map((grid, index) => {
      const printed = headerFor(grid, grids, scope);
      const network = ns.claims.claimNetwork(printed);
      const labels = columnLabels(grid);
      const rows = grid.rows.map((row) => {
        const { texts, firstText } = ns.lines.gridRowTexts(grid, row);
        const result = ns.lines.lineFromTexts(texts, { labels, firstText, footer: row.footer, localCodes, network, warnings });
        return { result, row: row.el, anchor: anchorCell(grid, row) };
      });
      return ns.claims.buildClaim({ key: `${keyPrefix}:${index}`, printed, rows, payer, defaults });
    });
    return { claims: claims.filter((c) => c.lines.length), warnings: [...new Set(warnings)] };
  }

  ns.extractGrids = extractGrids;

  ns.adapters.register({
    id: "generic",
    name: "Any EOB table",
    payer: null,
    hosts: [],
    detect: () => true,
    ready: (doc) => ns.grids.findGrids(doc.body || doc).length > 0,
    extract: (doc) => extractGrids(doc.body || doc),
  });
})();
