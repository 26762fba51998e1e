// A small tagged-template DOM builder: html`<p class=${c}>${node}</p>` and svg`…`.
// The installed htl publishes only an "import" export, which Framework's build cannot resolve
// (it resolves node_modules with require), so pages build their DOM with this instead.
// Interpolated values are never parsed as markup: text becomes text nodes, nodes are inserted.

const MARK = "sv-9f2c";

/** Whether position `s.length` of the markup so far lies inside a tag (attribute context). */
function inTag(s) {
  let inside = false;
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (inside && (c === '"' || c === "'")) quote = c;
    else if (c === "<") inside = /[a-zA-Z/!]/.test(s[i + 1] ?? "");
    else if (c === ">") inside = false;
  }
  return {inside, quoted: quote !== null};
}

function toNodes(value) {
  if (value === null || value === undefined || value === false) return [];
  if (Array.isArray(value)) return value.flatMap(toNodes);
  if (value instanceof Node) return [value];
  return [document.createTextNode(String(value))];
}

function build(namespace) {
  return function (strings, ...values) {
    let markup = "";
    for (let i = 0; i < strings.length; i++) {
      markup += strings[i];
      if (i === values.length) break;
      const {inside, quoted} = inTag(markup);
      if (!inside) markup += `<!--${MARK}:${i}-->`;
      else if (quoted || !/=\s*$/.test(markup)) markup += `${MARK}:${i}:`;
      else markup += `"${MARK}:${i}:"`;
    }
    const template = document.createElement("template");
    template.innerHTML = namespace === "svg" ? `<svg>${markup}</svg>` : markup;
    let root = template.content;
    if (namespace === "svg") root = root.firstChild;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT);
    const comments = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.COMMENT_NODE) {
        if (node.data.startsWith(`${MARK}:`)) comments.push(node);
        continue;
      }
      for (const attr of [...node.attributes]) {
        const exact = new RegExp(`^${MARK}:(\\d+):$`).exec(attr.value);
        if (exact) {
          const v = values[Number(exact[1])];
          if (v === null || v === undefined || v === false) node.removeAttribute(attr.name);
          else node.setAttribute(attr.name, v === true ? "" : String(v));
        } else if (attr.value.includes(MARK)) {
          node.setAttribute(attr.name, attr.value.replace(new RegExp(`${MARK}:(\\d+):`, "g"), (_, i) => String(values[Number(i)] ?? "")));
        }
      }
    }
    for (const c of comments) c.replaceWith(...toNodes(values[Number(c.data.slice(MARK.length + 1))]));
    // Whitespace with a line break is template indentation; a plain space is content.
    const children = [...root.childNodes].filter((n) => !(n.nodeType === Node.TEXT_NODE && !n.textContent.trim() && n.textContent.includes("\n")));
    if (children.length === 1) return children[0];
    const fragment = document.createDocumentFragment();
    fragment.append(...root.childNodes);
    return fragment;
  };
}

export const html = build("html");
export const svg = build("svg");
