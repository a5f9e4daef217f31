// The project's mail: which SMTP server sends it (its own, or the server's default) and the outbox, every mail
// with its status, attempts, last error and next attempt. While a mail is queued or sending the page refreshes
// by itself, so a test mail is seen going out.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

const ADMINS = new Set(['admin', 'owner']);
const REFRESH_MS = 2000;
const STATUSES = ['queued', 'sending', 'sent', 'failed'];
const SECURITY = [['none', 'None (plain SMTP)'], ['starttls', 'STARTTLS (required)'], ['tls', 'TLS (SMTPS)']];
const DEFAULT_PORTS = { none: 25, starttls: 587, tls: 465 };

export default class MailView extends View {
  name = 'mail';
  title = 'Mail';
  mail = { settings: null, uses_server_default: true, outbox: [] };
  secrets = [];
  status = '';
  saved = false;
  editingSettings = false;

  async load() {
    [this.mail, this.secrets] = await Promise.all([this.fetchMail(), this.api.get(this.path('/secrets'))]);
    this.every(REFRESH_MS, () => this.refreshWhileBusy());
  }

  fetchMail() {
    return this.api.get(this.path(`/mail${this.api.query({ status: this.status, limit: 100 })}`));
  }

  get manager() {
    return ADMINS.has(this.project.role);
  }

  /** Something is still on its way: its status will change without anyone doing anything. */
  get pending() {
    return this.mail.outbox.some((m) => m.status === 'queued' || m.status === 'sending');
  }

  async refreshWhileBusy() {
    if (!this.pending || this.refreshing) return;
    await this.refresh();
  }

  async refresh() {
    this.refreshing = true;
    try {
      this.mail = await this.fetchMail();
      delete this.errors.outbox;
    } catch (error) {
      if (error.status === 401) return this.app.sessionEnded();
      this.errors.outbox = { _form: error.message };
    } finally {
      this.refreshing = false;
    }
    this.update();
    return undefined;
  }

  async filter(status) {
    this.status = status;
    await this.refresh();
  }

  async saveSettings(event) {
    event.preventDefault();
    const values = formValues(event.target);
    const body = {
      host: values.host, port: values.port, security: values.security, from_address: values.from_address,
      username: values.username || null, password_secret: values.password_secret || null,
    };
    this.saved = false;
    const stored = await this.act('settings', ['host', 'port', 'security', 'username', 'password_secret', 'from_address'],
      () => this.api.put(this.path('/mail/settings'), body));
    if (stored) {
      this.saved = true;
      this.editingSettings = false;
      await this.refresh();
    }
  }

  async useServerDefault() {
    const ok = await confirmAction({
      title: 'Use the server default', confirmLabel: 'Use the default',
      message: "The project's SMTP settings are removed; its mail goes out through the server's default SMTP server.",
    });
    if (ok && await this.act('settings', [], () => this.api.del(this.path('/mail/settings')).then(() => true))) {
      this.saved = false;
      await this.refresh();
    }
  }

  render() {
    return html`
      <div class="page-head"><h1>Mail</h1></div>
      ${this.renderSettings()}
      ${this.renderOutbox()}`;
  }

  renderSettings() {
    const s = this.mail.settings;
    const e = this.errors.settings;
    const form = this.manager && (this.editingSettings || !s);
    return html`<section class="card" aria-labelledby="smtp-title">
      <h2 id="smtp-title">SMTP server</h2>
      <p id="smtp-state" class="muted">${this.mail.uses_server_default
        ? "The project's mail goes out through the server's default SMTP server."
        : html`The project's mail goes out through <code>${s.host}:${s.port}</code> (${s.security}) from <code>${s.from_address}</code>.`}</p>
      ${s && !form ? html`<dl class="facts" id="smtp-settings">
          <dt>Host</dt><dd><code>${s.host}</code></dd><dt>Port</dt><dd>${s.port}</dd>
          <dt>Security</dt><dd>${s.security}</dd><dt>Username</dt><dd>${s.username || '—'}</dd>
          <dt>Password secret</dt><dd>${s.password_secret ? html`<code>${s.password_secret}</code>` : '—'}</dd>
          <dt>From</dt><dd>${s.from_address}</dd><dt>Updated</dt><dd>${time(s.updated_at)}</dd></dl>
        ${this.manager ? html`<div class="buttons">
          <button id="edit-smtp-button" type="button" @click=${() => { this.editingSettings = true; this.saved = false; this.update(); }}>Edit</button>
          <button id="server-default-button" type="button" class="danger" @click=${() => this.useServerDefault()}>Use the server default…</button></div>` : nothing}` : nothing}
      ${this.saved ? html`<p id="smtp-saved" class="muted" role="status">Saved. New mail uses these settings.</p>` : nothing}
      ${form ? this.renderSettingsForm(s || {}, e)
        : !this.manager ? html`<p class="muted">Only admins and owners of the project can change its SMTP server.</p>` : nothing}
      ${form ? nothing : formError(e)}
    </section>`;
  }

  renderSettingsForm(s, e) {
    const security = s.security || 'starttls';
    return html`<form id="smtp-form" class="form-grid" autocomplete="off" @submit=${(ev) => this.saveSettings(ev)}>
      <div><label for="smtp-host">Host</label>
        <input id="smtp-host" name="host" required maxlength="253" spellcheck="false" placeholder="smtp.example.com"
          .value=${s.host || ''} aria-invalid=${invalid(e, 'host')}>${errorFor(e, 'host')}</div>
      <div><label for="smtp-port">Port</label>
        <input id="smtp-port" name="port" type="number" required min="1" max="65535" .value=${String(s.port || DEFAULT_PORTS[security])}
          aria-invalid=${invalid(e, 'port')}>${errorFor(e, 'port')}</div>
      <div><label for="smtp-security">Security</label>
        <select id="smtp-security" name="security" aria-invalid=${invalid(e, 'security')}>${SECURITY.map(([value, label]) =>
          html`<option value=${value} ?selected=${value === security}>${label}</option>`)}</select>${errorFor(e, 'security')}</div>
      <div><label for="smtp-from">From address</label>
        <input id="smtp-from" name="from_address" required maxlength="998" placeholder="My App <hello@example.com>"
          .value=${s.from_address || ''} aria-invalid=${invalid(e, 'from_address')}>${errorFor(e, 'from_address')}</div>
      <div><label for="smtp-username">Username <span class="muted">(optional)</span></label>
        <input id="smtp-username" name="username" maxlength="320" spellcheck="false" .value=${s.username || ''}
          aria-invalid=${invalid(e, 'username')}>${errorFor(e, 'username')}</div>
      <div><label for="smtp-password-secret">Password secret <span class="muted">(optional)</span></label>
        <select id="smtp-password-secret" name="password_secret" aria-describedby="smtp-password-hint" aria-invalid=${invalid(e, 'password_secret')}>
          <option value="">No password</option>
          ${this.secrets.map((secret) => html`<option value=${secret.name} ?selected=${secret.name === s.password_secret}>${secret.name}</option>`)}
        </select>
        <small id="smtp-password-hint" class="muted">The password is a project secret: set it under <a href=${this.href('/secrets')}>Secrets</a>, then choose it here.</small>
        ${errorFor(e, 'password_secret')}</div>
      <div class="form-foot">${formError(e)}
        <button id="save-smtp-button" type="submit" class="primary" ?disabled=${this.busy === 'settings'}>Save SMTP settings</button>
        ${this.mail.settings ? html`<button type="button" @click=${() => { this.editingSettings = false; delete this.errors.settings; this.update(); }}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  renderOutbox() {
    return html`<section class="card" aria-labelledby="outbox-title">
      <div class="section-head"><h2 id="outbox-title">Outbox</h2>
        <span class="toolbar">
          <label for="outbox-status">Status</label>
          <select id="outbox-status" @change=${(ev) => this.filter(ev.target.value)}>
            <option value="" ?selected=${!this.status}>All</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.status}>${s}</option>`)}
          </select>
          <button id="refresh-outbox-button" type="button" @click=${() => this.refresh()}>Refresh</button>
          ${this.pending ? html`<span id="outbox-live" class="muted" role="status">Refreshing while mail is on its way…</span>` : nothing}
        </span></div>
      ${formError(this.errors.outbox)}
      <div id="outbox">${table([
        { label: 'Mail', class: 'outbox-mail', cell: (m) => html`<span class="mail-subject">${m.subject}</span>${m.template_id
            ? html` <span class="muted">(${m.template_id})</span>` : nothing}
          <small class="muted mail-to">to ${m.to.join(', ')}${m.cc.length ? ` · cc ${m.cc.join(', ')}` : ''} · queued ${time(m.created_at)}</small>` },
        { label: 'Status', cell: (m) => badge(m.status) },
        { label: 'Attempts', class: 'num', cell: (m) => m.attempts },
        { label: 'Last error', cell: (m) => (m.last_error ? html`<span class="last-error">${m.last_error}</span>` : '—') },
        { label: 'Next attempt', cell: (m) => time(m.next_attempt_at) },
        { label: 'Sent', cell: (m) => time(m.sent_at) },
      ], this.mail.outbox, {
        empty: this.status ? `No ${this.status} mail.` : 'No mail yet. Functions send mail with request.send_mail(...); send a test mail from an email template.',
      })}</div>
    </section>`;
  }
}
