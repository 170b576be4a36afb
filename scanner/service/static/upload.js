/*
 * The upload page of EOB Scanner.
 *
 *   file chosen or dropped ──► POST /v1/scan/document (multipart)   ─┐
 *   (a ScanRequest JSON file ──► POST /v1/scan)                       ├─► findings, shown per line
 *   (a provider's bill typed in goes with either, as "bill" / "bills")
 *   claims + plan ──► POST /v1/actions ──► call scripts, letters ────┘
 *   buttons ──► POST /v1/calendar (.ics), POST /v1/report (HTML / PDF), letters from memory
 *
 * The token comes from the address (?token= or #token=), is kept in sessionStorage and removed
 * from the address bar. Everything is drawn with text nodes: no data ever goes through innerHTML.
 * The patient's own details (name, member ID...) stay in this tab's memory and are only written
 * into letters the user downloads.
 */
"use strict";

(function () {
  const TOKEN_KEY = "eobscan-token";
  const state = { token: null, request: null, result: null, plan: null, you: {} };

  const YOU_FIELDS = [
    ["patient_name", "Your name"],
    ["patient_address", "Your address"],
    ["phone", "Your phone number"],
    ["member_id", "Member ID"],
    ["group_number", "Group number"],
    ["claim_number", "Claim number (if not on the EOB you uploaded)"],
    ["account_number", "Account number on the provider's bill"],
    ["insurer_address", "Insurer's address for appeals and claims"],
    ["provider_address", "Provider's billing address"],
    ["physician_name", "Treating physician's name"],
    ["physician_address", "Treating physician's address"],
  ];

  const SEVERITY_TEXT = {
    error: "Error: you likely don't owe this",
    warning: "Warning: worth checking",
    info: "Saving to ask for",
  };

  const $ = (id) => document.getElementById(id);

  /* ---- DOM helpers: text nodes only ---- */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "hidden") node.hidden = true;
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function dollars(value) {
    if (value === null || value === undefined) return "\u2014";
    let text = String(value).replace(/[$,\s]/g, "");
    let negative = false;
    if (/^\(.*\)$/.test(text)) { negative = true; text = text.slice(1, -1); }
    if (text.startsWith("-")) { negative = !negative; text = text.slice(1); }
    if (!/^\d*(\.\d{1,2})?$/.test(text) || text === "") return String(value);
    const [whole, cents = ""] = text.split(".");
    const grouped = (whole || "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-$" : "$") + grouped + "." + cents.padEnd(2, "0");
  }

  function evidenceValue(value) {
    return /^-?\d+\.\d{2}$/.test(String(value)) ? dollars(value) : String(value);
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function longDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", {
      year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
    });
  }

  /* ---- status and errors ---- */

  function say(text) {
    $("status").textContent = text;
  }

  function fail(text) {
    $("error").textContent = text;
    say("");
  }

  /* ---- token ---- */

  function takeToken() {
    const url = new URL(window.location.href);
    const fromHash = new URLSearchParams(url.hash.replace(/^#/, "")).get("token");
    const fromQuery = url.searchParams.get("token");
    const token = fromHash || fromQuery;
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      url.searchParams.delete("token");
      history.replaceState(null, "", url.pathname + url.search);
    }
    state.token = sessionStorage.getItem(TOKEN_KEY);
    $("token-section").hidden = Boolean(state.token);
  }

  /* ---- calls to the service ---- */

  async function call(path, options) {
    const headers = Object.assign({ Authorization: "Bearer " + state.token }, options.headers || {});
    let response;
    try {
      response = await fetch(path, Object.assign({}, options, { headers, credentials: "omit" }));
    } catch (error) {
      throw new Error("The scanner is not reachable. Is `eobscan serve` still running?");
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      state.token = null;
      $("token-section").hidden = false;
      throw new Error("The scanner did not accept the token. Paste the token it printed at start.");
    }
    if (!response.ok) {
      let detail = "The scanner refused the request (" + response.status + ").";
      try {
        const problem = await response.json();
        if (problem && problem.detail) detail = problem.title + ": " + problem.detail;
      } catch (ignored) { /* not a problem document */ }
      throw new Error(detail);
    }
    return response;
  }

  function postJson(path, body, accept) {
    const headers = { "Content-Type": "application/json" };
    if (accept) headers.Accept = accept;
    return call(path, { method: "POST", headers, body: JSON.stringify(body) });
  }

  /* ---- the plan form ---- */

  function planFromForm() {
    const form = $("scan-form");
    const value = (name) => form.elements[name].value.trim();
    const plan = {};
    const family = value("coverage_tier") === "family";
    const put = (key, v) => { if (v !== "") plan[key] = v; };
    put("plan_year_start", value("plan_year_start"));
    put("plan_year_end", value("plan_year_end"));
    put(family ? "deductible_family" : "deductible_individual", value("deductible"));
    put("deductible_met", value("deductible_met"));
    put(family ? "oop_max_family" : "oop_max_individual", value("oop_max"));
    put("oop_met", value("oop_met"));
    if (value("coinsurance_in_network") !== "") plan.coinsurance_in_network = Number(value("coinsurance_in_network"));
    if (value("coinsurance_out_of_network") !== "") plan.coinsurance_out_of_network = Number(value("coinsurance_out_of_network"));
    const other = value("other_coverage");
    if (other === "no") plan.other_coverage = false;
    if (other === "primary" || other === "secondary") {
      plan.other_coverage = true;
      plan.this_plan_position = other;
    }
    if (value("grandfathered") === "yes") plan.grandfathered = true;
    if (Object.keys(plan).length === 0) return null;
    if (family) plan.coverage_tier = "family";
    return plan;
  }

  /* ---- the bill form ---- */

  // The bill the patient typed in, or null. With one claim on the EOB a bill naming no claim is
  // for it; with several, the claim number the bill prints says which, and the service notes a
  // bill it could not match, so a wrong guess is never silent. A document's claims are read by
  // the service, which applies that rule itself (scanner.matching.given_with) and returns the
  // bill as it held it; a ScanRequest file's claims are here, and givenWith applies it.
  // With the statement's file chosen, the service reads it and what is typed wins over it.
  function billFromForm() {
    const form = $("scan-form");
    const value = (name) => form.elements[name].value.trim();
    const fields = ["bill_due", "bill_paid", "bill_claim", "bill_provider", "bill_date"];
    if (fields.every((name) => value(name) === "")) return null;
    if (value("bill_due") === "" && !billFile()) {
      throw new Error("Give the amount due on the bill, so it can be compared with the EOB.");
    }
    const bill = { id: "bill-from-this-page" };
    if (value("bill_due")) bill.amount_due = value("bill_due");
    if (value("bill_claim")) bill.claim_id = value("bill_claim");
    if (value("bill_paid")) bill.amount_paid = value("bill_paid");
    if (value("bill_provider")) bill.provider_name = value("bill_provider");
    if (value("bill_date")) bill.statement_date = value("bill_date");
    return bill;
  }

  function billFile() {
    return $("bill-file").files[0] || null;
  }

  function givenWith(bill, claims) {
    return !bill.claim_id && claims.length === 1 ? Object.assign({}, bill, { claim_id: claims[0].id }) : bill;
  }

  /* ---- scanning ---- */

  async function readScanRequest(file) {
    if (!/\.json$/i.test(file.name)) return null;
    try {
      const data = JSON.parse(await file.text());
      if (data && Array.isArray(data.claims) && !data.resourceType) return data;
    } catch (ignored) { /* not JSON: let the parsers decide */ }
    return null;
  }

  async function scan(file) {
    const plan = planFromForm();
    const asOf = $("as-of").value || null;
    const direct = await readScanRequest(file);
    let request;
    let result;
    if (direct) {
      if (billFile()) {
        throw new Error("A statement file is read with an EOB document (PDF, FHIR, text or CSV): type the bill's amounts instead.");
      }
      request = Object.assign({}, direct);
      if (plan) request.plan = plan;
      if (asOf) request.as_of = asOf;
      const bill = billFromForm();
      if (bill) request.bills = (request.bills || []).concat([givenWith(bill, request.claims)]);
      result = await (await postJson("/v1/scan", request)).json();
    } else {
      const bill = billFromForm();
      const body = new FormData();
      body.append("file", file, file.name);
      if (plan) body.append("plan", JSON.stringify(plan));
      if (bill) body.append("bill", JSON.stringify(bill));
      if (billFile()) body.append("bill_file", billFile(), billFile().name);
      if (asOf) body.append("as_of", asOf);
      result = await (await call("/v1/scan/document", { method: "POST", body })).json();
      request = { claims: result.claims || [], plan: plan, bills: result.bills || [], as_of: asOf };
    }
    const actions = await (await postJson("/v1/actions", request)).json();
    state.request = request;
    state.result = result;
    state.plan = actions;
  }

  async function onSubmit(event) {
    event.preventDefault();
    $("error").textContent = "";
    const file = $("file-input").files[0];
    if (!state.token) {
      fail("Connect to the scanner first: paste the token it printed.");
      $("token-input").focus();
      return;
    }
    if (!file) {
      fail("Choose an EOB file first.");
      $("file-input").focus();
      return;
    }
    const button = $("scan-button");
    button.disabled = true;
    say("Scanning " + file.name + "\u2026");
    try {
      await scan(file);
      render();
      const n = state.result.findings.length;
      say("Scan finished: " + n + (n === 1 ? " finding." : " findings."));
      $("results-heading").focus();
    } catch (error) {
      fail(error.message);
    } finally {
      button.disabled = false;
    }
  }

  /* ---- rendering the results ---- */

  function render() {
    $("results").hidden = false;
    renderSummary();
    renderClaims();
    renderDeadlines();
  }

  // The total in parts that add up to it (summary.total_by_severity): a price to negotiate next
  // to a likely error must not read as money owed back.
  const STAKE_PARTS = [["error", "likely not owed"], ["warning", "worth checking"], ["info", "savings to ask for"]];

  function stakeParts(summary) {
    const split = summary.total_by_severity || {};
    const parts = STAKE_PARTS.filter(([key]) => split[key] && split[key] !== "0.00");
    if (!parts.length) return null;
    const text = parts.length === 1 ? "All of it " + parts[0][1] + "."
      : parts.map(([key, words]) => dollars(split[key]) + " " + words).join(" · ");
    return el("p", { "data-testid": "stake-parts" }, text);
  }

  function renderSummary() {
    const summary = state.result.summary;
    const counts = summary.counts || {};
    const box = $("summary");
    clear(box);
    box.append(
      el("p", {}, "Your share on the EOB: ", el("strong", {}, dollars(summary.patient_responsibility))),
      el("p", {}, "Possibly not yours to pay: ", el("strong", { "data-testid": "at-stake" }, dollars(summary.amount_at_stake))),
      ...[stakeParts(summary)].filter(Boolean),
      el("p", {}, plural(counts.error || 0, "error") + ", " + plural(counts.warning || 0, "warning") +
        ", " + plural(counts.info || 0, "saving") + " to ask for"),
      ...(state.result.bills || []).map(billRead),
      ...(state.result.claims || []).filter((claim) => claim.accumulators).map(standingRead),
    );
    if (state.result.findings.length === 0) {
      box.append(el("p", {}, "No problems found. Keep the EOB until the provider's bill matches it."));
    }
    const notes = (state.result.notes || []).slice();
    for (const check of state.result.checks || []) {
      if (check.status === "error") notes.push("The " + check.name + " check failed; the other findings still stand.");
    }
    if (notes.length) {
      box.append(el("div", { class: "notes" }, el("p", {}, "Notes on how the EOB and the bill were read:"),
        el("ul", {}, notes.map((note) => el("li", {}, note)))));
    }
  }

  // The bill as the scan held it, so the patient can check it against the paper: what was read
  // from the statement (or typed) is what the EOB was compared with.
  function billRead(bill) {
    const parts = [
      bill.provider_name || "Provider not named",
      bill.statement_date ? "statement of " + longDate(bill.statement_date) : null,
      bill.amount_due !== null && bill.amount_due !== undefined ? "amount due " + dollars(bill.amount_due) : null,
      bill.amount_paid && bill.amount_paid !== "0.00" ? "already paid " + dollars(bill.amount_paid) : null,
      (bill.lines || []).length ? plural(bill.lines.length, "itemized line") : null,
    ].filter(Boolean);
    return el("p", { "data-testid": "bill-read" }, "The bill compared: ", parts.join(", ") + ".");
  }

  // The deductible and out-of-pocket standing the EOB printed, as the scan read it: the limits
  // stand in for the plan details left blank, and a limit it shows met binds later claims.
  function standingRead(claim) {
    const printed = claim.accumulators;
    const figure = (met, limit, name) => {
      if (met === null && limit === null) return null;
      if (met === null) return name + " " + dollars(limit);
      return name + " " + dollars(met) + (limit === null ? "" : " of " + dollars(limit)) + " met";
    };
    const parts = [
      figure(printed.deductible_met, printed.deductible, "deductible"),
      figure(printed.oop_met, printed.oop_max, "out-of-pocket maximum"),
      figure(printed.family_deductible_met, printed.family_deductible, "family deductible"),
      figure(printed.family_oop_met, printed.family_oop_max, "family out-of-pocket maximum"),
    ].filter(Boolean);
    const when = printed.as_of ? " on " + longDate(printed.as_of) : "";
    return el("p", { "data-testid": "standing-read" }, "Your plan's standing the EOB printed" + when + ": ",
      parts.join("; ") + ".");
  }

  function findingsByPlace() {
    const places = new Map();
    state.result.findings.forEach((finding, index) => {
      const key = finding.claim_id + "\u0000" + (finding.line_ids[0] || "");
      if (!places.has(key)) places.set(key, []);
      places.get(key).push(index);
    });
    return places;
  }

  function claimsToShow() {
    const claims = state.request.claims || [];
    const known = new Set(claims.map((claim) => claim.id));
    const extra = [...new Set(state.result.findings.map((f) => f.claim_id))]
      .filter((id) => !known.has(id)).map((id) => ({ id, lines: [] }));
    return claims.concat(extra);
  }

  function renderClaims() {
    const host = $("claims");
    clear(host);
    const places = findingsByPlace();
    for (const claim of claimsToShow()) {
      const provider = claim.provider && claim.provider.name ? claim.provider.name : "Provider not named";
      const section = el("section", { class: "claim", "aria-labelledby": "claim-" + cssId(claim.id) },
        el("h3", { id: "claim-" + cssId(claim.id) },
          claim.id ? "Claim " + claim.id + " \u00b7 " + provider : "Bills with no matching EOB (self-pay)"),
        el("p", { class: "meta" }, [
          claim.payer ? "Insurer: " + claim.payer + ". " : "",
          claim.service_start ? "Service: " + longDate(claim.service_start) + ". " : "",
          claim.processed_date ? "Processed: " + longDate(claim.processed_date) + "." : "",
        ].join("")),
      );
      const whole = places.get(claim.id + "\u0000") || [];
      if (whole.length) {
        section.append(el("h4", {}, "The whole claim"), ...whole.map(renderFinding));
      }
      for (const line of claim.lines || []) {
        const found = places.get(claim.id + "\u0000" + line.id) || [];
        section.append(renderLine(line, found));
      }
      host.append(section);
    }
  }

  function cssId(text) {
    return String(text).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  function renderLine(line, found) {
    const label = [
      "Line " + line.id,
      line.code ? (line.code_system ? line.code_system + " " : "") + line.code : null,
      line.description,
      line.service_date ? longDate(line.service_date) : null,
    ].filter(Boolean).join(" \u00b7 ");
    const amounts = [
      ["Billed", line.billed], ["Allowed", line.allowed], ["Plan paid", line.plan_paid],
      ["Your share", line.patient_responsibility],
    ].filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => k + " " + dollars(v)).join(", ");
    const box = el("div", { class: "line" + (found.length ? " flagged" : "") },
      el("h4", {}, label),
      el("p", { class: "meta" }, amounts || "No amounts printed."),
    );
    if (!found.length) box.append(el("p", { class: "ok" }, "Nothing wrong found on this line."));
    box.append(...found.map(renderFinding));
    return box;
  }

  function renderFinding(index) {
    const finding = state.result.findings[index];
    const planned = (state.plan && state.plan.findings[index]) || { calls: [], letters: [] };
    const article = el("article", { class: "finding sev-" + finding.severity, "data-rule": finding.rule },
      el("h5", {}, finding.rule + ": " + finding.title),
      el("p", { class: "badge" }, SEVERITY_TEXT[finding.severity] || finding.severity,
        " \u00b7 at stake ", el("strong", {}, dollars(finding.amount_at_stake))),
      el("p", {}, finding.message),
    );
    if (finding.evidence.length) {
      article.append(el("ul", { class: "evidence", "aria-label": "Evidence" },
        finding.evidence.map((ev) => el("li", {},
          ev.field.replace(/_/g, " ") + (ev.value !== null ? ": " + evidenceValue(ev.value) : "") +
          (ev.expected !== null ? " (expected " + evidenceValue(ev.expected) + ")" : "") +
          (ev.note ? "; " + ev.note : "")))));
    }
    const claim = (state.request.claims || []).find((c) => c.id === finding.claim_id) || {};
    for (const callScript of planned.calls) article.append(renderCall(callScript, claim));
    if (planned.letters.length) {
      article.append(el("p", { class: "buttons" }, planned.letters.map((letter) =>
        el("button", { type: "button", class: "letter", "data-letter": letter.id,
          "aria-label": "Download letter: " + letter.title + " (" + finding.rule + ")" },
        "Download letter: " + letter.title))));
    }
    if (finding.references.length) {
      article.append(el("p", { class: "refs" }, "References: " +
        finding.references.map((r) => r.citation + " (" + r.title + ")").join("; ")));
    }
    return article;
  }

  function renderCall(callScript, claim) {
    const known = Object.assign({ claim_number: claim.claim_number || "" }, state.you);
    const fill = (text) => fillLocal(text, known);
    return el("div", { class: "call" },
      el("p", {}, el("strong", {}, "What to do" + (callScript.deadline ? " by " + longDate(callScript.deadline) : "") + ": "),
        "call " + callScript.who + "."),
      el("p", {}, el("strong", {}, "Have at hand: "), fill(callScript.have_at_hand.join("; ")) + "."),
      el("p", {}, el("strong", {}, "Say: "), fill(callScript.say)),
      el("p", {}, el("strong", {}, "Ask for:")),
      el("ul", {}, callScript.ask_for.map((item) => el("li", {}, item))),
      el("p", {}, callScript.in_writing),
    );
  }

  function renderDeadlines() {
    const host = $("deadlines");
    clear(host);
    const items = state.plan ? state.plan.deadlines : [];
    if (!items.length) {
      host.append(el("p", {}, "No deadlines came out of this scan."));
      return;
    }
    host.append(el("ul", {}, items.map((item) =>
      el("li", {}, el("strong", {}, longDate(item.due)), ": " + item.title + " (claim " + item.claim_id + ", " + item.rule + ")"))));
  }

  /* ---- the patient's own details, for letters only ---- */

  function renderYouFields() {
    const host = $("you-fields");
    for (const [name, label] of YOU_FIELDS) {
      const input = el("input", { id: "you-" + name, name, autocomplete: "off" });
      input.addEventListener("input", () => { state.you[name] = input.value; });
      input.addEventListener("change", () => { if (state.result) renderClaims(); });
      host.append(el("p", {}, el("label", { for: "you-" + name }, label), input));
    }
  }

  function fillLocal(text, values) {
    const known = values || state.you;
    return text.replace(/\{([a-z_]+)\}/g, (match, name) => known[name] ? known[name] : match);
  }

  /* ---- downloads ---- */

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function onLetter(event) {
    const button = event.target.closest("button.letter");
    if (!button || !state.plan) return;
    const id = button.getAttribute("data-letter");
    for (const item of state.plan.findings) {
      const letter = item.letters.find((l) => l.id === id);
      if (letter) {
        saveBlob(new Blob([fillLocal(letter.text)], { type: "text/plain;charset=utf-8" }), letter.filename);
        say("Letter saved as " + letter.filename + ".");
        return;
      }
    }
  }

  async function download(path, accept, filename, what) {
    if (!state.request) return;
    $("error").textContent = "";
    say("Preparing " + what + "\u2026");
    try {
      const response = await postJson(path, state.request, accept);
      saveBlob(await response.blob(), filename);
      say(what.charAt(0).toUpperCase() + what.slice(1) + " saved as " + filename + ".");
    } catch (error) {
      fail(error.message);
    }
  }

  /* ---- drag and drop ---- */

  function setupDrop() {
    const zone = $("drop-zone");
    const input = $("file-input");
    const show = () => {
      $("file-name").textContent = input.files[0] ? "Chosen: " + input.files[0].name : "";
    };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  }

  function start() {
    takeToken();
    setupDrop();
    renderYouFields();
    const today = new Date();
    $("as-of").value = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
      .map((n) => String(n).padStart(2, "0")).join("-");
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token-input").value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      state.token = token;
      $("token-input").value = "";
      $("token-section").hidden = true;
      $("error").textContent = "";
      say("Connected. Choose your EOB.");
      $("file-input").focus();
    });
    $("scan-form").addEventListener("submit", onSubmit);
    $("claims").addEventListener("click", onLetter);
    $("download-ics").addEventListener("click", () =>
      download("/v1/calendar", "text/calendar", "eob-deadlines.ics", "the calendar"));
    $("download-report").addEventListener("click", () =>
      download("/v1/report", "text/html", "eob-evidence-pack.html", "the evidence pack"));
    $("download-pdf").addEventListener("click", () =>
      download("/v1/report", "application/pdf", "eob-evidence-pack.pdf", "the PDF evidence pack"));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
