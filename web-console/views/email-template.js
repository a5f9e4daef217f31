// One email template: subject, HTML and text bodies, a sample context and the preview the server renders as
// real mail is (HTML autoescaped), in a sandboxed iframe; an error is marked in the part and at the line it
// names. "Send a test mail" queues it in the project's outbox like any mail.
import { html, nothing, ref, createRef } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, time } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';
import { LivePreview, parseContext } from '../lib/preview.js';

const PARTS = ['subject', 'html', 'text'];

export default class EmailTemplateView extends View {
  name = 'email-template';
  title = 'Email template';
  template = null;
  draft = { subject: '', html: '', text: '' };
  contextText = '{\n  "name": "Ada"\n}';
  live = new LivePreview(this, '/email-template-preview', (context) => ({ ...this.bodies, context }),
    () => this.markLine());
  queued = null; // the outbox entry of the last test mail
  saved = false;
  editors = { html: createRef(), text: createRef() };

  get apiPath() {
    return this.path(`/email-templates/${encodeURIComponent(this.params.template)}`);
  }

  async load() {
    this.template = await this.api.get(this.apiPath);
    this.title = this.template.id;
    this.reset();
    await this.live.render();
  }

  reset() {
    const t = this.template;
    this.draft = { subject: t.subject, html: t.html, text: t.text ?? '' };
  }

  leave() {
    super.leave();
    this.live.stop();
  }

  crumbs() {
    return [['Email templates', this.href('/email-templates')], [this.template.id]];
  }

  /** Leaving with unsaved changes asks first. */
  async canLeave() {
    return !this.dirty || confirmAction({
      title: 'Leave without saving?',
      message: 'Your changes to this email template are not saved and will be lost.',
      confirmLabel: 'Leave',
    });
  }

  get dirty() {
    const t = this.template;
    return this.draft.subject !== t.subject || this.draft.html !== t.html || this.draft.text !== (t.text ?? '');
  }

  /** The request body of the editor's parts (an empty text part is none: the mail is HTML only). */
  get bodies() {
    const { subject, html: htmlBody, text } = this.draft;
    return text.trim() ? { subject, html: htmlBody, text } : { subject, html: htmlBody };
  }

  edited(part, value) {
    this.draft = { ...this.draft, [part]: value };
    this.saved = false;
    this.live.schedule();
    this.update();
  }

  contextEdited(text) {
    this.contextText = text;
    this.live.schedule();
  }

  /** {subject, html, text} of the last render, and {field, line, message} of the last failed one. */
  get preview() {
    return this.live.result;
  }

  get previewError() {
    const problem = this.live.problem;
    return problem && { ...problem, field: PARTS.includes(problem.field) ? problem.field : null };
  }

  markLine() {
    for (const part of ['html', 'text']) {
      const editor = this.editors[part].value;
      if (!editor) continue;
      editor.clearMarks();
      const failed = this.previewError;
      if (failed?.field === part && failed.line) editor.markError(failed.line, failed.message);
    }
  }

  async save() {
    const saved = await this.act('save', PARTS, () => this.api.put(this.apiPath, this.bodies));
    if (saved) {
      this.template = saved;
      this.reset();
      this.saved = true;
    }
    // a refused save's message is shown at its part; the preview (same text) marks the line
    this.update();
  }

  async sendTest(event) {
    event.preventDefault();
    const to = event.target.elements.to.value.trim();
    const { context, error } = parseContext(this.contextText);
    if (error) {
      this.errors.test = { _form: error };
      this.update();
      return;
    }
    this.queued = null;
    // the saved template when the editor holds it, else exactly what the editor shows
    const body = this.dirty ? { to, ...this.bodies, context } : { to, template_id: this.template.id, context };
    const entry = await this.act('test', ['to', ...PARTS, 'context', 'template_id'], () =>
      this.api.post(this.path('/mail/test'), body));
    if (entry) {
      this.queued = entry;
      this.update();
    }
  }

  async remove() {
    const ok = await confirmAction({
      title: 'Delete email template',
      message: `Delete ${this.template.id}? Functions sending it will fail; mail already queued is not affected.`,
    });
    if (ok && await this.act('delete', [], () => this.api.del(this.apiPath).then(() => true))) {
      this.app.go(this.href('/email-templates'));
    }
  }

  render() {
    const t = this.template;
    const e = this.errors.save;
    const failed = this.previewError;
    return html`
      <div class="page-head"><h1 id="email-template-id">${t.id}</h1>
        <span class="muted">Saved ${time(t.updated_at)}</span></div>
      <div class="split email-workbench">
        <section class="card" aria-labelledby="email-source-title">
          <h2 id="email-source-title">Subject and bodies</h2>
          <label for="email-subject">Subject</label>
          <input id="email-subject" name="subject" maxlength="998" .value=${this.draft.subject}
            aria-invalid=${invalid(e, 'subject') === 'true' || failed?.field === 'subject' ? 'true' : 'false'}
            @input=${(ev) => this.edited('subject', ev.target.value)}>
          ${errorFor(e, 'subject')}
          <label for="email-html-editor" id="email-html-label">HTML body</label>
          <code-editor id="email-html-editor" mode="htmlmixed" aria-label="HTML body" ${ref(this.editors.html)}
            .value=${this.draft.html} @input=${(ev) => this.edited('html', ev.target.value)}></code-editor>
          ${errorFor(e, 'html')}
          <label for="email-text-editor">Text body <span class="muted">(optional: without it the mail is HTML only)</span></label>
          <code-editor id="email-text-editor" class="short" mode="jinja2" aria-label="Text body" ${ref(this.editors.text)}
            .value=${this.draft.text} @input=${(ev) => this.edited('text', ev.target.value)}></code-editor>
          ${errorFor(e, 'text')}${formError(e)}
          <div class="buttons editor-actions">
            <button id="save-email-template-button" type="button" class="primary" ?disabled=${this.busy === 'save' || !this.dirty}
              @click=${() => this.save()}>Save</button>
            ${this.saved ? html`<span id="email-template-saved" class="muted" role="status">Saved.</span>`
              : this.dirty ? html`<span class="muted">Unsaved changes.</span>` : nothing}
            <button id="delete-email-template-button" type="button" class="danger" @click=${() => this.remove()}>Delete…</button>
          </div>
          ${formError(this.errors.delete)}
        </section>
        <section class="card" aria-labelledby="email-preview-title">
          <h2 id="email-preview-title">Preview</h2>
          <label for="email-context">Sample context (JSON)</label>
          <textarea id="email-context" class="code" rows="4" spellcheck="false" aria-invalid=${invalid(this.errors.context, 'context')}
            .value=${this.contextText} @input=${(ev) => this.contextEdited(ev.target.value)}></textarea>
          ${errorFor(this.errors.context, 'context')}
          ${failed ? html`<div id="email-preview-error" class="problem" role="alert" data-part=${failed.field || ''}>
            <strong>The ${failed.field || 'mail'} does not render${failed.line ? ` (line ${failed.line})` : ''}</strong>
            <p class="problem-detail">${failed.message}</p></div>` : nothing}
          ${this.preview ? html`
            <p class="email-subject-line"><span class="muted">Subject:</span> <strong id="email-preview-subject">${this.preview.subject}</strong></p>
            <iframe id="email-preview" class="preview" sandbox title="The mail's HTML" srcdoc=${this.preview.html}></iframe>
            ${this.preview.text ? html`<details class="preview-source"><summary>Text part</summary>
              <pre id="email-preview-text" class="output">${this.preview.text}</pre></details>` : nothing}` : nothing}
          ${this.renderTestMail()}
        </section>
      </div>`;
  }

  renderTestMail() {
    const e = this.errors.test;
    const q = this.queued;
    return html`<form id="test-mail-form" class="test-mail" @submit=${(ev) => this.sendTest(ev)}>
      <h3>Send a test mail</h3>
      <p class="muted">Rendered with the sample context${this.dirty ? ' from the editor (unsaved)' : ''}, sent through the project's mail settings.</p>
      <div class="inline-form">
        <label for="test-mail-to">To</label>
        <input id="test-mail-to" name="to" type="email" required maxlength="254" autocomplete="email" aria-invalid=${invalid(e, 'to')}>
        <span class="buttons"><button id="send-test-mail-button" type="submit" ?disabled=${this.busy === 'test'}>Send test mail</button></span>
      </div>
      ${errorFor(e, 'to')}${errorFor(e, 'context')}${PARTS.map((part) => errorFor(e, part))}${formError(e)}
      ${q ? html`<p id="test-mail-queued" role="status" data-id=${q.id}>${badge(q.status)} Queued for ${q.to.join(', ')}:
        “${q.subject}”. <a id="outbox-link" href=${this.href('/mail')}>Follow it in the outbox</a>.</p>` : nothing}
    </form>`;
  }
}
