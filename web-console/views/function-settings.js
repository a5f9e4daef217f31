// A function's settings: timeout, who may call it, whether it answers, its style and handler, how often a
// failed async call is retried; and deleting it (typed confirmation). Only what changed is sent: a new style or
// handler makes a new version, so an unchanged one must not be sent.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { confirmAction } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';
import { functionCrumbs, functionHeader, loadFunction } from './function-base.js';

const STYLES = ['main', 'handle', 'wsgi', 'asgi', 'event', 'http_handler'];
const FIELDS = ['name', 'timeout_s', 'require_auth', 'enabled', 'style', 'handler', 'async_retries'];

export default class FunctionSettingsView extends View {
  name = 'function-settings';
  title = 'Settings';
  fn = null;
  saved = false;

  async load() {
    this.fn = await loadFunction(this);
  }

  crumbs() {
    return functionCrumbs(this, this.fn, 'Settings');
  }

  /** The fields whose value differs from the function's. */
  changes(values) {
    const fn = this.fn;
    const body = {};
    if (values.timeout_s !== fn.timeout_s) body.timeout_s = values.timeout_s;
    if (values.require_auth !== fn.require_auth) body.require_auth = values.require_auth;
    if (values.enabled !== fn.enabled) body.enabled = values.enabled;
    if (values.async_retries !== fn.async_retries) body.async_retries = values.async_retries;
    if (values.style && values.style !== (fn.style || '')) body.style = values.style;
    if (values.handler !== (fn.handler || '')) body.handler = values.handler;
    return body;
  }

  async save(event) {
    event.preventDefault();
    this.saved = false;
    const body = this.changes(formValues(event.target));
    if (!Object.keys(body).length) {
      this.saved = 'Nothing changed.';
      this.update();
      return;
    }
    const fn = await this.act('settings', FIELDS, () =>
      this.api.patch(this.path(`/functions/${encodeURIComponent(this.fn.id)}`), body));
    if (fn) {
      this.fn = fn;
      this.saved = 'Saved.';
      this.update(); // act() rendered before the answer was kept
    }
  }

  async deleteFunction() {
    const ok = await confirmAction({
      title: 'Delete function',
      message: `This deletes ${this.fn.name} with all its versions and its execution log. Its URLs stop answering. It cannot be undone.`,
      confirmLabel: 'Delete function', typed: this.fn.name,
    });
    if (ok && await this.act('delete', [], () => this.api.del(this.path(`/functions/${encodeURIComponent(this.fn.id)}`)).then(() => true))) {
      this.app.go(this.href('/functions'));
    }
  }

  render() {
    const fn = this.fn;
    const e = this.errors.settings;
    const developer = this.project.role !== 'viewer';
    return html`
      ${functionHeader(this, fn, 'settings')}
      <section class="card" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <form id="function-settings-form" class="form-grid" @submit=${(ev) => this.save(ev)}
          @input=${() => { this.saved = false; }}>
          <div><label for="timeout-s">Timeout (seconds)</label>
            <input id="timeout-s" name="timeout_s" type="number" step="1" .value=${String(fn.timeout_s)}
              aria-invalid=${invalid(e, 'timeout_s')} aria-describedby="timeout-help">
            <small class="muted" id="timeout-help">1 to 900. A call still running then is stopped.</small>
            ${errorFor(e, 'timeout_s')}</div>
          <div><label for="async-retries">Async retries</label>
            <input id="async-retries" name="async_retries" type="number" step="1" .value=${String(fn.async_retries ?? 0)}
              aria-invalid=${invalid(e, 'async_retries')} aria-describedby="retries-help">
            <small class="muted" id="retries-help">How often a failed or timed-out async call is tried again (0 to 8).</small>
            ${errorFor(e, 'async_retries')}</div>
          <div><label for="function-style-select">Style</label>
            <select id="function-style-select" name="style" aria-invalid=${invalid(e, 'style')}>
              ${fn.style ? nothing : html`<option value="" selected>Detected: ${fn.deployed_style || 'main'}</option>`}
              ${STYLES.map((s) => html`<option value=${s} ?selected=${fn.style === s}>${s}</option>`)}
            </select>
            <small class="muted">Setting another style deploys the code again as a new version.</small>
            ${errorFor(e, 'style')}</div>
          <div><label for="function-handler">Handler</label>
            <input id="function-handler" name="handler" type="text" maxlength="200" spellcheck="false"
              placeholder=${fn.entry_file && fn.entry_name ? `${fn.entry_file.replace(/\.py$/, '')}.${fn.entry_name}` : 'index.handler'}
              .value=${fn.handler || ''} aria-invalid=${invalid(e, 'handler')}>
            <small class="muted"><code>file.method</code>, e.g. <code>index.handler</code>. Empty: found from the files.</small>
            ${errorFor(e, 'handler')}</div>
          <div class="form-foot checks">
            <label class="check"><input id="require-auth" name="require_auth" type="checkbox" .checked=${fn.require_auth}>
              Only signed-in app users may call it (a bearer token of the project's users)</label>
            ${errorFor(e, 'require_auth')}
            <label class="check"><input id="function-enabled" name="enabled" type="checkbox" .checked=${fn.enabled}>
              Enabled (a disabled function answers 403 to every call)</label>
            ${errorFor(e, 'enabled')}
          </div>
          <div class="form-foot">${formError(e)}
            ${developer ? html`<button type="submit" class="primary" id="save-settings-button" ?disabled=${this.busy === 'settings'}>Save settings</button>`
              : html`<p class="muted">Viewers cannot change settings.</p>`}
            ${this.saved ? html`<span class="muted" role="status" id="settings-saved">${this.saved}</span>` : nothing}</div>
        </form>
      </section>
      ${developer ? html`<section class="card danger-zone" aria-labelledby="delete-function-title">
        <h2 id="delete-function-title">Delete this function</h2>
        <p class="muted">Its versions and executions are deleted with it.</p>
        ${formError(this.errors.delete)}
        <button type="button" id="delete-function-button" class="danger" @click=${() => this.deleteFunction()}>Delete function…</button>
      </section>` : nothing}`;
  }
}
