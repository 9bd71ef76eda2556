// "Launch configuration": the plan shown in the details, as a launcher takes it (Megatron-LM arguments,
// FlagScale's heterogeneous arguments, or a DeepSpeed config and hostfile), made by the core (the module's
// exportPlan, the CLI's --export). A plan the target cannot express shows the reason and the targets that can.
// Each file can be copied or downloaded.

import {node} from './dom.js';
import {saveText} from './save-text.js';

export class LaunchExport {
  #target;
  #untied;
  #output;
  #getPlanner;
  #shown = null;  // {caseObj, plan, label} of the plan last shown
  #request = 0;   // the latest request: an older answer that comes later is dropped

  // section: the element holding the target picker and the output; getPlanner: the planner's promise.
  constructor(section, getPlanner) {
    this.#target = section.querySelector('[data-testid=launch-target]');
    this.#untied = section.querySelector('[data-testid=launch-untied]');
    this.#output = section.querySelector('[data-testid=launch-output]');
    this.#getPlanner = getPlanner;
    this.#target.addEventListener('change', () => this.#render());
    this.#untied.addEventListener('change', () => this.#render());
  }

  // The plan to export: its case (as the run searched it), the plan of the result and a label for file names.
  show(caseObj, plan, label) {
    this.#shown = plan ? {caseObj, plan, label} : null;
    this.#render();
  }

  async #render() {
    const request = ++this.#request;
    this.#output.replaceChildren();
    if (!this.#shown) return;
    const {caseObj, plan, label} = this.#shown;
    const target = this.#target.value;
    let x;
    try {
      const planner = await this.#getPlanner();
      x = await planner.exportPlan(caseObj, plan, target, {untiedEmbeddings: this.#untied.checked});
    } catch (e) {
      if (request === this.#request) this.#output.append(node('p', {className: 'error', text: e.message}));
      return;
    }
    if (request !== this.#request) return;
    if (x.refused) {
      const others = x.can_take.length ? `; ${x.can_take.join(' or ')} can take it` : '; no target can take it';
      this.#output.append(node('p', {className: 'error', testid: 'launch-refused',
        text: `${target} cannot launch ${label}: ${x.reason}${others}.`}));
      return;
    }
    for (const file of x.files) this.#output.append(this.#fileView(file, target, label));
    if (x.notes.length) {
      const list = node('ul', {className: 'launch-notes', testid: 'launch-notes'});
      list.append(...x.notes.map((text) => node('li', {text})));
      this.#output.append(list);
    }
  }

  #fileView(file, target, label) {
    const box = node('div', {className: 'launch-file', testid: 'launch-file'});
    const head = node('div', {className: 'launch-file-head'});
    const copy = node('button', {testid: 'launch-copy', text: 'Copy'});
    copy.type = 'button';
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(file.text);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Copy failed: select the text';
      }
      setTimeout(() => (copy.textContent = 'Copy'), 1500);
    });
    const save = node('button', {testid: 'launch-download', text: 'Download'});
    save.type = 'button';
    const fileName = file.name.includes('.') ? file.name : `${target}-${label.replace(/\W+/g, '-')}.${file.name}.txt`;
    save.addEventListener('click', () => saveText(fileName, 'text/plain', file.text));
    head.append(node('code', {text: file.name}), copy, save);
    box.append(head, node('pre', {testid: 'launch-text', text: file.text}));
    return box;
  }
}
