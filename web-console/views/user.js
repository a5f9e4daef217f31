// One app user: its account, its data (JSON) and roles, disabling and enabling it, setting a new password
// (an admin reset: every session ends), and deleting it.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, copyButton, json, time } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';
import { jsonObject, roleList } from './users.js';

export default class UserView extends View {
  name = 'user';
  title = 'App user';
  notice = '';

  get userPath() {
    return this.path(`/users/${encodeURIComponent(this.params.user)}`);
  }

  async load() {
    this.show(await this.api.get(this.userPath));
  }

  show(user) {
    this.user = user;
    this.title = user.email;
    this.dataText = json(user.data);
  }

  crumbs() {
    return [['App users', this.href('/users')], [this.user.email]];
  }

  /** PATCHes the user; on success shows the stored user and says what happened. */
  async change(key, fields, body, notice) {
    this.notice = '';
    const changed = await this.act(key, fields, () => this.api.patch(this.userPath, body));
    if (changed) {
      this.show(changed);
      this.notice = notice;
      this.update();
    }
    return changed;
  }

  async save(event) {
    event.preventDefault();
    const form = event.target.elements;
    let data;
    try {
      data = jsonObject(this.dataText) || {};
    } catch (error) {
      this.errors.profile = { data: error.message };
      this.update();
      return;
    }
    // The API merges data into the stored data: a field taken out of the JSON is sent as null.
    for (const field of Object.keys(this.user.data)) if (!(field in data)) data[field] = null;
    const body = { data, roles: roleList(form.roles.value) };
    const email = form.email.value.trim();
    if (email !== this.user.email) body.email = email;
    await this.change('profile', ['email', 'data', 'roles'], body, 'Saved.');
  }

  async toggleDisabled() {
    const disable = !this.user.disabled;
    if (disable && !await confirmAction({
      title: 'Disable user',
      message: `${this.user.email} is signed out everywhere and cannot log in until enabled again.`,
      confirmLabel: 'Disable',
    })) return;
    await this.change('status', [], { disabled: disable },
      disable ? 'Disabled: every session ended and logins are refused.' : 'Enabled: the user can log in again.');
  }

  async setPassword(event) {
    event.preventDefault();
    const field = event.target.elements.password;
    const done = await this.change('password', ['password'], { password: field.value },
      'New password set. Every session of the user ended; tell them the new password.');
    if (done) field.value = '';
  }

  async remove() {
    const ok = await confirmAction({
      title: 'Delete user',
      message: `Delete ${this.user.email}? Their sessions and tokens go with them; documents they created stay.`,
      confirmLabel: 'Delete user', typed: this.user.email,
    });
    if (ok && await this.act('delete', [], () => this.api.del(this.userPath).then(() => true))) {
      this.app.go(this.href('/users'));
    }
  }

  render() {
    const u = this.user;
    const e = this.errors;
    const writable = this.project.role !== 'viewer';
    return html`
      <div class="page-head"><h1 id="user-email">${u.email}</h1>
        <span id="user-status">${badge(u.disabled ? 'disabled' : 'active')}</span></div>
      ${this.notice ? html`<p class="notice" role="status" id="user-notice">${this.notice}</p>` : nothing}
      <section class="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl class="facts">
          <dt>ID</dt><dd><code id="user-id">${u.id}</code> ${copyButton(u.id)}</dd>
          <dt>Roles</dt><dd id="user-roles">${u.roles.length ? u.roles.join(', ') : html`<span class="muted">none</span>`}</dd>
          <dt>Email verified</dt><dd>${u.email_verified ? html`Yes, ${time(u.email_verified_at)}` : 'No'}</dd>
          <dt>Created</dt><dd>${time(u.created_at)}</dd>
          <dt>Updated</dt><dd>${time(u.updated_at)}</dd>
        </dl>
        ${writable ? html`${formError(e.status)}
          <button type="button" id="toggle-disabled-button" class=${u.disabled ? 'primary' : 'danger'}
            ?disabled=${this.busy === 'status'} @click=${() => this.toggleDisabled()}>${u.disabled ? 'Enable user' : 'Disable user…'}</button>` : nothing}
      </section>

      <section class="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Data and roles</h2>
        <form id="user-form" @submit=${(ev) => this.save(ev)}>
          <div class="form-grid">
            <div><label for="user-email-input">Email</label>
              <input id="user-email-input" name="email" type="email" required maxlength="254" ?disabled=${!writable}
                .value=${u.email} aria-invalid=${invalid(e.profile, 'email')}>
              ${errorFor(e.profile, 'email')}</div>
            <div><label for="user-roles-input">Roles <span class="muted">(separated by commas)</span></label>
              <input id="user-roles-input" name="roles" spellcheck="false" autocomplete="off" ?disabled=${!writable}
                .value=${u.roles.join(', ')} aria-invalid=${invalid(e.profile, 'roles')}>
              ${errorFor(e.profile, 'roles')}</div>
          </div>
          <label id="user-data-label">Data <span class="muted">(a JSON object)</span></label>
          <code-editor id="user-data-editor" mode="javascript" aria-label="User data JSON" ?readonly=${!writable}
            .value=${this.dataText} @input=${(ev) => { this.dataText = ev.target.value; }}></code-editor>
          ${errorFor(e.profile, 'data')}${formError(e.profile)}
          ${writable ? html`<small class="muted">Saving merges these fields into the user's data; a field you remove is kept as null.</small>
            <button type="submit" class="primary" id="save-user-button" ?disabled=${this.busy === 'profile'}>Save</button>` : nothing}
        </form>
      </section>

      ${writable ? html`<section class="card" aria-labelledby="password-title">
        <h2 id="password-title">Set a new password</h2>
        <p class="muted">For a user who cannot reset it themselves. Every session of the user ends.</p>
        <form id="password-form" class="inline-form" @submit=${(ev) => this.setPassword(ev)}>
          <div><label for="new-password">New password</label>
            <input id="new-password" name="password" type="password" required autocomplete="new-password" aria-invalid=${invalid(e.password, 'password')}></div>
          <span class="buttons"><button type="submit" id="set-password-button" ?disabled=${this.busy === 'password'}>Set password</button></span>
        </form>
        ${errorFor(e.password, 'password')}${formError(e.password)}
      </section>

      <section class="card danger-zone" aria-labelledby="delete-user-title">
        <h2 id="delete-user-title">Delete this user</h2>
        ${formError(e.delete)}
        <button type="button" id="delete-user-button" class="danger" @click=${() => this.remove()}>Delete user…</button>
      </section>` : nothing}`;
  }
}
