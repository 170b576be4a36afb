/*
 * What a hostile page can do to reach the extension: post window messages shaped like the
 * extension's own, and call chrome.runtime if it is exposed. window.__forged counts the attempts
 * and records what each one returned.
 */
(() => {
  const shapes = [
    { type: "eobx:scan-tab", tabId: 1 },
    { type: "eobx:configure", settings: { serviceUrl: "http://127.0.0.1:9", token: "stolen" } },
    { type: "eobx:scan", claims: [{ id: "forged", lines: [{ id: "1", billed: "1.00" }] }] },
    { source: "eobx", type: "scan" },
    "eobx:scan-tab",
  ];
  window.__forged = { sent: 0, results: [] };
  window.__forge = () => {
    for (const shape of shapes) {
      window.postMessage(shape, "*");
      window.__forged.sent += 1;
      try {
        const runtime = window.chrome && window.chrome.runtime;
        window.__forged.results.push(runtime && runtime.sendMessage ? "runtime exposed" : "no runtime");
      } catch (error) {
        window.__forged.results.push("threw " + error.name);
      }
    }
    return window.__forged;
  };
})();
