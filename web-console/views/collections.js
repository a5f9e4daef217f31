// The project's collections: how many documents each holds, who may read and write them (app-user roles),
// their relations (which collection a reference field points at) and the fields they index; creating one,
// changing its settings, deleting it with everything in it.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { confirmAction, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

const ACTIONS = ['read', 'create', 'update', 'delete'];
// The request's fields: the server names the one it refuses (problem.field), and the form shows it there.
const FIELDS = ['name', 'permissions', 'relations', 'indexes'];

/** "editor, admin" → ['editor', 'admin']; empty → [] (public). */
const roleList = (text) => text.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);

/** "author: users" lines → {author: "users"}; a line that is not "field: collection" is the caller's to fix. */
export function parseRelations(text) {
  const relations = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const found = /^([^:\s]+)\s*(?::|->|→)\s*(\S+)$/.exec(line);
    if (!found) throw new Error(`relations line ${index + 1} must read "field: collection", as "author: users"`);
    relations[found[1]] = found[2];
  }
  return relations;
}

const relationLines = (relations) =>
  Object.entries(relations || {}).map(([field, target]) => `${field}: ${target.collection ?? target}`).join('\n');

export default class CollectionsView extends View {
  name = 'collections';
  title = 'Data';
  collections = [];
  editing = null; // the collection whose settings are open, or null

  async load() {
    this.collections = await this.api.get(this.path('/collections'));
  }

  async reload() {
    await this.load();
    this.update();
  }

  /** The request body of a settings form; a malformed relations line becomes that field's error. */
  settingsOf(form, key) {
    const values = formValues(form);
    const permissions = { owner_only: values.owner_only };
    for (const action of ACTIONS) permissions[action] = roleList(values[action]);
    try {
      return { permissions, relations: parseRelations(values.relations), indexes: roleList(values.indexes) };
    } catch (error) {
      this.errors[key] = { relations: error.message };
      this.update();
      return null;
    }
  }

  async create(event) {
    event.preventDefault();
    const form = event.target;
    const settings = this.settingsOf(form, 'create');
    if (!settings) return;
    const name = form.elements.name.value.trim();
    const created = await this.act('create', FIELDS, () => this.api.post(this.path('/collections'), { name, ...settings }));
    if (created) {
      form.reset();
      await this.reload();
    }
  }

  edit(collection) {
    this.editing = collection;
    delete this.errors.edit;
    this.update();
    queueMicrotask(() => document.getElementById('edit-read')?.focus());
  }

  async save(event) {
    event.preventDefault();
    const settings = this.settingsOf(event.target, 'edit');
    if (!settings) return;
    const name = this.editing.name;
    const saved = await this.act('edit', FIELDS, () =>
      this.api.patch(this.path(`/collections/${encodeURIComponent(name)}`), settings));
    if (saved) {
      this.editing = null;
      this.saved = name;
      await this.reload();
    }
  }

  async remove(collection) {
    const ok = await confirmAction({
      title: 'Delete collection',
      message: `This deletes ${collection.name} with its ${collection.document_count} document(s) and its indexes. It cannot be undone.`,
      confirmLabel: 'Delete collection', typed: collection.name,
    });
    if (ok && await this.act('list', [], () =>
      this.api.del(this.path(`/collections/${encodeURIComponent(collection.name)}`)).then(() => true))) {
      if (this.editing?.name === collection.name) this.editing = null;
      await this.reload();
    }
  }

  render() {
    const writable = this.project.role !== 'viewer';
    return html`
      <div class="page-head"><h1>Data</h1></div>
      <section class="card" aria-labelledby="collections-title">
        <h2 id="collections-title">Collections</h2>
        <p class="muted">Permissions list the app-user roles allowed each action; an empty list means anyone with the
          project's client key. Members of the project and server keys always read and write everything.</p>
        <div id="collections-error">${formError(this.errors.list)}</div>
        ${this.saved ? html`<p class="muted" role="status" id="collection-saved">Saved ${this.saved}.</p>` : nothing}
        <div id="collection-list">${table([
          { label: 'Name', cell: (c) => html`<a class="collection-link" href=${this.href(`/data/${encodeURIComponent(c.name)}`)}>${c.name}</a>` },
          { label: 'Documents', class: 'num', cell: (c) => html`<span class="document-count">${c.document_count}</span>` },
          { label: 'Permissions', cell: (c) => permissionsCell(c.permissions) },
          { label: 'Relations', cell: (c) => relationsCell(c.relations) },
          { label: 'Indexes', cell: (c) => (c.indexes?.length
            ? html`<span class="indexes">${c.indexes.map((f) => html`<code>${f}</code> `)}</span>` : html`<span class="muted">—</span>`) },
          { label: 'Created', cell: (c) => time(c.created_at) },
          { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (c) => writable ? html`<span class="buttons">
            <button type="button" class="edit-collection-button" aria-label="Edit the settings of ${c.name}" @click=${() => this.edit(c)}>Edit</button>
            <button type="button" class="danger delete-collection-button" aria-label="Delete ${c.name}" @click=${() => this.remove(c)}>Delete</button></span>` : nothing },
        ], this.collections, {
          empty: 'No collections yet. Create one below, or let your app or a function write its first document: the collection appears with it.',
          key: (c) => c.name, rowAttrs: (c) => c.name,
        })}</div>
      </section>
      ${this.editing && writable ? this.settingsForm('edit', this.editing) : nothing}
      ${writable ? this.settingsForm('create', null) : html`<p class="muted">Viewers cannot create or change collections.</p>`}`;
  }

  /** The form that creates a collection (collection null) or changes one's settings. */
  settingsForm(key, collection) {
    const e = this.errors[key];
    const id = (field) => `${key}-${field}`;
    const permissions = collection?.permissions || {};
    const title = collection ? html`Settings of <code>${collection.name}</code>` : 'New collection';
    return html`<section class="card collection-form" id=${`${key}-collection`} aria-labelledby=${id('title')}>
      <h2 id=${id('title')}>${title}</h2>
      <form id=${`${key}-collection-form`} @submit=${(ev) => (collection ? this.save(ev) : this.create(ev))}>
        ${collection ? nothing : html`<label for=${id('name')}>Name</label>
          <input id=${id('name')} name="name" required maxlength="64" spellcheck="false" autocomplete="off"
            aria-describedby=${id('name-hint')} aria-invalid=${invalid(e, 'name')}>
          <small id=${id('name-hint')} class="muted">Letters, digits, _ and -, starting with a letter or _.</small>
          ${errorFor(e, 'name')}`}
        <fieldset class="permissions" aria-invalid=${invalid(e, 'permissions')}>
          <legend>Permissions <span class="muted">(roles, separated by commas; empty = public)</span></legend>
          <div class="form-grid">${ACTIONS.map((action) => html`<div>
            <label for=${id(action)}>${action[0].toUpperCase() + action.slice(1)}</label>
            <input id=${id(action)} name=${action} spellcheck="false" autocomplete="off" placeholder="public"
              .value=${(permissions[action] || []).join(', ')}></div>`)}</div>
          <label class="check"><input type="checkbox" name="owner_only" id=${id('owner-only')} .checked=${!!permissions.owner_only}>
            Only a document's creator may update or delete it</label>
          ${errorFor(e, 'permissions')}
        </fieldset>
        <div class="settings-grid">
          <div><label for=${id('relations')}>Relations <span class="muted">(one per line: field: collection)</span></label>
            <textarea id=${id('relations')} name="relations" rows="3" spellcheck="false" placeholder="author: users"
              aria-invalid=${invalid(e, 'relations')} .value=${relationLines(collection?.relations)}></textarea>
            <small class="muted"><code>appuser</code> names the project's app users.</small>
            ${errorFor(e, 'relations')}</div>
          <div><label for=${id('indexes')}>Indexed fields <span class="muted">(separated by commas)</span></label>
            <input id=${id('indexes')} name="indexes" spellcheck="false" autocomplete="off" placeholder="views, author.name"
              aria-invalid=${invalid(e, 'indexes')} .value=${(collection?.indexes || []).join(', ')}>
            <small class="muted">For sorting and range filters on large collections; equality needs none.</small>
            ${errorFor(e, 'indexes')}</div>
        </div>
        ${formError(e)}
        <span class="buttons">
          <button type="submit" class="primary" id=${`${key}-collection-button`} ?disabled=${this.busy === key}>
            ${collection ? 'Save settings' : 'Create collection'}</button>
          ${collection ? html`<button type="button" @click=${() => { this.editing = null; this.update(); }}>Cancel</button>` : nothing}
        </span>
      </form>
    </section>`;
  }
}

function permissionsCell(permissions = {}) {
  return html`<dl class="rules">${ACTIONS.map((action) => html`<dt>${action}</dt>
    <dd data-rule=${action}>${permissions[action]?.length ? permissions[action].join(', ') : html`<span class="muted">public</span>`}</dd>`)}
    ${permissions.owner_only ? html`<dt>owner</dt><dd data-rule="owner_only">creator only</dd>` : nothing}</dl>`;
}

function relationsCell(relations = {}) {
  const entries = Object.entries(relations);
  if (!entries.length) return html`<span class="muted">—</span>`;
  return html`<ul class="relations">${entries.map(([field, target]) =>
    html`<li data-relation=${field}><code>${field}</code> → ${target.collection ?? target}</li>`)}</ul>`;
}
