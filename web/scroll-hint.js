// Wide tables scroll inside their box on a narrow screen; without a word, the columns past the edge look
// absent. Each box watched here gets a caption, shown (by CSS, .scroll.overflowing) only while the box is
// narrower than what it holds.

const HINT = 'scroll sideways for more →';

function update(box) {
  box.classList.toggle('overflowing', box.scrollWidth > box.clientWidth + 1);
}

// A box overflows when it narrows (the screen) or what it holds widens (new figures): both are watched.
const boxOf = new WeakMap();
const observer = typeof ResizeObserver === 'function' ?
  new ResizeObserver((entries) => {
    for (const e of entries) if (boxOf.has(e.target)) update(boxOf.get(e.target));
  }) : null;

// Adds the caption to `box` (an element that scrolls sideways), once, and keeps its overflowing class up to
// date. Call it again when the box gets new content.
export function watchOverflow(box) {
  if (!box.querySelector(':scope > .scroll-hint')) {
    const hint = document.createElement('p');
    hint.className = 'scroll-hint';
    hint.dataset.testid = 'scroll-hint';
    hint.textContent = HINT;
    box.prepend(hint);
  }
  for (const part of [box, ...box.children]) {
    boxOf.set(part, box);
    observer?.observe(part);
  }
  update(box);
}
