/*
 * The one DOM observer. Single-page portals draw a claim after the page has loaded, and swap it
 * for another without a page load; everything that needs to know listens here. Changes inside our
 * own annotations are ignored, listeners run after the page has been quiet for a moment (never
 * inside the observer callback), and one listener's error does not stop the others.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("observer")) return;
  ns.parts.add("observer");

  const listeners = new Set();
  const QUIET_MS = 250;
  let observer = null;
  let timer = null;

  function ours(node) {
    return node.nodeType === Node.ELEMENT_NODE ? ns.grids.isOurs(node) : Boolean(node.parentElement && ns.grids.isOurs(node.parentElement));
  }

  function relevant(records) {
    return records.some((r) => {
      if (ours(r.target)) return false;
      if (r.type === "characterData") return true;
      const nodes = [...r.addedNodes, ...r.removedNodes];
      return nodes.some((n) => !ours(n) && !(n.nodeType === Node.ELEMENT_NODE && n.hasAttribute("data-eobx")));
    });
  }

  function fire() {
    timer = null;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still run.
      }
    }
  }

  function start() {
    if (observer) return;
    observer = new MutationObserver((records) => {
      if (!relevant(records)) return;
      clearTimeout(timer);
      timer = setTimeout(fire, QUIET_MS);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }

  function stop() {
    if (observer) observer.disconnect();
    observer = null;
    clearTimeout(timer);
  }

  /** Call `listener` after each burst of page changes; returns a function that unsubscribes. */
  function onChange(listener) {
    listeners.add(listener);
    start();
    return () => {
      listeners.delete(listener);
      if (!listeners.size) stop();
    };
  }

  /** Resolve true as soon as `test()` holds (checked now and after each change), false on timeout. */
  function waitFor(test, timeoutMs) {
    if (test()) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const off = onChange(() => {
        if (!test()) return;
        clearTimeout(deadline);
        off();
        resolve(true);
      });
      const deadline = setTimeout(() => {
        off();
        resolve(test());
      }, timeoutMs);
    });
  }

  ns.observer = { onChange, waitFor };
})();
