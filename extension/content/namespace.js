/*
 * EOB Scanner content side: what runs where.
 *
 *   portal page (main world)          : never sees our code, data or findings
 *   ─────────────────────────────────────────────────────────────────────────
 *   content scripts (isolated world)  : globalThis.__eobx, built from these files in order
 *     text, money, vocabulary, columns: reading printed values (labels, dates, codes, amounts);
 *                                       vocabulary.js is generated from the service's words
 *     titles, grids, labels           : finding EOB grids (tables, ARIA grids, div rows; their
 *                                       titles over several header rows) and label/value pairs
 *                                       (claim number, provider, dates, ...)
 *     lines, claims                   : turning rows into ServiceLines and claims; opaque claim
 *                                       ids go out, real claim numbers stay here
 *     standing                        : the plan's deductible and out-of-pocket standing printed
 *                                       beside the claims, sent on the last claim
 *     adapters/*                      : one per portal layout, plus the generic fallback
 *     ui/*, annotate                  : badges and the summary panel, in closed shadow roots,
 *                                       text nodes only
 *     observer, scan                  : one MutationObserver; the scan cycle
 *   ─────────────────────────────────────────────────────────────────────────
 *   service worker (background.js)    : the only code that talks to the local service; keeps the
 *                                       settings and token; validates every message's sender
 *
 * Files are plain scripts (content scripts cannot be modules) that add to one namespace. Loading
 * them twice is harmless: each file returns early when its part is already there.
 */
(() => {
  if (globalThis.__eobx) return;
  Object.defineProperty(globalThis, "__eobx", {
    value: { parts: new Set(), adapters: [], state: {} },
    configurable: false,
    enumerable: false,
    writable: false,
  });
})();
