// The project's app users (the people who sign in to the project's apps): a filtered, paged list and
// creating one. The filters live in the route's query, so a filtered list can be reloaded and shared.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { ApiError } from '../lib/api.js';
import { badge, emptyState, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

const LIMIT = 25;

/** A JSON object typed in a field, or an Error saying why it is not one. Empty is no object (null). */
export function jsonObject(text, what = 'data') {
  if (!text.trim()) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON, nothing was sent: ${error.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${what} must be a JSON object, as {"name": "Ada"}; nothing was sent`);
  }
  return value;
}

export const roleList = (text) => text.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);

export default class UsersView extends View {
  name = 'users';
  title = 'App users';
  page = { data: [], total: 0, limit: LIMIT, offset: 0, has_more: false };

  async load() {
    const search = new URLSearchParams(location.hash.split('?')[1] || '');
    this.filters = {
      email: search.get('email') || '', role: search.get('role') || '', disabled: search.get('disabled') || '',
      offset: Math.max(0, Number(search.get('offset')) || 0),
    };
    const f = this.filters;
    try {
      this.page = await this.api.get(this.path(`/users${this.api.query({
        email_contains: f.email, role: f.role, disabled: f.disabled, limit: LIMIT, offset: f.offset,
      })}`));
    } catch (error) {
      // A refused filter shows next to the filters, with the rest of the page.
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      this.errors.filters = { _form: error.message };
    }
  }

  routeWith(changes) {
    const f = { ...this.filters, ...changes };
    const query = this.api.query({ email: f.email, role: f.role, disabled: f.disabled, offset: f.offset || '' });
    return this.href(`/users${query}`);
  }

  filter(event) {
    event.preventDefault();
    const { email, role, disabled } = formValues(event.target);
    this.app.go(this.routeWith({ email, role, disabled, offset: 0 }));
  }

  async create(event) {
    event.preventDefault();
    const form = event.target;
    const values = formValues(form);
    let data;
    try {
      data = jsonObject(values.data);
    } catch (error) {
      this.errors.create = { data: error.message };
      this.update();
      return;
    }
    const body = { email: values.email, password: values.password, roles: roleList(values.roles) };
    if (data) body.data = data;
    const created = await this.act('create', ['email', 'password', 'roles', 'data'], () => this.api.post(this.path('/users'), body));
    if (created) this.app.go(this.href(`/users/${encodeURIComponent(created.id)}`));
  }

  render() {
    const f = this.filters;
    const { total, offset, data, has_more: more } = this.page;
    const writable = this.project.role !== 'viewer';
    const e = this.errors.create;
    return html`
      <div class="page-head"><h1>App users</h1><span class="muted" id="user-total">${total} user(s)</span></div>
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title" class="visually-hidden">Users</h2>
        <form id="user-filters" class="toolbar" role="search" @submit=${(ev) => this.filter(ev)}>
          <div><label for="user-email-filter">Email contains</label>
            <input id="user-email-filter" name="email" type="search" autocomplete="off" .value=${f.email}></div>
          <div><label for="user-role-filter">Role</label>
            <input id="user-role-filter" name="role" autocomplete="off" spellcheck="false" .value=${f.role} placeholder="any"></div>
          <div><label for="user-disabled-filter">Status</label>
            <select id="user-disabled-filter" name="disabled">
              <option value="" ?selected=${!f.disabled}>All</option>
              <option value="false" ?selected=${f.disabled === 'false'}>Active</option>
              <option value="true" ?selected=${f.disabled === 'true'}>Disabled</option></select></div>
          <div><button type="submit" id="user-filter-button">Apply</button></div>
        </form>
        ${formError(this.errors.filters)}
        <div id="user-list">${data.length ? html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Status</th>
            <th scope="col">Email verified</th><th scope="col">Created</th></tr></thead>
          <tbody>${data.map((u) => html`<tr data-id=${u.id} data-name=${u.email}>
            <td><a class="user-link" href=${this.href(`/users/${encodeURIComponent(u.id)}`)}>${u.email}</a></td>
            <td class="roles">${u.roles.length ? u.roles.join(', ') : html`<span class="muted">—</span>`}</td>
            <td>${badge(u.disabled ? 'disabled' : 'active')}</td>
            <td>${u.email_verified ? 'Yes' : 'No'}</td>
            <td>${time(u.created_at)}</td></tr>`)}</tbody></table></div>`
          : emptyState(f.email || f.role || f.disabled ? 'No users match these filters. Change or clear them.'
            : 'No app users yet. They sign up through your app (the client API), or create one below.')}</div>
        ${total ? html`<nav class="pager" aria-label="Pages">
          <span id="user-range">${data.length ? offset + 1 : 0}–${offset + data.length} of ${total}</span>
          <span class="buttons">
            <button type="button" id="previous-page" ?disabled=${offset === 0}
              @click=${() => this.app.go(this.routeWith({ offset: Math.max(0, offset - LIMIT) }))}>Previous</button>
            <button type="button" id="next-page" ?disabled=${!more}
              @click=${() => this.app.go(this.routeWith({ offset: offset + LIMIT }))}>Next</button></span>
        </nav>` : nothing}
      </section>

      ${writable ? html`<section class="card" aria-labelledby="new-user-title">
        <h2 id="new-user-title">New app user</h2>
        <form id="new-user-form" @submit=${(ev) => this.create(ev)}>
          <div class="form-grid">
            <div><label for="new-user-email">Email</label>
              <input id="new-user-email" name="email" type="email" required maxlength="254" autocomplete="off" aria-invalid=${invalid(e, 'email')}>
              ${errorFor(e, 'email')}</div>
            <div><label for="new-user-password">Password</label>
              <input id="new-user-password" name="password" type="password" required autocomplete="new-password" aria-invalid=${invalid(e, 'password')}>
              <small class="muted">8 characters or more. Give it to the user, or let them reset it.</small>
              ${errorFor(e, 'password')}</div>
            <div><label for="new-user-roles">Roles <span class="muted">(separated by commas)</span></label>
              <input id="new-user-roles" name="roles" autocomplete="off" spellcheck="false" placeholder="editor, admin" aria-invalid=${invalid(e, 'roles')}>
              ${errorFor(e, 'roles')}</div>
          </div>
          <label for="new-user-data">Data <span class="muted">(a JSON object, optional)</span></label>
          <textarea id="new-user-data" name="data" rows="3" spellcheck="false" placeholder='{"name": "Ada"}' aria-invalid=${invalid(e, 'data')}></textarea>
          ${errorFor(e, 'data')}${formError(e)}
          <button type="submit" class="primary" id="create-user-button" ?disabled=${this.busy === 'create'}>Create user</button>
        </form>
      </section>` : nothing}`;
  }
}
