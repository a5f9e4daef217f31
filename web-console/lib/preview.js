// A preview the server renders from what is being edited (a template, an email template) with a sample context:
// asked again a moment after the last edit, only the newest answer kept, its error with the field and line named.
const DELAY_MS = 400; // after the last keystroke: a render per pause, not per key

/** The sample context as an object, or an error message saying what is wrong with its JSON. */
export function parseContext(text) {
  if (!text.trim()) return { context: {} };
  try {
    const context = JSON.parse(text);
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      return { error: 'context must be a JSON object, like {"name": "Ada"}' };
    }
    return { context };
  } catch (error) {
    return { error: `context is not valid JSON: ${error.message}` };
  }
}

export class LivePreview {
  result = null; // the last answer
  problem = null; // {message, field, line} of the last failed render
  #timer = null;
  #seq = 0;

  /**
   * `path` under the project; `body(context)` the request for what the view holds now; `rendered()` runs once
   * the page shows the newest answer (to mark an error's line in an editor).
   */
  constructor(view, path, body, rendered = () => {}) {
    this.view = view;
    this.path = path;
    this.body = body;
    this.rendered = rendered;
  }

  schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.render(), DELAY_MS);
  }

  stop() {
    clearTimeout(this.#timer);
  }

  /**
   * Renders now (developers and up: viewers may not). The view's `contextText` is the sample context; a context
   * error shows at `errors.context`.
   */
  async render() {
    const view = this.view;
    if (view.project.role === 'viewer') return;
    const seq = ++this.#seq;
    const { context, error } = parseContext(view.contextText);
    view.errors.context = error ? { context: error } : undefined;
    if (error) {
      view.update();
      return;
    }
    try {
      const result = await view.api.post(view.path(this.path), this.body(context));
      if (seq !== this.#seq) return;
      this.result = result;
      this.problem = null;
    } catch (failure) {
      if (seq !== this.#seq) return;
      if (failure.status === 401) {
        view.app.sessionEnded();
        return;
      }
      const problem = failure.problem || {};
      if (problem.field === 'context') view.errors.context = { context: failure.message };
      this.problem = {
        message: failure.message,
        field: problem.field ?? null,
        line: Number.isInteger(problem.line) ? problem.line : null,
      };
    }
    view.update();
    setTimeout(this.rendered); // after the render update() queued
  }
}
