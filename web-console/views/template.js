// One template: the Jinja editor, a sample context and a live preview the server renders exactly as
// render_template would (shown in a sandboxed iframe and as text); a template error is marked at its line.
// Saving makes a new version; older versions can be read, compared and loaded back into the editor.
import { html, nothing, ref, createRef } from '../lib/html.js';
import { View } from '../lib/view.js';
import { bytes, confirmAction, table, time } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';
import { diffView } from '../lib/diff.js';
import { LivePreview, parseContext } from '../lib/preview.js';

/** The path segments of a template name, each encoded ('emails/a b.html' → 'emails/a%20b.html'). */
export const encodeName = (name) => name.split('/').map(encodeURIComponent).join('/');

/** The console page of a template. */
export const templateHref = (view, name) => view.href(`/templates/${encodeName(name)}`);

export default class TemplateView extends View {
  name = 'template';
  title = 'Template';
  template = null;
  content = '';
  contextText = '{\n  "name": "Ada"\n}';
  live = new LivePreview(this, '/template-preview', (context) => ({ content: this.content, context }),
    () => this.markLine());
  versions = [];
  shown = null; // {version, content} of an older version being looked at
  saved = false;
  editor = createRef();

  get templateName() {
    return this.params.template;
  }

  get apiPath() {
    return this.path(`/templates/${encodeName(this.templateName)}`);
  }

  async load() {
    [this.template, this.versions] = await Promise.all([
      this.api.get(this.apiPath), this.api.get(`${this.apiPath}/versions`)]);
    this.title = this.template.name;
    this.content = this.template.content;
    await this.live.render(); // the page opens with its preview (or the template's error) shown
  }

  leave() {
    super.leave();
    this.live.stop();
  }

  crumbs() {
    return [['Templates', this.href('/templates')], [this.template.name]];
  }

  /** Leaving with unsaved changes asks first. */
  async canLeave() {
    return !this.dirty || confirmAction({
      title: 'Leave without saving?',
      message: 'Your changes to this template are not saved and will be lost.',
      confirmLabel: 'Leave',
    });
  }

  get dirty() {
    return this.content !== this.template.content;
  }

  edited(text) {
    this.content = text;
    this.saved = false;
    this.live.schedule();
    this.update();
  }

  contextEdited(text) {
    this.contextText = text;
    this.live.schedule();
  }

  /** {output} of the last render, and {message, line} of the last failed one. */
  get preview() {
    return this.live.result;
  }

  get previewError() {
    return this.live.problem;
  }

  /** The editor shows the failed render's line (marks clear themselves when the text changes). */
  markLine() {
    const editor = this.editor.value;
    if (!editor) return;
    editor.clearMarks();
    if (this.previewError?.line) editor.markError(this.previewError.line, this.previewError.message);
  }

  async save() {
    const saved = await this.act('save', ['content'], () =>
      this.api.put(this.apiPath, { content: this.content }));
    if (saved) {
      this.template = saved;
      this.content = saved.content;
      this.saved = true;
      this.versions = await this.api.get(`${this.apiPath}/versions`);
    }
    this.update();
  }

  async showVersion(version) {
    const found = await this.act('versions', [], () => this.api.get(`${this.apiPath}${this.api.query({ version })}`));
    if (found) this.shown = { version, content: found.content };
    this.update();
  }

  loadShown() {
    this.content = this.shown.content;
    this.shown = null;
    this.saved = false;
    this.live.render();
    this.update();
  }

  async remove() {
    const ok = await confirmAction({
      title: 'Delete template',
      message: `Delete ${this.template.name} with all its versions? Functions that render it will fail.`,
    });
    if (ok && await this.act('delete', [], () => this.api.del(this.apiPath).then(() => true))) {
      this.app.go(this.href('/templates'));
    }
  }

  render() {
    const t = this.template;
    const e = this.errors;
    return html`
      <div class="page-head"><h1 id="template-name">${t.name}</h1>
        <span class="muted" id="template-version">Version ${t.version} · ${bytes(t.size)} · saved ${time(t.updated_at)}</span></div>
      <div class="split template-workbench">
        <section class="card" aria-labelledby="template-source-title">
          <h2 id="template-source-title">Source</h2>
          <code-editor id="template-editor" mode="jinja2" aria-label="Template source" ${ref(this.editor)}
            .value=${this.content} @input=${(ev) => this.edited(ev.target.value)}></code-editor>
          ${errorFor(e.save, 'content')}${formError(e.save)}
          <div class="buttons editor-actions">
            <button id="save-template-button" type="button" class="primary" ?disabled=${this.busy === 'save' || !this.dirty}
              @click=${() => this.save()}>Save as version ${t.version + 1}</button>
            ${this.saved ? html`<span id="template-saved" class="muted" role="status">Saved version ${t.version}.</span>`
              : this.dirty ? html`<span class="muted">Unsaved changes.</span>` : nothing}
            <button id="delete-template-button" type="button" class="danger" @click=${() => this.remove()}>Delete…</button>
          </div>
          ${formError(e.delete)}
        </section>
        <section class="card" aria-labelledby="template-preview-title">
          <h2 id="template-preview-title">Preview</h2>
          <label for="template-context">Sample context (JSON)</label>
          <textarea id="template-context" class="code" rows="5" spellcheck="false" aria-invalid=${invalid(e.context, 'context')}
            .value=${this.contextText} @input=${(ev) => this.contextEdited(ev.target.value)}></textarea>
          ${errorFor(e.context, 'context')}
          ${this.previewError ? html`<div id="preview-error" class="problem" role="alert">
            <strong>The template does not render${this.previewError.line ? ` (line ${this.previewError.line})` : ''}</strong>
            <p class="problem-detail">${this.previewError.message}</p></div>` : nothing}
          ${this.preview ? html`
            <iframe id="template-preview" class="preview" sandbox title="Rendered template"
              srcdoc=${this.preview.output}></iframe>
            <details class="preview-source"><summary>Rendered text</summary>
              <pre id="template-output" class="output">${this.preview.output}</pre></details>` : nothing}
        </section>
      </div>
      ${this.renderVersions()}`;
  }

  renderVersions() {
    const current = this.template.version;
    return html`<section class="card" aria-labelledby="template-versions-title">
      <h2 id="template-versions-title">Versions</h2>
      ${formError(this.errors.versions)}
      <div id="template-versions">${table([
        { label: 'Version', class: 'num', cell: (v) => html`${v.version}${v.version === current ? html` <span class="badge good">current</span>` : nothing}` },
        { label: 'Size', class: 'num', cell: (v) => bytes(v.size) },
        { label: 'Saved', cell: (v) => time(v.created_at) },
        { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (v) =>
          html`<button type="button" class="view-version-button" @click=${() => this.showVersion(v.version)}>View</button>` },
      ], this.versions, { key: (v) => v.version, empty: 'No versions.' })}</div>
      ${this.shown ? html`<div id="template-version-view">
        <h3>Version ${this.shown.version} compared with the editor</h3>
        ${diffView(this.shown.content, this.content)}
        <div class="buttons">
          <button id="load-version-button" type="button" @click=${() => this.loadShown()}>Load version ${this.shown.version} into the editor</button>
          <button type="button" @click=${() => { this.shown = null; this.update(); }}>Close</button>
        </div></div>` : nothing}
    </section>`;
  }
}
