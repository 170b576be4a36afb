/*
 * Building annotation DOM safely: elements from a fixed tag and attribute allowlist, text only as
 * text nodes. Nothing here ever parses HTML, so a finding message or a claim number that holds
 * "<img onerror=…>" is shown as those characters.
 */
(() => {
  const ns = globalThis.__eobx;
  if (ns.parts.has("ui:render")) return;
  ns.parts.add("ui:render");

  const TAGS = new Set([
    "div", "span", "p", "h3", "h4", "ul", "ol", "li", "button", "strong", "em", "a", "table",
    "thead", "tbody", "tr", "th", "td", "section", "code",
  ]);
  const ATTRS = new Set(["class", "role", "type", "title", "hidden", "href", "target", "rel", "tabindex", "aria-expanded", "aria-label", "aria-live", "aria-controls"]);
  const MAX_TEXT = 1500;

  function safeHref(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  /** h("p", {class: "x"}, "text", child, ...): never HTML. */
  function h(tag, attrs = {}, ...children) {
    if (!TAGS.has(tag)) throw new Error(`tag not allowed: ${tag}`);
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (!ATTRS.has(name)) throw new Error(`attribute not allowed: ${name}`);
      if (name === "href") {
        const href = safeHref(value);
        if (!href) continue;
        el.setAttribute("href", href);
        el.setAttribute("rel", "noreferrer noopener");
        el.setAttribute("target", "_blank");
        continue;
      }
      el.setAttribute(name, value === true ? "" : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      if (child instanceof Node) el.append(child);
      else el.append(document.createTextNode(ns.text.visible(child, MAX_TEXT)));
    }
  }

  /** A host element with a closed shadow root styled with `css`; returns {host, root}. */
  function shadowHost(tag, kind, css) {
    const host = document.createElement(tag);
    host.setAttribute("data-eobx", kind);
    const root = host.attachShadow({ mode: "closed" });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement("style");
      style.textContent = css;
      root.append(style);
    }
    return { host, root };
  }

  /** Remove everything we drew in a shadow root except its <style>. */
  function clear(root) {
    for (const child of Array.from(root.childNodes)) if (child.nodeName !== "STYLE") child.remove();
  }

  ns.render = { h, shadowHost, clear, safeHref };
})();
