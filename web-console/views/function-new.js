// A new function: its name and a template in one of the five styles, shown (and editable) in the editor before
// it is created. Creating deploys version 1 and opens the function's code page.
import { html } from '../lib/html.js';
import { View } from '../lib/view.js';
import { ApiError } from '../lib/api.js';
import '../lib/editor.js';
import { errorFor, formError, invalid } from '../lib/forms.js';
import { functionTemplates, rememberTemplate } from './function-templates.js';

const FIELDS = ['name', 'code', 'style', 'handler', 'timeout_s'];

export default class FunctionNewView extends View {
  name = 'function-new';
  title = 'New function';
  template = functionTemplates[0];
  code = functionTemplates[0].code;

  crumbs() {
    return [['Functions', this.href('/functions')], ['New function']];
  }

  choose(template) {
    this.template = template;
    this.code = template.code;
    this.update();
  }

  async create(event) {
    event.preventDefault();
    const name = event.target.elements.name.value.trim();
    const created = await this.act('create', FIELDS, () =>
      this.api.post(this.path('/functions'), { name, code: this.code, ...(this.template.style ? { style: this.template.style } : {}) }).catch((error) => {
        // a name already taken (409) is about the name, whether or not the problem says so
        if (error instanceof ApiError && error.status === 409 && error.problem && !error.problem.field) {
          error.problem.field = 'name';
        }
        throw error;
      }));
    if (created) {
      rememberTemplate(this.project.id, created.name, this.template.key);
      this.app.go(this.href(`/functions/${encodeURIComponent(created.name)}`));
    }
  }

  render() {
    const errors = this.errors.create;
    return html`
      <div class="page-head"><h1>New function</h1></div>
      <form id="new-function-form" class="card new-function" @submit=${(e) => this.create(e)}>
        <div class="function-name-field">
          <label for="function-name-input">Name</label>
          <input id="function-name-input" name="name" type="text" required maxlength="64" autocomplete="off"
                 spellcheck="false" autocapitalize="off" aria-describedby="function-name-hint"
                 aria-invalid=${invalid(errors, 'name')}>
          <small id="function-name-hint" class="muted">Letters, digits, “-” and “_”. It is part of the function's URL.</small>
          ${errorFor(errors, 'name')}
        </div>
        <fieldset class="template-choice">
          <legend>Template</legend>
          ${functionTemplates.map((t) => html`
            <label class="template-option" data-template=${t.key}>
              <input type="radio" name="template" value=${t.key} .checked=${t === this.template}
                     @change=${() => this.choose(t)}>
              <span class="template-label">${t.label}</span>
              <span class="template-description muted">${t.description}</span>
            </label>`)}
        </fieldset>
        <label for="new-function-code">Code <span class="muted">(${this.template.label}; edit it before creating if you like)</span></label>
        <code-editor id="new-function-code" mode="python" aria-label="Code of the new function"
                     .value=${this.code} @input=${(e) => { this.code = e.target.value; }}></code-editor>
        ${errorFor(errors, 'code')}
        ${errorFor(errors, 'style')}
        ${errorFor(errors, 'handler')}
        <div class="form-foot">
          ${formError(errors)}
          <button id="create-function-button" type="submit" class="primary" ?disabled=${this.busy === 'create'}>
            ${this.busy === 'create' ? 'Creating…' : 'Create and deploy'}</button>
        </div>
      </form>`;
  }
}
