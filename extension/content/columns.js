/*
 * Column headers -> ServiceLine fields, by synonyms.
 *
 * Portals name the same column many ways ("You owe", "Your responsibility", "What you pay",
 * "Member Resp."). A header maps to the field whose synonym matches it exactly; failing that, to
 * the field whose longest synonym it contains as whole words ("Amount paid by other insurance"
 * contains "other insurance" (longer) and "amount paid", so it is prior_payer_paid).
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("columns")) return;
  ns.parts.add("columns");

  const MONEY_FIELDS = [
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "not_covered",
    "patient_responsibility",
    "prior_payer_paid",
  ];

  const SYNONYMS = {
    billed: [
      "billed", "amount billed", "billed amount", "billed charges", "amount charged", "charged",
      "charges", "charge", "total charges", "provider charges", "provider billed", "submitted charges",
      "submitted", "provider charged", "what your provider charged", "original charge",
    ],
    discount: [
      "discount", "plan discount", "network discount", "provider discount", "network savings",
      "savings", "amount saved", "you saved", "negotiated discount", "plan savings",
    ],
    allowed: [
      "allowed", "allowed amount", "amount allowed", "plan allowed", "plan allowed amount",
      "allowable", "allowed charges", "approved amount", "medicare approved", "eligible amount",
      "negotiated rate", "negotiated amount", "contracted rate",
    ],
    plan_paid: [
      "plan paid", "paid by plan", "plan pays", "plan payment", "plans share", "health plan paid",
      "insurance paid", "paid by insurance", "amount paid", "paid", "we paid", "what your plan paid",
      "benefit paid", "benefits paid", "paid to provider", "plan responsibility", "plan payment amount",
    ],
    deductible: ["deductible", "applied to deductible", "deductible amount", "toward deductible"],
    copay: ["copay", "co pay", "copayment", "co payment", "copays", "copay amount"],
    coinsurance: ["coinsurance", "co insurance", "coins", "coinsurance amount"],
    not_covered: [
      "not covered", "amount not covered", "non covered", "noncovered", "non covered amount",
      "ineligible", "ineligible amount", "not allowed",
    ],
    patient_responsibility: [
      "you owe", "what you owe", "amount you owe", "you may owe", "you may be billed",
      "maximum you may be billed", "your responsibility", "patient responsibility", "patient resp",
      "member responsibility", "member resp", "your share", "your cost", "your total cost",
      "you pay", "what you pay", "patient owes", "patient balance", "your balance",
    ],
    prior_payer_paid: [
      "other insurance paid", "other insurance", "paid by other insurance", "prior payer paid",
      "primary paid", "primary insurance paid", "other coverage paid", "cob",
    ],
    service_date: [
      "date of service", "service date", "dates of service", "date", "dos", "from date",
      "service from", "date provided", "visit date",
    ],
    code: [
      "procedure code", "cpt", "cpt code", "cpt hcpcs", "hcpcs", "service code", "code", "proc code",
      "procedure", "billing code", "cdt code", "revenue code",
    ],
    description: [
      "description", "service", "services", "service description", "procedure description",
      "type of service", "service provided", "what was done",
    ],
    modifiers: ["modifier", "modifiers", "mod", "mods"],
    diagnoses: ["diagnosis", "diagnosis code", "diagnosis codes", "dx", "icd", "icd 10", "icd code"],
    units: ["units", "qty", "quantity", "days units", "unit"],
    remarks: [
      "remarks", "remark", "remark codes", "remark code", "reason code", "reason codes",
      "adjustment reason", "adjustment codes", "claim adjustment reason", "carc", "explanation codes",
      "codes", "notes", "see note", "messages",
    ],
    network: ["network", "network status", "in network", "benefit level", "provider network"],
    line_status: ["status", "line status"],
  };

  const EXACT = new Map();
  const CONTAINED = [];
  for (const [field, words] of Object.entries(SYNONYMS)) {
    for (const word of words) {
      EXACT.set(word, field);
      CONTAINED.push([word, field]);
    }
  }
  CONTAINED.sort((a, b) => b[0].length - a[0].length);

  function fieldFor(headerText) {
    const label = ns.text.normalizeLabel(headerText);
    if (!label || label.length > 60) return null;
    if (EXACT.has(label)) return EXACT.get(label);
    const padded = ` ${label} `;
    for (const [word, field] of CONTAINED) {
      // Short single words ("paid", "date", "code") only match exactly: "Amount you paid" is not
      // what the plan paid.
      if ((word.length >= 5 || word.includes(" ")) && padded.includes(` ${word} `)) return field;
    }
    return null;
  }

  /**
   * Header texts -> fields, each field used once (the first column wins, so a second "Paid"
   * column never overwrites the first). Adapters pass their own names in `overrides`.
   */
  function mapHeaders(texts, overrides = {}) {
    const used = new Set();
    return texts.map((text) => {
      const label = ns.text.normalizeLabel(text);
      const field = overrides[label] || fieldFor(text);
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

  ns.columns = { MONEY_FIELDS, SYNONYMS, fieldFor, mapHeaders, looksLikeEob };
})();
