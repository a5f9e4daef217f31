// <code-editor>: CodeMirror 5 (a WebJar, loaded by index.html as the global CodeMirror) as an element that
// lit-html templates bind like an input: .value=${text}, mode="python", @input=${...}. It marks an error at
// its line (markError), which is how deploy errors and tracebacks point at the author's code.

class CodeEditor extends HTMLElement {
  #editor = null;
  #value = '';
  #marks = [];

  static get observedAttributes() {
    return ['mode', 'readonly'];
  }

  connectedCallback() {
    if (this.#editor) return;
    this.#editor = window.CodeMirror(this, {
      value: this.#value,
      mode: this.getAttribute('mode') || 'python',
      lineNumbers: true,
      indentUnit: 4,
      tabSize: 4,
      indentWithTabs: false,
      matchBrackets: true,
      styleActiveLine: true,
      readOnly: this.hasAttribute('readonly'),
      viewportMargin: Infinity,
      // Tab indents; Esc then Tab leaves the editor (keyboard users are never trapped).
      extraKeys: {
        Tab: (cm) => (cm.somethingSelected() ? cm.indentSelection('add') : cm.replaceSelection('    ', 'end')),
        'Shift-Tab': (cm) => cm.indentSelection('subtract'),
        Esc: (cm) => cm.getInputField().blur(),
      },
    });
    const label = this.getAttribute('aria-label');
    if (label) this.#editor.getInputField().setAttribute('aria-label', label);
    this.#editor.on('change', (cm, change) => {
      this.#value = cm.getValue();
      if (change.origin !== 'setValue') {
        this.clearMarks();
        this.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
  }

  attributeChangedCallback(name, old, now) {
    if (!this.#editor) return;
    if (name === 'mode') this.#editor.setOption('mode', now || 'python');
    if (name === 'readonly') this.#editor.setOption('readOnly', now !== null);
  }

  get value() {
    return this.#editor ? this.#editor.getValue() : this.#value;
  }

  set value(text) {
    text = text ?? '';
    if (text === this.value) return;
    this.#value = text;
    if (this.#editor) this.#editor.setValue(text);
  }

  /** Marks line `line` (1-based) with a message under it and scrolls it into view. */
  markError(line, message) {
    if (!this.#editor || !line) return;
    const index = Math.min(Math.max(line - 1, 0), this.#editor.lineCount() - 1);
    const handle = this.#editor.addLineClass(index, 'wrap', 'cm-error-line');
    const note = document.createElement('div');
    note.className = 'cm-error-message';
    note.setAttribute('role', 'alert');
    note.dataset.line = String(index + 1);
    note.textContent = message;
    const widget = this.#editor.addLineWidget(index, note, { coverGutter: false, noHScroll: true });
    this.#marks.push(() => {
      this.#editor.removeLineClass(handle, 'wrap', 'cm-error-line');
      widget.clear();
    });
    this.#editor.scrollIntoView({ line: index, ch: 0 }, 80);
  }

  clearMarks() {
    for (const clear of this.#marks.splice(0)) clear();
  }

  focus() {
    this.#editor?.focus();
  }

  /** CodeMirror measures itself: call after the element becomes visible (e.g. a tab shown). */
  refresh() {
    this.#editor?.refresh();
  }
}

customElements.define('code-editor', CodeEditor);

/** The line a Python traceback points at in the function's own file (`File "/code/index.py", line 3`). */
export function tracebackLine(traceback, file) {
  if (!traceback) return null;
  let found = null;
  const pattern = /File "\/code\/([^"]+)", line (\d+)/g;
  for (const match of traceback.matchAll(pattern)) {
    if (!file || match[1] === file) found = { file: match[1], line: Number(match[2]) };
  }
  return found;
}
