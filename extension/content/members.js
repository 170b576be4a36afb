/*
 * Whom each claim of a page is for, without keeping who they are: the rules of the service's
 * document readers (scanner/ingest/members.py), so a family's portal page reads as its EOB does.
 *
 * Two children's flu shots on one day are no duplicate, and their deductibles are two tallies, so
 * the claims of two patients must not both be the subscriber's. A claim's printed patient name is
 * turned into a comparison key (its lower-cased words) that lives only in `pending`, from the
 * moment the claim is built until the page's claims are given their members, all within one
 * extraction. The key is never sent, stored, logged or shown; only the member (`self`, `spouse`,
 * `child-1`..., `member-2`) goes out, as the wire contract asks.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("members")) return;
  ns.parts.add("members");

  // The words of scanner/ingest/members.py `_RELATIONSHIPS` (a test keeps the two in step).
  const RELATIONSHIPS = [
    ["self", ["self", "subscriber", "member", "you", "employee", "policyholder", "policy holder", "insured"]],
    ["spouse", ["spouse", "husband", "wife", "domestic partner", "partner"]],
    ["child", ["child", "son", "daughter", "dependent", "dependant", "dependent child", "student"]],
  ];
  const RELATIONSHIP_OF = new Map(RELATIONSHIPS.flatMap(([value, phrases]) => phrases.map((p) => [p, value])));

  // A relationship printed after the name: "Jordan Sample (Self)", "Avery Example - Dependent".
  const TRAILING_RELATIONSHIP = /[\s(\-–,]+([A-Za-z][A-Za-z ]{1,24}?)\)?\s*$/;

  /** Lower-case words, as the document readers' `normalise`: "Dependent-Child" -> "dependent child". */
  function normalise(text) {
    const t = String(text ?? "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/’/g, "'")
      .replace(/['?]/g, " ");
    return t.replace(/[^a-z0-9#?]+/g, " ").trim().split(/\s+/).filter(Boolean).join(" ");
  }

  /** "Dependent" -> "child", "Self" -> "self"; a name or anything else -> null (never sent). */
  function relationship(text) {
    return RELATIONSHIP_OF.get(normalise(text)) || null;
  }

  /** The name and the relationship printed after it: "Jordan Sample (Self)" -> {name: "Jordan Sample", relationship: "self"}. */
  function splitRelationship(printed) {
    const found = TRAILING_RELATIONSHIP.exec(printed);
    const named = found ? relationship(found[1]) : null;
    return named ? { name: printed.slice(0, found.index), relationship: named } : { name: printed, relationship: null };
  }

  /** What tells two printed names apart ("JORDAN  Q. SAMPLE" is "Jordan Sample"), or null for no name. */
  function patientKey(name) {
    const words = normalise(name)
      .split(" ")
      .filter((word) => word.length > 1);
    return words.length ? words.join(" ") : null;
  }

  /**
   * Each claim's member, in order, from [{key, relationship}] (as members.py `members`). One
   * patient (or none printed) is `self`. A printed relationship names the member (children
   * numbered in the order their names first appear); a patient whose relationship another claim
   * printed keeps it; any other patient is `member-N` by the order of the names.
   */
  function members(patients) {
    const keys = [...new Set(patients.map((p) => p.key).filter((k) => k != null))];
    if (keys.length <= 1 && !patients.some((p) => p.relationship)) return patients.map(() => "self");
    const known = new Map();
    for (const p of patients) if (p.key && p.relationship) known.set(p.key, p.relationship);
    const named = (p) => p.relationship || (p.key != null && known.get(p.key)) || null;
    const children = [...new Set(patients.filter((p) => named(p) === "child").map((p) => p.key ?? null))];
    return patients.map((p) => {
      const member = named(p);
      if (member === "child") return `child-${children.indexOf(p.key ?? null) + 1}`;
      if (member) return member;
      if (p.key == null || keys.length <= 1) return "self";
      return `member-${keys.indexOf(p.key) + 1}`;
    });
  }

  // Claim (a buildClaim result) -> its patient, until `assign` gives the page's claims their members.
  const pending = new WeakMap();

  /**
   * Remember whom `claim` is for, from its printed header: the patient's name (`patient_name`,
   * read only for this) and a relationship, its own label's or printed after the name.
   */
  function remember(claim, printed) {
    const { name, relationship: afterName } = splitRelationship(printed.patient_name || "");
    const printedRelationship = printed.member ? relationship(printed.member) : null;
    pending.set(claim, { key: patientKey(name), relationship: printedRelationship || afterName });
  }

  /**
   * Give each of a page's claims its member, all together (the numbering depends on every claim),
   * and forget their patients. `self`, the service's default, is not sent.
   */
  function assign(claims) {
    const patients = claims.map((claim) => pending.get(claim) || { key: null, relationship: null });
    members(patients).forEach((member, i) => {
      if (member === "self") delete claims[i].wire.member;
      else claims[i].wire.member = member;
    });
    for (const claim of claims) pending.delete(claim);
  }

  ns.members = { RELATIONSHIPS, normalise, relationship, splitRelationship, patientKey, members, remember, assign };
})();
