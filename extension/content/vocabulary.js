/*
 * GENERATED FILE: do not edit. Made from scanner/ingest/vocabulary.py by `make vocabulary`:
 *   python -m scanner.extension_vocabulary > extension/content/vocabulary.js
 * Add words to the Python vocabulary and regenerate; tests/test_extension_vocabulary.py fails
 * while this file differs from the generator's output.
 *
 * The words EOB portals print for our fields, shared with the service's document readers.
 * Phrases are in normalised words (columns.js `words`); the first field to list a phrase owns it.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("vocabulary")) return;
  ns.parts.add("vocabulary");

  /** Field -> the phrases that name it, in the Python vocabulary's order. */
  const SYNONYMS = {
    billed: [
      "amount billed", "billed amount", "billed", "billed charges", "charges", "charge", "total charges",
      "amount charged", "charged", "provider charged", "amount provider charged", "provider charges",
      "submitted charges", "submitted", "submitted amount", "amount submitted", "provider billed",
      "what your provider charged", "original charge",
    ],
    discount: [
      "discount", "plan discount", "network discount", "provider discount", "savings", "network savings",
      "your savings", "discount savings", "amount saved", "you saved", "negotiated discount", "plan savings",
    ],
    allowed: [
      "allowed", "allowed amount", "amount allowed", "plan allowance", "plan allowed", "allowance",
      "approved", "approved amount", "medicare approved", "medicare approved amount", "eligible amount",
      "allowable", "allowed charges", "plan allowed amount", "negotiated rate", "negotiated amount",
      "contracted rate", "member rate", "eligible", "eligible charges", "eligible charge", "eligible expense",
      "eligible expenses",
    ],
    plan_paid: [
      "plan paid", "paid by plan", "plan payment", "plan pays", "amount paid", "paid amount",
      "paid by insurance", "insurance paid", "medicare paid", "benefit paid", "plan paid amount", "paid",
      "your plan paid", "what your plan paid", "we paid", "plan s share", "plans share", "health plan paid",
      "benefits paid", "paid to provider", "plan responsibility", "plan payment amount",
      "amount paid to provider", "medicare paid provider", "payable amount", "amount payable",
      "benefit amount",
    ],
    deductible: [
      "deductible", "applied to deductible", "deductible amount", "your deductible", "toward deductible",
    ],
    copay: ["copay", "copayment", "co pay", "co payment", "copay amount", "copays"],
    coinsurance: ["coinsurance", "co insurance", "coinsurance amount", "coins"],
    copay_and_coinsurance: [
      "copay coinsurance", "copay coins", "copay or coinsurance", "copay and coinsurance",
      "coinsurance copay", "coinsurance or copay", "copayment coinsurance", "copay coinsurance amount",
      "co pay co insurance", "co pay coinsurance",
    ],
    deductible_and_cost_sharing: [
      "deductible coinsurance", "deductible coins", "deductible and coinsurance", "deductible or coinsurance",
      "coinsurance deductible", "coinsurance and deductible", "deductible copay", "deductible and copay",
      "deductible or copay", "copay deductible", "copay and deductible", "deductible copay coinsurance",
      "deductible copay coins", "deductible copay and coinsurance", "deductible copay or coinsurance",
      "deductible coinsurance copay", "copay deductible coinsurance", "copay coinsurance deductible",
      "deductible and cost share", "deductible cost share", "your deductible coinsurance",
      "your deductible copay", "your deductible copay coinsurance",
    ],
    not_covered: [
      "not covered", "amount not covered", "non covered", "noncovered", "not covered amount", "excluded",
      "non covered amount", "ineligible", "ineligible amount", "not allowed", "non covered charges",
      "non covered charge", "not covered charges", "charges not covered", "ineligible charges", "not payable",
      "amount not payable", "pending or not payable",
    ],
    patient_responsibility: [
      "what you owe", "you owe", "amount you owe", "your responsibility", "patient responsibility",
      "member responsibility", "you may be billed", "maximum you may be billed", "your share", "your cost",
      "patient owes", "patient balance", "your total cost", "you may owe", "patient resp", "member resp",
      "you pay", "what you pay", "your balance", "member liability", "patient liability", "your liability",
      "member cost share", "patient cost share", "member cost", "patient cost", "patient pays", "member pays",
      "what i owe", "i owe", "amount i owe", "my responsibility", "my share", "my cost", "my total cost",
      "what i pay", "i pay",
    ],
    prior_payer_paid: [
      "other insurance paid", "paid by other insurance", "other insurance", "prior payer paid",
      "other plan paid", "primary payer paid", "primary paid", "primary insurance paid",
      "other coverage paid", "cob", "amount paid by other insurance", "other carrier paid",
      "paid by other carrier", "other payer paid", "paid by primary", "primary carrier paid",
    ],
    service_date: [
      "date of service", "dates of service", "date s of service", "service date", "service dates", "dos",
      "date", "dates", "from date", "service from", "date provided", "visit date", "date of visit",
      "service period",
    ],
    code: [
      "procedure code", "service code", "billing code", "cpt", "cpt code", "cpt hcpcs", "hcpcs", "code",
      "procedure", "proc code", "cdt code", "revenue code",
    ],
    description: [
      "description", "service description", "description of service", "service", "services",
      "service provided", "services provided", "service provided and billing code", "type of service",
      "procedure description", "what was done",
    ],
    remarks: [
      "remark code", "remark codes", "remarks", "remark", "notes", "see notes", "note", "reason code",
      "reason codes", "explanation code", "explanation codes", "codes", "see note", "adjustment reason",
      "adjustment codes", "claim adjustment reason", "carc", "messages",
    ],
    units: ["units", "unit", "qty", "quantity", "days units"],
    modifiers: ["modifier", "modifiers", "mod", "mods"],
    diagnoses: [
      "diagnosis", "diagnosis code", "diagnosis codes", "dx", "icd", "icd 10", "icd code", "icd codes",
      "icd 10 codes",
    ],
    approved: ["service approved", "approved yes no"],
    network: [
      "network", "network status", "provider network", "in network", "benefit level",
      "provider network status", "provider status",
    ],
    claim_number: [
      "claim number", "claim no", "claim", "claim id", "claim nbr", "claim #", "claim#", "claim reference",
      "claim reference number", "claim control number", "reference number",
    ],
    provider: [
      "provider", "provider name", "rendering provider", "billing provider", "doctor", "physician",
      "provider s name", "servicing provider", "treating provider", "provided by", "doctor or facility",
      "provider facility",
    ],
    facility: ["facility", "facility name", "service facility", "hospital", "hospital name"],
    facility_network: ["facility network status", "facility network", "hospital network status"],
    place_of_service: ["place of service", "pos", "place of service code"],
    emergency: ["emergency", "emergency services", "emergency care"],
    processed_date: [
      "processed", "processed date", "date processed", "processed on", "process date", "claim processed",
      "date finalized", "finalized", "decision date", "date paid", "paid on", "paid date", "payment date",
      "check date", "check issue date",
    ],
    received_date: ["received", "received date", "date received", "received on", "claim received"],
    status: ["status", "claim status"],
    payer: ["payer", "insurer", "insurance company", "health plan"],
    plan_name: ["plan", "plan name", "group plan", "group name"],
    claim_type: ["claim type", "type of claim"],
    member: [
      "relationship", "member relationship", "relationship to subscriber", "patient relationship",
      "relationship to member",
    ],
    patient: [
      "patient", "patient name", "member", "member name", "subscriber", "subscriber name", "name", "for",
      "date of birth", "birth date", "dob",
    ],
    member_id: ["member id", "member number", "id number", "subscriber id", "member", "id", "group number"],
    address: ["address", "provider s address", "mailing address"],
    npi: [
      "npi", "provider npi", "npi number", "npi no", "npi #", "provider npi number", "provider npi #",
      "rendering npi", "rendering provider npi", "billing npi", "billing provider npi", "servicing npi",
      "servicing provider npi", "treating provider npi", "doctor npi", "physician npi",
    ],
    facility_npi: ["facility npi", "hospital npi", "facility npi number"],
    referred_by: [
      "referred by", "referring provider", "referring physician", "referring npi", "referring provider npi",
      "ordering provider", "ordering physician", "ordering npi", "ordering provider npi",
    ],
  };

  /** The amount fields, in the order of a Claim's amounts. */
  const AMOUNT_FIELDS = [
    "billed", "discount", "allowed", "plan_paid", "deductible", "copay", "coinsurance",
    "copay_and_coinsurance", "deductible_and_cost_sharing", "not_covered", "patient_responsibility",
    "prior_payer_paid",
  ];

  /** The fields a row of a service-line table has. */
  const LINE_FIELDS = [
    "allowed", "approved", "billed", "code", "coinsurance", "copay", "copay_and_coinsurance", "deductible",
    "deductible_and_cost_sharing", "description", "diagnoses", "discount", "modifiers", "network",
    "not_covered", "npi", "patient_responsibility", "plan_paid", "prior_payer_paid", "remarks",
    "service_date", "units",
  ];

  /** Fields that identify a person: recognised, never read. */
  const PRIVATE_FIELDS = ["address", "member_id", "patient", "referred_by"];

  /** Whole-word network statuses, out of network first: some contain an in-network one ("not in network"). */
  const OUT_OF_NETWORK = [
    "out of network", "oon", "non participating", "nonparticipating", "non par", "nonpar", "non contracted",
    "noncontracted", "not in network", "non network",
  ];

  /** Whole-word network statuses that mean in network. */
  const IN_NETWORK = [
    "in network", "participating", "par", "par provider", "preferred", "contracted", "tier 1", "ppo network",
    "network provider",
  ];

  /** A whole network cell of one of these means out of network. */
  const OUT_OF_NETWORK_CODES = ["out", "oon", "n"];

  /** A whole network cell of one of these means in network. */
  const IN_NETWORK_CODES = ["in", "inn", "y"];

  /** The most words a "Label:" has (scanner/ingest/labels.py). */
  const MAX_LABEL_WORDS = 6;

  for (const phrases of Object.values(SYNONYMS)) Object.freeze(phrases);
  ns.vocabulary = Object.freeze({
    SYNONYMS: Object.freeze(SYNONYMS),
    AMOUNT_FIELDS: Object.freeze(AMOUNT_FIELDS),
    LINE_FIELDS: Object.freeze(LINE_FIELDS),
    PRIVATE_FIELDS: Object.freeze(PRIVATE_FIELDS),
    OUT_OF_NETWORK: Object.freeze(OUT_OF_NETWORK),
    IN_NETWORK: Object.freeze(IN_NETWORK),
    OUT_OF_NETWORK_CODES: Object.freeze(OUT_OF_NETWORK_CODES),
    IN_NETWORK_CODES: Object.freeze(IN_NETWORK_CODES),
    MAX_LABEL_WORDS,
  });
})();
