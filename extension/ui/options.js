/**
 * The options page: where the service is, the pairing token, and the plan details sent with each
 * scan. Everything goes through the service worker, which validates and stores it; the page never
 * sees the stored token again (only whether one is set).
 */
const $ = (id) => document.getElementById(id);
const send = (message) => chrome.runtime.sendMessage(message);
const { parseMoney, toWire, fromWire, dollars } = globalThis.__eobx.money;

const MONEY_FIELDS = ["deductible_individual", "deductible_family", "oop_max_individual", "oop_max_family", "deductible_met", "oop_met"];
const PERCENT_FIELDS = ["coinsurance_in_network", "coinsurance_out_of_network"];
const COPAYS = ["primary_care", "specialist", "emergency", "urgent_care", "inpatient"];
const LABELS = {
  deductible_individual: "Deductible (individual)",
  deductible_family: "Deductible (family)",
  oop_max_individual: "Out-of-pocket maximum (individual)",
  oop_max_family: "Out-of-pocket maximum (family)",
  deductible_met: "Deductible met",
  oop_met: "Out-of-pocket met",
};

function say(id, text, kind = "") {
  $(id).className = `status ${kind}`;
  $(id).textContent = text;
}

function readAmount(form, name, label) {
  const raw = form.elements[name].value.trim();
  if (!raw) return undefined;
  const read = parseMoney(raw);
  if (read.error || read.cents === null || read.cents < 0) throw new Error(`${label}: enter an amount like $1,500.00.`);
  return toWire(read.cents);
}

/** The plan form -> a wire Plan (only the fields filled in). */
function planFromForm(form) {
  const plan = {};
  for (const name of ["plan_year_start", "plan_year_end"]) if (form.elements[name].value) plan[name] = form.elements[name].value;
  if (form.elements.coverage_tier.value) plan.coverage_tier = form.elements.coverage_tier.value;
  for (const name of MONEY_FIELDS) {
    const value = readAmount(form, name, LABELS[name]);
    if (value !== undefined) plan[name] = value;
  }
  for (const name of PERCENT_FIELDS) {
    const raw = form.elements[name].value.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error("Coinsurance is a whole percent from 0 to 100.");
    plan[name] = n;
  }
  const copays = {};
  for (const kind of COPAYS) {
    const value = readAmount(form, `copay_${kind}`, `Copay (${kind.replace("_", " ")})`);
    if (value !== undefined) copays[kind] = value;
  }
  if (Object.keys(copays).length) plan.copays = copays;
  if (form.elements.other_coverage.value) plan.other_coverage = form.elements.other_coverage.value === "true";
  if (form.elements.this_plan_position.value) plan.this_plan_position = form.elements.this_plan_position.value;
  if (form.elements.grandfathered.checked) plan.grandfathered = true;
  return plan;
}

function fillPlan(form, plan) {
  if (!plan) return;
  for (const [name, value] of Object.entries(plan)) {
    if (name === "copays") {
      for (const [kind, amount] of Object.entries(value)) if (form.elements[`copay_${kind}`]) form.elements[`copay_${kind}`].value = dollars(fromWire(amount));
    } else if (MONEY_FIELDS.includes(name)) form.elements[name].value = dollars(fromWire(value));
    else if (name === "grandfathered") form.elements.grandfathered.checked = value === true;
    else if (form.elements[name]) form.elements[name].value = String(value);
  }
}

function showSettings(settings) {
  $("serviceUrl").value = settings.serviceUrl;
  $("token").value = "";
  $("token-state").textContent = settings.hasToken ? "A token is saved. Paste a new one to replace it." : "No token saved yet.";
}

async function saveService(event) {
  event.preventDefault();
  const update = { serviceUrl: $("serviceUrl").value };
  if ($("token").value.trim()) update.token = $("token").value;
  const reply = await send({ type: "eobx:configure", settings: update });
  if (!reply || !reply.ok) return say("service-status", reply ? reply.error.message : "Could not save.", "error");
  showSettings(reply.settings);
  say("service-status", "Saved.", "ok");
}

async function test() {
  say("service-status", "Testing…");
  const reply = await send({ type: "eobx:test-connection" });
  if (reply && reply.ok) say("service-status", reply.message, "ok");
  else say("service-status", reply ? reply.error.message : "The test could not run.", "error");
}

async function savePlan(event) {
  event.preventDefault();
  let plan;
  try {
    plan = planFromForm($("plan-form"));
  } catch (error) {
    return say("plan-status", error.message, "error");
  }
  const reply = await send({ type: "eobx:configure", settings: { plan: Object.keys(plan).length ? plan : null } });
  if (reply && reply.ok) say("plan-status", "Plan saved. It is sent with each scan.", "ok");
  else say("plan-status", reply ? reply.error.message : "Could not save.", "error");
}

async function clearPlan() {
  $("plan-form").reset();
  const reply = await send({ type: "eobx:configure", settings: { plan: null } });
  if (reply && reply.ok) say("plan-status", "Plan cleared.", "ok");
}

async function main() {
  const reply = await send({ type: "eobx:settings" });
  if (reply && reply.ok) {
    showSettings(reply.settings);
    fillPlan($("plan-form"), reply.settings.plan);
  }
  $("service-form").addEventListener("submit", saveService);
  $("test").addEventListener("click", test);
  $("plan-form").addEventListener("submit", savePlan);
  $("clear-plan").addEventListener("click", clearPlan);
}

main();
