/*
 * Claims as the service sees them, and what stays on the page.
 *
 * A claim goes out with an opaque id (random, made here, stable while the page is open) instead
 * of its claim number; the number, the provider's name and the descriptions stay in this isolated
 * world, where the badges use them to fill in call scripts. Only the fields below are ever sent.
 * The patient's name is handed to members.js to be compared, and kept by neither.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("claims")) return;
  ns.parts.add("claims");

  const T = ns.text;
  ns.state.claimIds = ns.state.claimIds || new Map();

  function randomId() {
    const bytes = new Uint8Array(5);
    crypto.getRandomValues(bytes);
    return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  /** The opaque id for a claim: the same claim keeps its id across re-scans of this page. */
  function opaqueId(key) {
    const ids = ns.state.claimIds;
    if (!ids.has(key)) ids.set(key, randomId());
    return ids.get(key);
  }

  /**
   * The claim's network: its own field, else a status printed after the provider's name
   * ("Example Clinic (In-Network)"). Lines without a network of their own take it.
   */
  function claimNetwork(printed) {
    const field = printed.network ? T.parseNetwork(printed.network) : null;
    if (field) return field;
    return printed.provider_name ? T.splitNetworkNote(printed.provider_name).network : null;
  }

  /**
   * Printed header values -> claim fields (wire) and local-only values. Whom the claim is for
   * (`member`, `patient_name`) is members.js's, which gives the page's claims their members.
   */
  function fromLabels(printed) {
    const wire = {};
    const local = {};
    if (printed.claim_number) local.claim_number = T.clean(printed.claim_number, 60);
    const provider = printed.provider_name ? T.splitNetworkNote(printed.provider_name) : null;
    const facility = printed.facility_name ? T.splitNetworkNote(printed.facility_name) : null;
    if (provider) local.provider_name = T.clean(provider.name, 120);
    if (facility) local.facility_name = T.clean(facility.name, 120);
    if (printed.service_dates) {
      const range = T.parseDateRange(printed.service_dates);
      if (range) {
        wire.service_start = range.start;
        wire.service_end = range.end;
      }
    }
    for (const field of ["received_date", "processed_date"]) {
      if (printed[field]) {
        const date = T.parseDate(printed[field]);
        if (date) wire[field] = date;
      }
    }
    const network = claimNetwork(printed);
    if (network) wire.provider = { network };
    const facilityNetwork =
      (printed.facility_network ? T.parseNetwork(printed.facility_network) : null) || (facility && facility.network);
    if (facilityNetwork) wire.facility = { network: facilityNetwork };
    const simple = [
      ["status", T.parseStatus],
      ["claim_type", T.parseClaimType],
      ["place_of_service", T.parsePlaceOfService],
      ["emergency", T.parseYesNo],
      ["coverage_position", T.parseCoveragePosition],
    ];
    for (const [field, parse] of simple) {
      if (printed[field] === undefined) continue;
      const value = parse(printed[field]);
      if (value !== null) wire[field] = value;
    }
    return { wire, local };
  }

  /**
   * Assemble one claim. `rows` are lineFromTexts results with their page elements:
   * [{result, anchor, row}]. Returns {id, wire, local, lines: [{id, anchor, row, description}]}.
   */
  function buildClaim({ key, printed = {}, rows, payer = null, defaults = {} }) {
    const { wire: header, local } = fromLabels(printed);
    const id = opaqueId(local.claim_number ? `n:${local.claim_number}` : key);
    const wire = { id, source: "portal", ...defaults, ...header };
    if (payer) wire.payer = payer;
    const lines = [];
    const wireLines = [];
    const days = [];
    for (const { result, anchor, row } of rows) {
      if (result.kind === "totals") {
        wire.totals = result.totals;
        continue;
      }
      if (result.kind !== "line") continue;
      const lineId = String(wireLines.length + 1);
      wireLines.push({ id: lineId, ...result.line });
      lines.push({ id: lineId, anchor, row, description: result.description });
      days.push(result.line.service_date, result.lastDay);
    }
    wire.lines = wireLines;
    const dates = days.filter(Boolean).sort();
    if (!wire.service_start && dates.length) {
      wire.service_start = dates[0];
      wire.service_end = dates[dates.length - 1];
    }
    const claim = { id, wire, local, lines };
    ns.members.remember(claim, printed);
    return claim;
  }

  ns.claims = { buildClaim, claimNetwork, fromLabels, opaqueId };
})();
