/**
 * The shapes the service worker accepts from the rest of the extension: the scan request a
 * content script sends (claims only, the fields the checks need) and the plan the options page
 * saves. Content scripts run inside the portal's renderer, so their messages are checked here as
 * untrusted input: unknown fields, wrong types, values that are not codes or amounts, and sizes
 * past the limits are refused. Errors name the field, never its value.
 */

export class SchemaError extends Error {
  constructor(path, reason) {
    super(`${path || "message"}: ${reason}`);
    this.name = "SchemaError";
    this.path = path;
  }
}

const MONEY = /^-?\d{1,9}\.\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const str = (pattern) => ({ kind: "string", pattern });
const oneOf = (...values) => ({ kind: "enum", values });
const int = (min, max) => ({ kind: "int", min, max });
const bool = { kind: "bool" };
const list = (item, max) => ({ kind: "list", item, max });
const obj = (fields, required = []) => ({ kind: "object", fields, required });
const dict = (keys, value) => ({ kind: "dict", keys, value });

const money = str(MONEY);
const date = str(DATE);
const network = oneOf("in", "out", "unknown");

// The same names, in the same order, as the service's AMOUNT_FIELDS (a test holds them equal).
const AMOUNT_FIELDS = [
  "billed", "discount", "allowed", "plan_paid", "deductible", "copay", "coinsurance",
  "copay_and_coinsurance", "deductible_and_cost_sharing", "not_covered", "patient_responsibility", "prior_payer_paid",
];
const amounts = Object.fromEntries(AMOUNT_FIELDS.map((f) => [f, money]));

const ADJUSTMENT = obj({ group: oneOf("CO", "PR", "OA", "PI", "CR"), reason: str(/^(?:[A-Z]?\d{1,3}|[A-Z]\d)$/), amount: money }, ["group", "reason"]);

const LINE = obj(
  {
    id: str(/^\d{1,4}$/),
    service_date: date,
    code: str(/^(?:D\d{4}|\d{4}[0-9FTU]|[A-V]\d{4}|\d{11}|\d{4,5}-\d{3,4}-\d{1,2}|0\d{3})$/),
    code_system: oneOf("CPT", "HCPCS", "REV", "CDT", "NDC"),
    modifiers: list(str(/^[A-Z0-9]{2}$/), 4),
    diagnoses: list(str(/^[A-TV-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/), 12),
    units: int(0, 9999),
    adjustments: list(ADJUSTMENT, 12),
    remarks: list(str(/^(?:MA|M|N)\d{1,3}$/), 12),
    network,
    denied: bool,
    ...amounts,
  },
  ["id"],
);

const PARTY = obj({ network, role: oneOf("facility", "primary_care", "specialist", "emergency", "anesthesiology", "radiology", "pathology", "laboratory", "neonatology", "assistant_surgeon", "hospitalist", "intensivist", "ambulance", "air_ambulance", "other") });

// The plan's standing printed beside the claims (the service's PrintedAccumulators).
const ACCUMULATORS = obj({
  as_of: date,
  ...Object.fromEntries(
    ["deductible", "deductible_met", "oop_max", "oop_met", "family_deductible", "family_deductible_met", "family_oop_max", "family_oop_met"].map((f) => [f, money]),
  ),
});

const CLAIM = obj(
  {
    id: str(/^c-[0-9a-f]{10}$/),
    source: oneOf("portal"),
    claim_type: oneOf("professional", "institutional", "pharmacy", "dental", "vision"),
    member: str(/^(?:self|spouse|child(?:-\d{1,2})?|member-\d{1,2})$/),
    payer: str(/^[A-Za-z0-9 .&'-]{1,80}$/),
    provider: PARTY,
    facility: PARTY,
    service_start: date,
    service_end: date,
    received_date: date,
    processed_date: date,
    emergency: bool,
    place_of_service: str(/^\d{2}$/),
    status: oneOf("paid", "denied", "partial", "pending", "adjusted"),
    coverage_position: oneOf("primary", "secondary", "tertiary"),
    lines: list(LINE, 2000),
    totals: obj(amounts),
    accumulators: ACCUMULATORS,
  },
  ["id", "lines"],
);

export const SCAN_REQUEST = obj({ claims: list(CLAIM, 200) }, ["claims"]);

export const PLAN = obj({
  plan_year_start: date,
  plan_year_end: date,
  coverage_tier: oneOf("individual", "family"),
  deductible_individual: money,
  deductible_family: money,
  oop_max_individual: money,
  oop_max_family: money,
  deductible_met: money,
  oop_met: money,
  coinsurance_in_network: int(0, 100),
  coinsurance_out_of_network: int(0, 100),
  copays: dict(["primary_care", "specialist", "emergency", "urgent_care", "inpatient"], money),
  other_coverage: bool,
  this_plan_position: oneOf("primary", "secondary"),
  grandfathered: bool,
});

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Throw SchemaError unless `value` matches `shape`. */
export function validate(value, shape, path = "") {
  switch (shape.kind) {
    case "string":
      if (typeof value !== "string" || value.length > 200 || !shape.pattern.test(value)) throw new SchemaError(path, "not in the expected form");
      return;
    case "enum":
      if (!shape.values.includes(value)) throw new SchemaError(path, "not one of the accepted values");
      return;
    case "int":
      if (!Number.isInteger(value) || value < shape.min || value > shape.max) throw new SchemaError(path, `must be a whole number from ${shape.min} to ${shape.max}`);
      return;
    case "bool":
      if (typeof value !== "boolean") throw new SchemaError(path, "must be true or false");
      return;
    case "list":
      if (!Array.isArray(value)) throw new SchemaError(path, "must be a list");
      if (value.length > shape.max) throw new SchemaError(path, `holds more than ${shape.max} items`);
      value.forEach((item, i) => validate(item, shape.item, `${path}[${i}]`));
      return;
    case "dict":
      if (!isPlainObject(value)) throw new SchemaError(path, "must be an object");
      for (const [key, item] of Object.entries(value)) {
        if (!shape.keys.includes(key)) throw new SchemaError(`${path}.${key}`, "is not an accepted field");
        validate(item, shape.value, `${path}.${key}`);
      }
      return;
    case "object":
      if (!isPlainObject(value)) throw new SchemaError(path, "must be an object");
      for (const key of Object.keys(value)) {
        if (!(key in shape.fields)) throw new SchemaError(path ? `${path}.${key}` : key, "is not an accepted field");
        validate(value[key], shape.fields[key], path ? `${path}.${key}` : key);
      }
      for (const key of shape.required) {
        if (!(key in value)) throw new SchemaError(path ? `${path}.${key}` : key, "is missing");
      }
      return;
    default:
      throw new SchemaError(path, "has no known shape");
  }
}
