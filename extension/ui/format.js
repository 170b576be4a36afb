/** Shared wording for the popup: the report summary as plain strings (rendered as text only). */
export const CLASS_NAMES = {
  insurer_processing: "Insurer processing",
  coordination_of_benefits: "Coordination of benefits",
  network: "Network and surprise bills",
  oop_max: "Deductible and out-of-pocket maximum",
  balance_billing: "Bill vs. EOB",
  denial: "Denials",
  pricing: "Prices",
  duplicate: "Duplicates",
};

/** "1234.50" -> "$1,234.50". */
export function dollars(wire) {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(wire || "");
  if (!m) return "$0.00";
  return `${m[1]}$${Number(m[2]).toLocaleString("en-US")}.${m[3]}`;
}

// The total in parts that add up to it (summary.total_by_severity), as the page's panel says it.
const STAKE_PARTS = [["error", "likely not owed"], ["warning", "worth checking"], ["info", "savings to ask for"]];

export function stakeParts(summary) {
  const split = (summary && summary.total_by_severity) || {};
  const parts = STAKE_PARTS.filter(([k]) => split[k] && split[k] !== "0.00");
  if (!parts.length) return "";
  if (parts.length === 1) return `All of it ${parts[0][1]}.`;
  return parts.map(([k, words]) => `${dollars(split[k])} ${words}`).join(" · ");
}

export function summaryLines(report) {
  if (!report) return null;
  if (report.errors && report.errors.length) return { error: report.errors[0] };
  const n = report.findings.length;
  const total = report.summary ? report.summary.amount_at_stake : "0.00";
  const lines = `${report.lines} line${report.lines === 1 ? "" : "s"} on ${report.claims} claim${report.claims === 1 ? "" : "s"}`;
  return {
    total: n ? `${dollars(total)} at stake` : "Nothing looks wrong.",
    clean: n === 0,
    parts: n ? stakeParts(report.summary) : "",
    counts: n ? `${n} finding${n === 1 ? "" : "s"} in ${lines}` : `Read ${lines}.`,
    classes: Object.entries((report.summary && report.summary.by_class) || {})
      .filter(([, v]) => v && v !== "0.00")
      .map(([k, v]) => `${CLASS_NAMES[k] || k}: ${dollars(v)}`),
  };
}
