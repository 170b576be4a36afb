/*
 * Styles for the badges and the panel. They live inside our closed shadow roots, so the portal's
 * CSS cannot reach them and ours cannot leak into the portal.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("ui:styles")) return;
  ns.parts.add("ui:styles");

  const COMMON = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .sev-error { --sev: #b3261e; --sev-bg: #fdecea; }
    .sev-warning { --sev: #8a5300; --sev-bg: #fff4e0; }
    .sev-info { --sev: #0b57d0; --sev-bg: #e8f0fe; }
    h3, h4, p, ul, ol { margin: 0; padding: 0; }
    ul, ol { padding-left: 18px; }
    .finding { border-left: 4px solid var(--sev); background: var(--sev-bg); padding: 8px 10px; margin-top: 8px; border-radius: 4px; }
    .finding h4 { font-size: 13px; color: #1f1f1f; }
    .meta { font-size: 11px; color: #444; margin: 2px 0 4px; }
    .message { font-size: 12.5px; color: #1f1f1f; line-height: 1.4; }
    .evidence { font-size: 11.5px; color: #333; margin-top: 4px; }
    .actions { font-size: 12px; margin-top: 6px; }
    .actions li { margin-top: 4px; }
    .script { display: block; white-space: pre-wrap; background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: 6px; margin-top: 3px; font-size: 12px; }
    .deadline { font-weight: 600; color: #5b2d00; }
    .refs { font-size: 11px; color: #555; margin-top: 4px; }
    .where { font-size: 11.5px; color: #333; }
  `;

  const BADGE = `${COMMON}
    :host { display: inline-block; position: relative; vertical-align: middle; margin-left: 6px; line-height: 1.2; text-align: left; }
    .badge { cursor: pointer; border: 1px solid var(--sev); color: #fff; background: var(--sev); border-radius: 999px; padding: 2px 8px; font-size: 11.5px; font-weight: 600; white-space: nowrap; }
    .badge:focus-visible { outline: 2px solid #000; outline-offset: 1px; }
    .details { position: absolute; z-index: 2147483646; right: 0; top: calc(100% + 4px); width: 380px; max-height: 420px; overflow: auto; background: #fff; color: #1f1f1f; border: 1px solid #bbb; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 10px; white-space: normal; font-weight: normal; }
    .details[hidden] { display: none; }
  `;

  const PANEL = `${COMMON}
    :host { position: fixed; z-index: 2147483647; right: 16px; bottom: 16px; }
    .panel { width: 320px; max-height: 70vh; overflow: auto; background: #fff; color: #1f1f1f; border: 1px solid #bbb; border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.22); padding: 12px 14px; font-size: 13px; }
    .head { display: flex; align-items: center; gap: 8px; }
    .head h3 { font-size: 14px; flex: 1; }
    .head button { border: 0; background: transparent; font-size: 15px; cursor: pointer; color: #444; }
    .total { font-size: 20px; font-weight: 700; margin-top: 6px; }
    .total.clean { font-size: 14px; font-weight: 600; color: #146c2e; }
    .counts { color: #444; font-size: 12px; margin-top: 2px; }
    .parts { color: #222; font-size: 12.5px; margin-top: 2px; }
    .classes { margin-top: 6px; font-size: 12.5px; }
    .owed { margin-top: 6px; font-size: 12.5px; }
    .error { margin-top: 8px; padding: 8px 10px; border-radius: 6px; background: #fdecea; color: #8c1d18; border-left: 4px solid #b3261e; font-size: 12.5px; line-height: 1.4; }
    .warnings { margin-top: 8px; font-size: 11.5px; color: #5b2d00; }
    table { border-collapse: collapse; margin-top: 6px; font-size: 12px; width: 100%; }
    th, td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #eee; }
    .section { margin-top: 10px; font-weight: 600; font-size: 12.5px; }
    .ledger-note { color: #555; font-size: 11.5px; margin-top: 4px; }
    .body[hidden] { display: none; }
  `;

  ns.styles = { BADGE, PANEL };
})();
