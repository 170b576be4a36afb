/**
 * The client of the local EOB Scanner service. Every failure becomes {kind, message} with a
 * message a person can act on; none of them carries claim data or the service's raw output.
 *
 * Time limits: the browser stops an extension's service worker whose fetch waits more than 30 s,
 * so a scan gives up at 25 s and a connection test at 5 s.
 */
const SCAN_TIMEOUT_MS = 25_000;
const TEST_TIMEOUT_MS = 5_000;

export const MESSAGES = {
  down: (url) => `No EOB Scanner service answered at ${url}. Start it with "eobscan serve" (or "make run"), then scan again.`,
  unpaired: () => 'The extension is not paired with the EOB Scanner service yet. Open the extension\'s options, paste the token the service printed when it started, and press "Test connection".',
  auth: () => 'The EOB Scanner service refused the pairing token. Open the extension\'s options, paste the token the service printed when it started, and press "Test connection".',
  timeout: (url, seconds) => `The EOB Scanner service at ${url} took longer than ${seconds} seconds to answer. Check that it is running, then try again.`,
  tooLarge: () => "This page holds more claim lines than the EOB Scanner service accepts in one scan.",
  rejected: (status, title) => `The EOB Scanner service could not scan this page (HTTP ${status}${title ? `: ${title}` : ""}).`,
  failed: (status) => `The EOB Scanner service failed while scanning (HTTP ${status}). Its log says more; scan again later.`,
  garbled: (url) => `Something answered at ${url}, but not like the EOB Scanner service. Check the service URL in the extension's options.`,
};

function problemTitle(body) {
  if (!body || typeof body !== "object") return "";
  const text = [body.title, body.detail].filter((t) => typeof t === "string").join(": ");
  return text.replace(/[^\x20-\x7e]/g, "").slice(0, 200);
}

async function call(url, init, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, credentials: "omit", cache: "no-store", redirect: "error" });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    return { response, body };
  } catch (error) {
    return { failure: controller.signal.aborted ? "timeout" : "down" };
  } finally {
    clearTimeout(timer);
  }
}

function failure(kind, message) {
  return { ok: false, error: { kind, message } };
}

function looksLikeResult(body) {
  return body && typeof body === "object" && Array.isArray(body.findings) && body.summary && typeof body.summary === "object";
}

/** POST /v1/scan. Returns {ok: true, result} or {ok: false, error: {kind, message}}. */
export async function postScan({ serviceUrl, token }, request) {
  if (!token) return failure("unpaired", MESSAGES.unpaired());
  const { response, body, failure: lost } = await call(
    `${serviceUrl}/v1/scan`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    },
    SCAN_TIMEOUT_MS,
  );
  if (lost === "timeout") return failure("timeout", MESSAGES.timeout(serviceUrl, SCAN_TIMEOUT_MS / 1000));
  if (lost) return failure("down", MESSAGES.down(serviceUrl));
  if (response.status === 401 || response.status === 403) return failure("auth", MESSAGES.auth());
  if (response.status === 413) return failure("too_large", MESSAGES.tooLarge());
  if (response.status >= 500) return failure("service", MESSAGES.failed(response.status));
  if (!response.ok) return failure("rejected", MESSAGES.rejected(response.status, problemTitle(body)));
  if (!looksLikeResult(body)) return failure("garbled", MESSAGES.garbled(serviceUrl));
  return { ok: true, result: body };
}

/** The options page's "Test connection": is a service there, and does it take our token? */
export async function testConnection({ serviceUrl, token }) {
  const health = await call(`${serviceUrl}/healthz`, { method: "GET" }, TEST_TIMEOUT_MS);
  if (health.failure === "timeout") return failure("timeout", MESSAGES.timeout(serviceUrl, TEST_TIMEOUT_MS / 1000));
  if (health.failure) return failure("down", MESSAGES.down(serviceUrl));
  if (!health.response.ok || !health.body || health.body.status !== "ok") return failure("garbled", MESSAGES.garbled(serviceUrl));
  if (!token) return failure("unpaired", MESSAGES.unpaired());
  const checks = await call(`${serviceUrl}/v1/checks`, { method: "GET", headers: { Authorization: `Bearer ${token}` } }, TEST_TIMEOUT_MS);
  if (checks.failure) return failure(checks.failure, MESSAGES[checks.failure](serviceUrl, TEST_TIMEOUT_MS / 1000));
  if (checks.response.status === 401 || checks.response.status === 403) return failure("auth", MESSAGES.auth());
  if (!checks.response.ok || !Array.isArray(checks.body)) return failure("garbled", MESSAGES.garbled(serviceUrl));
  const n = checks.body.length;
  return { ok: true, rules: n, message: `Connected to the EOB Scanner service at ${serviceUrl}: ${n} rule${n === 1 ? "" : "s"} ready.` };
}
