// The page's element lookup and element maker, shared by the parts of the page (every id is in index.html).
export const $ = (id) => document.getElementById(id);

// An element with an optional class, data-testid and text.
export function node(tag, {className, testid, text} = {}) {
  const n = document.createElement(tag);
  if (className) n.className = className;
  if (testid) n.dataset.testid = testid;
  if (text !== undefined) n.textContent = text;
  return n;
}
