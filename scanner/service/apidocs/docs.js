// Renders /schema/openapi.json as plain text nodes: no external script, no innerHTML.
"use strict";

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderOperation(path, method, op) {
  const section = el("section");
  const heading = el("h2");
  heading.append(el("span", method.toUpperCase(), "method"), document.createTextNode(" " + path));
  section.append(heading, el("p", op.summary || ""));
  const details = el("details");
  details.append(el("summary", "Request and responses"), el("pre", JSON.stringify(
    { requestBody: op.requestBody, parameters: op.parameters, responses: op.responses }, null, 2)));
  section.append(details);
  return section;
}

async function main() {
  const target = document.getElementById("routes");
  const schema = await (await fetch("/schema/openapi.json")).json();
  target.replaceChildren();
  for (const [path, methods] of Object.entries(schema.paths)) {
    for (const [method, op] of Object.entries(methods)) target.append(renderOperation(path, method, op));
  }
  const models = el("details");
  models.append(el("summary", "Models"), el("pre", JSON.stringify(schema.components.schemas, null, 2)));
  target.append(models);
}

main().catch(() => {
  document.getElementById("routes").textContent = "The schema could not be loaded.";
});
