/*
 * The adapter registry. An adapter recognises one portal layout and extracts its claims:
 *
 *   {id, name, payer, hosts: [RegExp], detect(doc) -> bool, ready(doc) -> bool,
 *    extract(doc) -> {claims: [buildClaim result], warnings: [string]}}
 *
 * Portal adapters come first and claim their pages by host name or by their page's markup; the
 * generic adapter reads any page with an EOB-looking grid and is always last.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("adapters")) return;
  ns.parts.add("adapters");

  const list = [];

  function register(adapter) {
    if (!list.some((a) => a.id === adapter.id)) list.push(adapter);
  }

  function claims(doc) {
    const host = doc.location ? doc.location.hostname : "";
    return (adapter) => (adapter.hosts || []).some((re) => re.test(host)) || adapter.detect(doc);
  }

  /** The adapter for this page: the first portal adapter that claims it, else the generic one. */
  function pick(doc = document) {
    const ordered = [...list.filter((a) => a.id !== "generic"), ...list.filter((a) => a.id === "generic")];
    return ordered.find(claims(doc)) || null;
  }

  ns.adapters = { list, register, pick };
})();
