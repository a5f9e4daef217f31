// A project's settings: its name and origin, members and invitations, API keys (shown once), the browser
// origins allowed to call it (CORS), its share of the runtime, and deleting it.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { capitalize, confirmAction, copyButton, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

const MANAGERS = new Set(['admin', 'owner']);
const ROLES = ['viewer', 'developer', 'admin', 'owner'];

export default class SettingsView extends View {
  name = 'settings';
  title = 'Settings';
  members = [];
  invitations = [];
  keys = [];
  cors = { allowed_origins: [] };
  limits = {};
  newKey = null; // the key just created: shown once, never again
  invited = false;

  get manager() {
    return MANAGERS.has(this.project.role);
  }

  /** Limits are the operator's to set: an instance administrator's. */
  get admin() {
    return this.app.account.instance_admin === true;
  }

  async load() {
    const p = (suffix) => this.api.get(this.path(suffix));
    [this.details, this.members, this.keys, this.cors, this.limits, this.invitations] = await Promise.all([
      p(''), p('/members'), p('/keys'), p('/cors'), p('/limits'), this.manager ? p('/invitations') : [],
    ]);
  }

  async reload() {
    await this.load();
    this.update();
  }

  async rename(event) {
    event.preventDefault();
    const { name, slug } = formValues(event.target);
    const updated = await this.act('project', ['name', 'slug'], () => this.api.patch(this.path(), { name, slug }));
    if (updated) {
      await this.app.reloadProjects();
      this.app.go(`#/p/${encodeURIComponent(updated.slug)}/settings`);
    }
  }

  async invite(event) {
    event.preventDefault();
    const form = event.target;
    this.invited = false;
    const done = await this.act('invite', ['email', 'role'], () => this.api.post(this.path('/members'), formValues(form)));
    if (done) {
      form.reset();
      this.invited = true;
      await this.reload();
    }
  }

  async changeRole(member, role) {
    if (await this.act('members', ['role'], () => this.api.patch(this.path(`/members/${member.id}`), { role }))) {
      await this.reload();
    }
  }

  async removeMember(member) {
    const ok = await confirmAction({ title: 'Remove member', message: `Remove ${member.email} from ${this.project.name}?`, confirmLabel: 'Remove' });
    if (ok && await this.act('members', [], () => this.api.del(this.path(`/members/${member.id}`)).then(() => true))) {
      await this.reload();
    }
  }

  async revokeInvitation(invitation) {
    if (await this.act('members', [], () => this.api.del(this.path(`/invitations/${invitation.id}`)).then(() => true))) {
      await this.reload();
    }
  }

  async createKey(kind) {
    const field = document.getElementById('new-key-name');
    const name = field.value.trim();
    this.newKey = null;
    const created = await this.act('keys', ['name', 'kind'], () => this.api.post(this.path('/keys'), name ? { kind, name } : { kind }));
    if (created) {
      field.value = '';
      this.newKey = created;
      await this.reload();
    }
  }

  async revokeKey(key) {
    const ok = await confirmAction({ title: 'Revoke key', message: `Revoke the ${key.kind} key ${key.name || key.prefix}? Apps using it stop working at once.`, confirmLabel: 'Revoke' });
    if (ok && await this.act('keys', [], () => this.api.del(this.path(`/keys/${encodeURIComponent(key.id)}`)).then(() => true))) {
      await this.reload();
    }
  }

  async saveCors(event) {
    event.preventDefault();
    const text = event.target.elements.allowed_origins.value;
    const allowed_origins = text.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
    const saved = await this.act('cors', ['allowed_origins'], () => this.api.put(this.path('/cors'), { allowed_origins }));
    if (saved) {
      this.cors = saved;
      this.corsSaved = true;
      this.update();
    }
  }

  async saveLimits(event) {
    event.preventDefault();
    const saved = await this.act('limits', ['concurrent_calls', 'queued_calls'], () =>
      this.api.put(this.path('/limits'), formValues(event.target)));
    if (saved) {
      this.limits = saved;
      this.limitsSaved = true;
      this.update();
    }
  }

  async deleteProject() {
    const ok = await confirmAction({
      title: 'Delete project',
      message: `This deletes ${this.project.name} with all its functions, data, users, files, secrets and mail. It cannot be undone.`,
      confirmLabel: 'Delete project', typed: this.project.slug,
    });
    if (ok && await this.act('delete', [], () => this.api.del(this.path()).then(() => true))) {
      await this.app.reloadProjects();
      this.app.go('#/');
    }
  }

  render() {
    const p = this.details || this.project;
    const e = this.errors;
    return html`
      <div class="page-head"><h1 id="project-name">${p.name}</h1></div>
      <section class="card" aria-labelledby="project-title">
        <h2 id="project-title">Project</h2>
        <dl class="facts">
          <dt>Slug</dt><dd><code id="project-slug">${p.slug}</code></dd>
          <dt>ID</dt><dd><code id="project-id">${p.id}</code></dd>
          <dt>Your role</dt><dd id="project-role">${capitalize(p.role)}</dd>
          <dt>Origin</dt><dd id="project-origin">${p.origin ? html`<code>${p.origin}</code> ${copyButton(p.origin)}`
            : html`<span class="muted">None: this server gives projects no origins of their own (coco.public-domain is not set). Functions and sites answer under the server's address.</span>`}</dd>
        </dl>
        ${this.manager ? html`<form id="project-form" class="form-grid" @submit=${(ev) => this.rename(ev)}>
          <div><label for="project-name-input">Name</label>
            <input id="project-name-input" name="name" .value=${p.name} required maxlength="200" aria-invalid=${invalid(e.project, 'name')}>
            ${errorFor(e.project, 'name')}</div>
          <div><label for="project-slug-input">Slug</label>
            <input id="project-slug-input" name="slug" .value=${p.slug} required maxlength="40" spellcheck="false" aria-invalid=${invalid(e.project, 'slug')}>
            <small class="muted">Changing it changes the project's URLs.</small>
            ${errorFor(e.project, 'slug')}</div>
          <div class="form-foot">${formError(e.project)}<button type="submit" class="primary" ?disabled=${this.busy === 'project'}>Save</button></div>
        </form>` : nothing}
      </section>

      ${this.renderMembers()}
      ${this.renderKeys()}

      <section class="card" aria-labelledby="cors-title">
        <h2 id="cors-title">Allowed browser origins (CORS)</h2>
        <p class="muted">Pages on these origins may call the client API and the function URLs. <code>*</code> allows any origin.</p>
        <form id="cors-form" @submit=${(ev) => this.saveCors(ev)}>
          <label for="cors-origins">Origins, one per line</label>
          <textarea id="cors-origins" name="allowed_origins" rows="3" ?disabled=${!this.manager}
            aria-invalid=${invalid(e.cors, 'allowed_origins')} @input=${() => { this.corsSaved = false; }}
            .value=${this.cors.allowed_origins.join('\n')}></textarea>
          ${errorFor(e.cors, 'allowed_origins')}${formError(e.cors)}
          ${this.manager ? html`<button type="submit" id="save-cors-button" ?disabled=${this.busy === 'cors'}>Save origins</button>` : nothing}
          ${this.corsSaved ? html`<span class="muted" role="status">Saved.</span>` : nothing}
        </form>
      </section>

      <section class="card" aria-labelledby="limits-title">
        <h2 id="limits-title">Limits</h2>
        <p class="muted">The project's share of the Python runtime. Empty means the server's default.
          ${this.admin ? '' : 'Only an instance administrator may change them.'}</p>
        <form id="limits-form" class="form-grid" @submit=${(ev) => this.saveLimits(ev)}>
          <div><label for="concurrent-calls">Calls running at once</label>
            <input id="concurrent-calls" name="concurrent_calls" type="number" min="1" max="256" ?disabled=${!this.admin}
              .value=${this.limits.concurrent_calls ?? ''} placeholder="default" aria-invalid=${invalid(e.limits, 'concurrent_calls')}>
            ${errorFor(e.limits, 'concurrent_calls')}</div>
          <div><label for="queued-calls">Calls waiting for a slot</label>
            <input id="queued-calls" name="queued_calls" type="number" min="0" max="10000" ?disabled=${!this.admin}
              .value=${this.limits.queued_calls ?? ''} placeholder="default" aria-invalid=${invalid(e.limits, 'queued_calls')}>
            ${errorFor(e.limits, 'queued_calls')}</div>
          <div class="form-foot">${formError(e.limits)}
            ${this.admin ? html`<button type="submit" id="save-limits-button" ?disabled=${this.busy === 'limits'}>Save limits</button>` : nothing}
            ${this.limitsSaved ? html`<span class="muted" role="status">Saved.</span>` : nothing}</div>
        </form>
      </section>

      ${p.role === 'owner' ? html`<section class="card danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete this project</h2>
        <p class="muted">Everything in it is deleted: functions and their executions, data, app users, files, secrets and mail.</p>
        ${formError(e.delete)}
        <button type="button" id="delete-project-button" class="danger" @click=${() => this.deleteProject()}>Delete project…</button>
      </section>` : nothing}`;
  }

  renderMembers() {
    const e = this.errors;
    return html`<section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      ${this.manager ? html`<form id="invite-form" class="inline-form" @submit=${(ev) => this.invite(ev)}>
        <label for="invite-email">Invite by email</label>
        <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" aria-invalid=${invalid(e.invite, 'email')}>
        <select id="invite-role" name="role" aria-label="Role">${ROLES.map((r) => html`<option value=${r} ?selected=${r === 'developer'}>${capitalize(r)}</option>`)}</select>
        <span class="buttons"><button id="invite-button" type="submit" ?disabled=${this.busy === 'invite'}>Invite</button></span>
      </form>
      ${errorFor(e.invite, 'email')}${errorFor(e.invite, 'role')}${formError(e.invite)}
      ${this.invited ? html`<p id="invite-sent" class="muted" role="status">Invitation sent. It becomes a membership when they accept it in their console (within 7 days).</p>` : nothing}`
      : html`<p class="muted">Only admins and owners of the project can invite members or change roles.</p>`}
      <div id="members-error">${formError(e.members)}${errorFor(e.members, 'role')}</div>
      ${table([
        { label: 'Email', cell: (m) => m.email },
        { label: 'Name', cell: (m) => m.name || '—' },
        { label: 'Role', cell: (m) => this.manager ? html`<select aria-label="Role of ${m.email}" class="member-role"
            @change=${(ev) => this.changeRole(m, ev.target.value)}>${ROLES.map((r) => html`<option value=${r} ?selected=${r === m.role}>${capitalize(r)}</option>`)}</select>`
          : capitalize(m.role) },
        { label: 'Added', cell: (m) => time(m.created_at) },
        { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (m) => this.manager
          ? html`<button type="button" class="danger" @click=${() => this.removeMember(m)}>Remove</button>` : nothing },
      ], this.members, { empty: 'No members.' })}
      ${this.invitations.length ? html`<div id="pending-invitations"><h3>Pending invitations</h3>
        <div id="invitation-list">${table([
          { label: 'Email', cell: (i) => i.email },
          { label: 'Role', cell: (i) => capitalize(i.role) },
          { label: 'Expires', cell: (i) => time(i.expires_at) },
          { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (i) =>
            html`<button type="button" class="danger" aria-label="Revoke the invitation of ${i.email}" @click=${() => this.revokeInvitation(i)}>Revoke</button>` },
        ], this.invitations)}</div></div>` : nothing}
    </section>`;
  }

  renderKeys() {
    const e = this.errors;
    return html`<section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p class="muted">Client keys are for apps and browsers; server keys are secret and belong on your servers only.</p>
      ${this.manager ? html`<form id="new-key-form" class="inline-form" @submit=${(ev) => ev.preventDefault()}>
        <label for="new-key-name">Key name <span class="muted">(optional)</span></label>
        <input id="new-key-name" name="name" type="text" maxlength="200" aria-invalid=${invalid(e.keys, 'name')}>
        <span class="buttons">
          <button id="create-client-key-button" type="button" ?disabled=${this.busy === 'keys'} @click=${() => this.createKey('client')}>Create client key</button>
          <button id="create-server-key-button" type="button" ?disabled=${this.busy === 'keys'} @click=${() => this.createKey('server')}>Create server key</button>
        </span>
      </form>${errorFor(e.keys, 'name')}`
      : html`<p id="keys-readonly-note" class="muted">Only admins and owners of the project can create or revoke keys.</p>`}
      ${this.newKey ? html`<div id="new-key" class="new-key" role="status">
        <p><strong>Your new <span id="new-key-kind">${this.newKey.kind}</span> key.</strong> Copy it now: it will not be shown again.</p>
        <code id="new-key-value" class="secret">${this.newKey.key}</code>
        <span class="buttons">${copyButton(this.newKey.key)}
          <button id="dismiss-key-button" type="button" @click=${() => { this.newKey = null; this.update(); }}>Done</button></span>
      </div>` : nothing}
      <div id="keys-error">${formError(e.keys)}</div>
      <div id="key-list">${table([
        { label: 'Kind', cell: (k) => capitalize(k.kind) },
        { label: 'Name', cell: (k) => k.name || '—' },
        { label: 'Prefix', cell: (k) => html`<code>${k.prefix}…</code>` },
        { label: 'Created', cell: (k) => time(k.created_at) },
        { label: 'Last used', cell: (k) => time(k.last_used_at, 'Never') },
        { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (k) => this.manager
          ? html`<button type="button" class="danger revoke-key-button" data-key-id=${k.id} @click=${() => this.revokeKey(k)}>Revoke</button>` : nothing },
      ], this.keys, { empty: 'No API keys yet. Create a client key for your app.' })}</div>
    </section>`;
  }
}
