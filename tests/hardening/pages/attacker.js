(() => {
  const claim = '{"claims":[{"id":"csrf","lines":[{"id":"1","billed":"100.00","patient_responsibility":"100.00"}]}]}';

  async function outcome(promise) {
    try {
      const response = await promise;
      let body = null;
      try { body = await response.text(); } catch (error) { body = null; }
      return { type: response.type, status: response.status, body };
    } catch (error) {
      return { blocked: error.name };
    }
  }

  function formPost(url) {
    const form = document.createElement("form");
    form.method = "POST";
    form.action = url;
    form.enctype = "text/plain";
    form.target = "sink";
    const input = document.createElement("input");
    input.name = claim.slice(0, -3) + ',"x":"';
    input.value = '"}]}';
    form.appendChild(input);
    document.body.appendChild(form);
    form.submit();
  }

  window.__attack = async (service) => {
    const scan = service + "/v1/scan";
    formPost(scan);
    const results = {
      textPlainNoCors: await outcome(fetch(scan, { method: "POST", mode: "no-cors", body: claim, headers: { "Content-Type": "text/plain" } })),
      textPlainWithCredentials: await outcome(fetch(scan, { method: "POST", mode: "no-cors", credentials: "include", body: claim, headers: { "Content-Type": "text/plain" } })),
      jsonCors: await outcome(fetch(scan, { method: "POST", body: claim, headers: { "Content-Type": "application/json" } })),
      jsonWithCredentials: await outcome(fetch(scan, { method: "POST", credentials: "include", body: claim, headers: { "Content-Type": "application/json" } })),
      guessedToken: await outcome(fetch(scan, { method: "POST", body: claim, headers: { "Content-Type": "application/json", Authorization: "Bearer guessed" } })),
      checksCors: await outcome(fetch(service + "/v1/checks")),
      checksNoCors: await outcome(fetch(service + "/v1/checks", { mode: "no-cors", credentials: "include" })),
      health: await outcome(fetch(service + "/healthz")),
      openapi: await outcome(fetch(service + "/schema/openapi.json")),
      beacon: navigator.sendBeacon(scan, new Blob([claim], { type: "text/plain" })),
    };
    const script = document.createElement("script");
    script.src = service + "/v1/plugins";
    document.body.appendChild(script);
    const image = new Image();
    image.src = service + "/v1/checks";
    await new Promise((resolve) => setTimeout(resolve, 500));
    return results;
  };

  window.__rebound = async () => {
    const same = (path, init) => outcome(fetch(path, init));
    return {
      health: await same("/healthz"),
      checks: await same("/v1/checks"),
      scan: await same("/v1/scan", { method: "POST", body: claim, headers: { "Content-Type": "application/json" } }),
      page: await same("/"),
      docs: await same("/docs"),
    };
  };
})();
