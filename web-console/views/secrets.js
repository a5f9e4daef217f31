// Secrets and variables, what functions read with secrets.get(name) and variables.get(name). A secret's value
// is write-only: the page sends it once and forgets it (the field is cleared, nothing keeps it), and the API
// never returns it. Variables are plain settings and show their values.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { confirmAction, table, time } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';

const ADMINS = new Set(['admin', 'owner']);
const WRITERS = new Set(['developer', 'admin', 'owner']);

export default class SecretsView extends View {
  name = 'secrets';
  title = 'Secrets & variables';
  secrets = [];
  variables = [];
  secretSaved = null; // {name, created} of the secret just set
  variableSaved = null;
  editing = null; // the variable being edited: its name

  async load() {
    [this.secrets, this.variables] = await Promise.all([
      this.api.get(this.path('/secrets')), this.api.get(this.path('/variables'))]);
  }

  get canSetSecrets() {
    return ADMINS.has(this.project.role);
  }

  get canSetVariables() {
    return WRITERS.has(this.project.role);
  }

  async setSecret(event) {
    event.preventDefault();
    const form = event.target;
    const name = form.elements.name.value.trim();
    const valueField = form.elements.value;
    this.secretSaved = null;
    const saved = await this.act('secret', ['name', 'value'], () =>
      this.api.put(this.path(`/secrets/${encodeURIComponent(name)}`), { value: valueField.value }));
    // the value leaves the page whatever happened: it is never kept or shown again
    valueField.value = '';
    if (saved) {
      form.reset();
      this.secretSaved = { name: saved.name, replaced: this.secrets.some((s) => s.name === saved.name) };
      this.secrets = await this.api.get(this.path('/secrets'));
    }
    this.update();
  }

  /** Replacing a secret: its name goes into the form, the cursor into the (empty) value field. */
  replaceSecret(secret) {
    const form = document.getElementById('secret-form');
    form.elements.name.value = secret.name;
    form.elements.value.value = '';
    form.elements.value.focus();
  }

  async deleteSecret(secret) {
    const ok = await confirmAction({
      title: 'Delete secret', message: `Delete the secret ${secret.name}? Functions then read an empty string for it.`,
    });
    if (ok && await this.act('secrets', [], () => this.api.del(this.path(`/secrets/${encodeURIComponent(secret.name)}`)).then(() => true))) {
      this.secretSaved = null;
      this.secrets = await this.api.get(this.path('/secrets'));
      this.update();
    }
  }

  async setVariable(event) {
    event.preventDefault();
    const form = event.target;
    const name = form.elements.name.value.trim();
    const value = form.elements.value.value;
    this.variableSaved = null;
    const saved = await this.act('variable', ['name', 'value'], () =>
      this.api.put(this.path(`/variables/${encodeURIComponent(name)}`), { value }));
    if (saved) {
      form.reset();
      this.editing = null;
      this.variableSaved = saved.name;
      this.variables = await this.api.get(this.path('/variables'));
    }
    this.update();
  }

  editVariable(variable) {
    this.editing = variable.name;
    this.variableSaved = null;
    const form = document.getElementById('variable-form');
    form.elements.name.value = variable.name;
    form.elements.value.value = variable.value;
    form.elements.value.focus();
    this.update();
  }

  cancelEdit() {
    this.editing = null;
    document.getElementById('variable-form').reset();
    this.update();
  }

  async deleteVariable(variable) {
    const ok = await confirmAction({ title: 'Delete variable', message: `Delete the variable ${variable.name}?` });
    if (ok && await this.act('variables', [], () => this.api.del(this.path(`/variables/${encodeURIComponent(variable.name)}`)).then(() => true))) {
      this.variables = await this.api.get(this.path('/variables'));
      this.update();
    }
  }

  render() {
    return html`
      <div class="page-head"><h1>Secrets &amp; variables</h1></div>
      ${this.renderSecrets()}
      ${this.renderVariables()}`;
  }

  renderSecrets() {
    const e = this.errors.secret;
    const admin = this.canSetSecrets;
    return html`<section class="card" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <p class="muted">Passwords and API keys for your functions (<code>secrets.get("NAME")</code>). Values are encrypted
        and never shown again, here or anywhere: to change one, set it anew.</p>
      ${admin ? html`<form id="secret-form" class="form-grid" autocomplete="off" @submit=${(ev) => this.setSecret(ev)}>
        <div><label for="secret-name">Name</label>
          <input id="secret-name" name="name" required maxlength="128" spellcheck="false" placeholder="STRIPE_KEY"
            aria-invalid=${invalid(e, 'name')}>${errorFor(e, 'name')}</div>
        <div><label for="secret-value">Value</label>
          <input id="secret-value" name="value" type="password" required autocomplete="new-password" spellcheck="false"
            aria-invalid=${invalid(e, 'value')}>${errorFor(e, 'value')}</div>
        <div class="form-foot">${formError(e)}
          <button id="set-secret-button" type="submit" class="primary" ?disabled=${this.busy === 'secret'}>Set secret</button>
          ${this.secretSaved ? html`<span id="secret-saved" class="muted" role="status">Secret ${this.secretSaved.name}
            ${this.secretSaved.replaced ? 'replaced' : 'set'}. Its value will not be shown again.</span>` : nothing}</div>
      </form>` : html`<p class="muted">Only admins and owners of the project can set or delete secrets.</p>`}
      <div id="secrets-error">${formError(this.errors.secrets)}</div>
      <div id="secret-list">${table([
        { label: 'Name', cell: (s) => html`<code>${s.name}</code>` },
        { label: 'Value', cell: () => html`<span class="muted secret-hidden">set · hidden</span>` },
        { label: 'Updated', cell: (s) => time(s.updated_at) },
        { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (s) => admin ? html`
          <button type="button" class="replace-secret-button" aria-label="Replace ${s.name}" @click=${() => this.replaceSecret(s)}>Replace</button>
          <button type="button" class="danger delete-secret-button" aria-label="Delete ${s.name}" @click=${() => this.deleteSecret(s)}>Delete</button>` : nothing },
      ], this.secrets, { key: (s) => s.name, rowAttrs: (s) => s.name, empty: 'No secrets yet. Set one above; functions read it with secrets.get(name).' })}</div>
    </section>`;
  }

  renderVariables() {
    const e = this.errors.variable;
    const writer = this.canSetVariables;
    return html`<section class="card" aria-labelledby="variables-title">
      <h2 id="variables-title">Variables</h2>
      <p class="muted">Settings that are not secret (<code>variables.get("NAME")</code>); functions see a change on their next call.</p>
      ${writer ? html`<form id="variable-form" class="form-grid" autocomplete="off" @submit=${(ev) => this.setVariable(ev)}>
        <div><label for="variable-name">Name</label>
          <input id="variable-name" name="name" required maxlength="128" spellcheck="false" placeholder="GREETING"
            ?readonly=${!!this.editing} aria-invalid=${invalid(e, 'name')}>${errorFor(e, 'name')}</div>
        <div><label for="variable-value">Value</label>
          <input id="variable-value" name="value" spellcheck="false" aria-invalid=${invalid(e, 'value')}>${errorFor(e, 'value')}</div>
        <div class="form-foot">${formError(e)}
          <button id="set-variable-button" type="submit" class="primary" ?disabled=${this.busy === 'variable'}>
            ${this.editing ? `Save ${this.editing}` : 'Set variable'}</button>
          ${this.editing ? html`<button type="button" @click=${() => this.cancelEdit()}>Cancel</button>` : nothing}
          ${this.variableSaved ? html`<span id="variable-saved" class="muted" role="status">Variable ${this.variableSaved} saved.</span>` : nothing}</div>
      </form>` : html`<p class="muted">Only developers, admins and owners can change variables.</p>`}
      <div id="variables-error">${formError(this.errors.variables)}</div>
      <div id="variable-list">${table([
        { label: 'Name', cell: (v) => html`<code>${v.name}</code>` },
        { label: 'Value', cell: (v) => html`<span class="variable-value">${v.value}</span>` },
        { label: 'Updated', cell: (v) => time(v.updated_at) },
        { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (v) => writer ? html`
          <button type="button" class="edit-variable-button" aria-label="Edit ${v.name}" @click=${() => this.editVariable(v)}>Edit</button>
          <button type="button" class="danger delete-variable-button" aria-label="Delete ${v.name}" @click=${() => this.deleteVariable(v)}>Delete</button>` : nothing },
      ], this.variables, { key: (v) => v.name, rowAttrs: (v) => v.name, empty: 'No variables yet. Set one above.' })}</div>
    </section>`;
  }
}
