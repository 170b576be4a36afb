/*
 * Amounts as printed on a portal, read into integer cents and written in the wire form "1234.56".
 *
 * Accepted: "$1,234.56", "1234.5", "-$12.00", "$-12.00", "−$12.00" (Unicode minus), "($12.00)",
 * "$0", "$ 12", "12.00 USD", accounting format ("$ (12.00)", "$ -" for zero), and any of them
 * followed by a footnote marker ("$28.00*"). Absent: "", "—", "-", "--", "N/A", "None", "Not applicable".
 * Anything else (a comma decimal "1.234,56", stray digits "$1,23,4", three decimals, other
 * scripts' digits) is unreadable: never guessed, because a guessed amount is a wrong finding.
 * This file is also loaded by the options page for the plan amounts.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("money")) return;
  ns.parts.add("money");

  const ABSENT = /^(?:|[-–—‒―]+|n\/?a|none|not applicable|not available)$/i;
  const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$/;
  const MAX_CENTS = 100_000_000_00;
  const ACCOUNTING_ZERO = /^\$\s*[-–—]+$/;
  /** A footnote marker printed right after an amount: "$28.00*", "$28.00†", "$28.00[1]". */
  const FOOTNOTE = /(?<=\d)(?:[*†‡§]+|\[\d{1,2}\])$/;

  /**
   * Read one printed amount.
   * Returns {cents: number} for an amount, {cents: null} when the cell says "no amount", and
   * {error: "reason"} when the text is not an amount (the reason never repeats the text).
   */
  function parseMoney(text) {
    let raw = String(text ?? "")
      .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
      .replace(/[\s\u00a0]+/g, " ")
      .trim()
      .replace(/^USD\s*|\s*USD$/i, "")
      .replace(FOOTNOTE, "");
    if (ABSENT.test(raw)) return { cents: null };
    // Accounting format: "$" apart from its number, "$ (12.00)" for a credit, "$ -" for zero.
    if (ACCOUNTING_ZERO.test(raw)) return { cents: 0 };
    raw = raw.replace(/^\$\s*(?=\()/, "");
    let negative = false;
    const parens = raw.match(/^\((.*)\)$/);
    if (parens) {
      negative = true;
      raw = parens[1].trim();
    }
    const signed = raw.match(/^([-\u2212])\s*\$?\s*(.*)$/) || raw.match(/^\$\s*([-\u2212])\s*(.*)$/);
    if (signed) {
      if (negative) return { error: "an amount cannot be both negative and in parentheses" };
      negative = true;
      raw = signed[2];
    } else {
      raw = raw.replace(/^\$\s*/, "");
    }
    const m = raw.match(AMOUNT);
    if (!m || (m[1] === undefined && m[2] === undefined)) return { error: "not an amount" };
    const whole = Number((m[1] || "0").replace(/,/g, ""));
    const cents = whole * 100 + Number((m[2] || "").padEnd(2, "0") || "0");
    if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { error: "amount out of range" };
    return { cents: negative ? -cents : cents };
  }

  /** Cents -> "1234.56" / "-12.00" (the wire form). */
  function toWire(cents) {
    const sign = cents < 0 ? "-" : "";
    const abs = Math.abs(cents);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  }

  /** "1234.56" (wire) -> cents, or null. */
  function fromWire(value) {
    if (value === null || value === undefined) return null;
    const read = parseMoney(String(value));
    return read.error ? null : read.cents;
  }

  /** Cents -> "$1,234.56" / "-$12.00" for people. */
  function dollars(cents) {
    const sign = cents < 0 ? "-" : "";
    const abs = Math.abs(cents);
    const whole = Math.floor(abs / 100).toLocaleString("en-US");
    return `${sign}$${whole}.${String(abs % 100).padStart(2, "0")}`;
  }

  ns.money = { parseMoney, toWire, fromWire, dollars };
})();
