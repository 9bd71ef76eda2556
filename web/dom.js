// The page's element lookup, shared by the parts of the page (every id is in index.html).
export const $ = (id) => document.getElementById(id);
