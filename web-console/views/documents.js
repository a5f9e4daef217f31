// One collection's documents: a page of them with the filter language in a search box, sorting and paging
// (kept in the route's query, so a filtered page can be reloaded and shared), and a JSON editor to create or
// change a document. JSON that does not parse is refused here; the server's refusals show next to the editor.
// For the project's admins, the collection's webhook (docs/hooks.md#collection-webhooks): its URL, set, changed
// or removed, and its signing secret shown once, when setting the URL made the webhook.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { ApiError } from '../lib/api.js';
import { confirmAction, copyButton, emptyState, json, time } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';

const PAGE_SIZES = [10, 25, 50, 100];
const DEFAULT_LIMIT = 25;
const SHOWN_FIELDS = 4; // top-level fields shown as columns; the editor shows all
// A webhook's answers carry its signing secret, so the admin API keeps them to the project's admins.
const WEBHOOK_ADMINS = new Set(['admin', 'owner']);

/** The page's state from the route's query: ?filter=...&sort=...&order=...&limit=...&offset=... */
function stateOf(hash) {
  const search = new URLSearchParams(hash.split('?')[1] || '');
  const limit = Number(search.get('limit')) || DEFAULT_LIMIT;
  return {
    filter: search.get('filter') || '',
    sort: search.get('sort') || 'created_at',
    order: search.get('order') === 'asc' ? 'asc' : 'desc',
    limit,
    offset: Math.max(0, Number(search.get('offset')) || 0),
  };
}

/**
 * The filter box's text as query parameters, in the client API's language: `status=published&views_gte=100`
 * (also one per line, or separated by spaces outside values). Repeated keys stay repeated (`[or]` groups).
 */
export function filterParams(text) {
  const params = [];
  for (const part of text.split(/&|\n|\s+(?=[^\s=&]+=)/)) {
    const item = part.trim();
    if (!item) continue;
    const at = item.indexOf('=');
    if (at <= 0) throw new Error(`"${item}" is not a filter: write field=value, as status=published or views_gte=100`);
    params.push([item.slice(0, at).trim(), item.slice(at + 1).trim()]);
  }
  return params;
}

/** A top-level value in a table cell: text as it is, anything else as compact JSON, cut short. */
function cellText(value) {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export default class DocumentsView extends View {
  name = 'documents';
  collection = null;
  page = { data: [], total: 0, limit: DEFAULT_LIMIT, offset: 0, has_more: false };
  editing = null; // null, {id: null} for a new document, or the document being edited
  text = '';
  webhook = null; // the collection's webhook (admins only), or null when it has none
  newSecret = null; // the secret of the webhook this page just made: shown until dismissed, never again

  constructor(app, params) {
    super(app, params);
    this.title = params.collection;
  }

  get base() {
    return `/collections/${encodeURIComponent(this.params.collection)}`;
  }

  async load() {
    this.state = stateOf(location.hash);
    this.collection = await this.api.get(this.path(this.base));
    await Promise.all([this.fetchPage(), this.fetchWebhook()]);
  }

  get webhookAdmin() {
    return WEBHOOK_ADMINS.has(this.project.role);
  }

  /** The collection's webhook; the API answers 404 when there is none. */
  async fetchWebhook() {
    if (!this.webhookAdmin) return;
    try {
      this.webhook = await this.api.get(this.path(`${this.base}/webhook`));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      this.webhook = null;
    }
  }

  async setWebhook(event) {
    event.preventDefault();
    const made = !this.webhook; // a new webhook gets a new secret; changing the URL keeps the old one
    this.newSecret = null;
    const url = event.target.elements.url.value.trim();
    const saved = await this.act('webhook', ['url', 'webhook_url'],
      () => this.api.put(this.path(`${this.base}/webhook`), { url }));
    // The address policy names the client API's field (webhook_url); here it is this form's one field.
    if (this.errors.webhook?.webhook_url) {
      this.errors.webhook = { url: this.errors.webhook.webhook_url };
      this.update();
    }
    if (saved) {
      this.webhook = saved;
      if (made) this.newSecret = saved.secret;
      event.target.reset();
      this.update();
    }
  }

  async removeWebhook() {
    const ok = await confirmAction({
      title: 'Remove webhook',
      message: `Stop sending ${this.params.collection}'s document events to ${this.webhook.url}? Its secret is forgotten:`
        + ' a webhook set later gets a new one.',
      confirmLabel: 'Remove webhook',
    });
    if (ok && await this.act('webhook', [], () => this.api.del(this.path(`${this.base}/webhook`)).then(() => true))) {
      this.webhook = null;
      this.newSecret = null;
      this.update();
    }
  }

  /** Loads the page the state names; a refused filter or sort shows next to its field, not instead of the page. */
  async fetchPage() {
    const { filter, sort, order, limit, offset } = this.state;
    const search = new URLSearchParams();
    try {
      for (const [key, value] of filterParams(filter)) search.append(key, value);
    } catch (error) {
      this.errors.query = { filter: error.message };
      return;
    }
    search.set('sort', sort);
    search.set('order', order);
    search.set('limit', String(limit));
    search.set('offset', String(offset));
    try {
      this.page = await this.api.get(this.path(`${this.base}/documents?${search}`));
      delete this.errors.query;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      const about = /^(sort|order)\b/.test(error.message) ? 'sort'
        : /^(limit|offset)\b/.test(error.message) ? '_form' : 'filter';
      this.errors.query = { [about]: error.message };
      this.page = { data: [], total: 0, limit, offset, has_more: false };
    }
  }

  crumbs() {
    return [['Data', this.href('/data')], [this.params.collection]];
  }

  /** The route of this collection with a changed query (filter, sort, order, limit, offset). */
  routeWith(changes) {
    const state = { ...this.state, ...changes };
    const search = new URLSearchParams();
    if (state.filter) search.set('filter', state.filter);
    if (state.sort !== 'created_at') search.set('sort', state.sort);
    if (state.order !== 'desc') search.set('order', state.order);
    if (state.limit !== DEFAULT_LIMIT) search.set('limit', String(state.limit));
    if (state.offset) search.set('offset', String(state.offset));
    const query = search.toString();
    return this.href(`/data/${encodeURIComponent(this.params.collection)}${query ? `?${query}` : ''}`);
  }

  search(event) {
    event.preventDefault();
    const form = event.target.elements;
    this.app.go(this.routeWith({
      filter: form.filter.value.trim(), sort: form.sort.value.trim() || 'created_at',
      order: form.order.value, limit: Number(form.limit.value), offset: 0,
    }));
  }

  sortBy(field) {
    const order = this.state.sort === field && this.state.order === 'desc' ? 'asc' : 'desc';
    this.app.go(this.routeWith({ sort: field, order, offset: 0 }));
  }

  open(document) {
    this.editing = document || { id: null };
    this.text = document ? json(document.data) : '{\n  \n}';
    delete this.errors.editor;
    this.saved = null;
    this.update();
    queueMicrotask(() => {
      const editor = window.document.getElementById('document-editor');
      editor?.refresh();
      editor?.focus();
    });
  }

  close() {
    this.editing = null;
    this.update();
  }

  /** The editor's JSON as an object, or null after saying (next to the editor) why it is not one. */
  parsed() {
    let value;
    try {
      value = JSON.parse(this.text);
    } catch (error) {
      this.errors.editor = { data: `Invalid JSON, nothing was sent: ${error.message}` };
      this.update();
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.errors.editor = { data: 'A document is a JSON object of fields, as {"title": "Hello"}; nothing was sent.' };
      this.update();
      return null;
    }
    return value;
  }

  async saveDocument(event) {
    event.preventDefault();
    const data = this.parsed();
    if (!data) return;
    const id = this.editing.id;
    let body = data;
    if (id) {
      // The API merges the fields given into the stored ones: a field taken out of the JSON is sent as null.
      body = { ...data };
      for (const field of Object.keys(this.editing.data)) if (!(field in body)) body[field] = null;
    }
    const saved = await this.act('editor', ['data'], () => (id
      ? this.api.patch(this.path(`${this.base}/documents/${encodeURIComponent(id)}`), { data: body })
      : this.api.post(this.path(`${this.base}/documents`), { data: body })));
    // The editor is the form's one field: whatever the server refuses is about it.
    if (this.errors.editor?._form) {
      this.errors.editor = { data: this.errors.editor._form };
      this.update();
    }
    if (saved) {
      this.editing = null;
      this.saved = saved.id;
      this.collection = await this.api.get(this.path(this.base));
      await this.fetchPage();
      this.update();
    }
  }

  async remove(document) {
    const ok = await confirmAction({
      title: 'Delete document',
      message: `Delete the document ${document.id} from ${this.params.collection}? It cannot be undone.`,
    });
    if (ok && await this.act('list', [], () =>
      this.api.del(this.path(`${this.base}/documents/${encodeURIComponent(document.id)}`)).then(() => true))) {
      if (this.editing?.id === document.id) this.editing = null;
      this.saved = null;
      this.collection = await this.api.get(this.path(this.base));
      await this.fetchPage();
      this.update();
    }
  }

  render() {
    const writable = this.project.role !== 'viewer';
    const { total } = this.page;
    return html`
      <div class="page-head"><h1><code>${this.params.collection}</code></h1>
        <span class="muted" id="collection-count">${this.collection.document_count} document(s)</span>
        ${writable ? html`<button type="button" class="primary" id="new-document-button" @click=${() => this.open(null)}>New document</button>` : nothing}</div>
      ${this.editing ? this.renderEditor() : nothing}
      ${this.saved ? html`<p class="muted" role="status" id="document-saved">Saved document <code>${this.saved}</code>.</p>` : nothing}
      <section class="card" aria-labelledby="documents-title">
        <h2 id="documents-title" class="visually-hidden">Documents</h2>
        ${this.renderQueryForm()}
        <div id="documents-error">${formError(this.errors.list)}</div>
        <div id="document-list">${this.renderTable()}</div>
        ${total ? this.renderPager() : nothing}
      </section>
      ${this.webhookAdmin ? this.renderWebhook() : nothing}`;
  }

  renderWebhook() {
    const e = this.errors.webhook;
    const w = this.webhook;
    return html`<section class="card" id="webhook" aria-labelledby="webhook-title">
      <h2 id="webhook-title">Webhook</h2>
      <p class="muted">Each create, update and delete of a document here is POSTed to this URL as CocoBase sends it,
        signed in <code>X-Coco-Signature</code> (HMAC-SHA256 of the body under the secret); an answer other than 2xx
        is tried again, up to 6 attempts by default.</p>
      ${w ? html`<dl class="facts webhook-state">
          <dt>URL</dt><dd><code id="webhook-url">${w.url}</code></dd>
          <dt>Signing secret</dt><dd id="webhook-secret-state">${w.secret ? 'set' : 'none'}</dd>
          <dt>Changed</dt><dd>${time(w.updated_at)}</dd></dl>`
        : html`<p id="webhook-url" class="muted">No webhook: set a URL to receive this collection's events.</p>`}
      ${this.newSecret ? html`<div id="webhook-new-secret" class="new-key" role="status">
        <p><strong>The webhook's signing secret.</strong> Copy it now: it will not be shown again.</p>
        <code id="webhook-secret" class="secret">${this.newSecret}</code>
        <span class="buttons">${copyButton(this.newSecret)}
          <button type="button" id="dismiss-secret-button" @click=${() => { this.newSecret = null; this.update(); }}>Done</button></span>
      </div>` : nothing}
      <form id="webhook-form" class="toolbar" @submit=${(ev) => this.setWebhook(ev)}>
        <div class="filter-field"><label for="webhook-url-input">${w ? 'New URL' : 'URL'}</label>
          <input id="webhook-url-input" name="url" type="url" required maxlength="2000" spellcheck="false" autocomplete="off"
            placeholder="https://example.com/hooks/${this.params.collection}" aria-invalid=${invalid(e, 'url')}></div>
        <div><span class="buttons">
          <button type="submit" class="primary" id="set-webhook-button" ?disabled=${this.busy === 'webhook'}>${w ? 'Change URL' : 'Set webhook'}</button>
          ${w ? html`<button type="button" class="danger" id="remove-webhook-button" @click=${() => this.removeWebhook()}>Remove</button>` : nothing}
        </span></div>
      </form>
      ${errorFor(e, 'url')}${formError(e)}
    </section>`;
  }

  renderQueryForm() {
    const e = this.errors.query;
    const s = this.state;
    return html`<form id="document-query" class="toolbar document-query" role="search" @submit=${(ev) => this.search(ev)}>
      <div class="filter-field"><label for="document-filter">Filter</label>
        <input id="document-filter" name="filter" type="search" spellcheck="false" autocomplete="off" .value=${s.filter}
          placeholder="status=published&views_gte=100" aria-describedby="document-filter-hint" aria-invalid=${e?.filter ? 'true' : 'false'}></div>
      <div><label for="document-sort">Sort by</label>
        <input id="document-sort" name="sort" spellcheck="false" autocomplete="off" .value=${s.sort} size="12"
          aria-invalid=${e?.sort ? 'true' : 'false'}></div>
      <div><label for="document-order">Order</label>
        <select id="document-order" name="order">
          <option value="desc" ?selected=${s.order === 'desc'}>Descending</option>
          <option value="asc" ?selected=${s.order === 'asc'}>Ascending</option></select></div>
      <div><label for="document-limit">Per page</label>
        <select id="document-limit" name="limit">${[...new Set([...PAGE_SIZES, s.limit])].sort((a, b) => a - b).map((n) =>
          html`<option value=${n} ?selected=${n === s.limit}>${n}</option>`)}</select></div>
      <div><button type="submit" id="document-search-button">Apply</button></div>
    </form>
    <small id="document-filter-hint" class="muted">The client API's filters: <code>field=value</code>,
      <code>views_gte=100</code>, <code>tags_contains=java</code>, <code>address.city=Paris</code>,
      <code>[or]status=draft&[or]featured=true</code>, joined by <code>&</code>.</small>
    ${errorFor(e, 'filter')}${errorFor(e, 'sort')}${formError(e)}`;
  }

  renderTable() {
    const rows = this.page.data;
    if (!rows.length) {
      return emptyState(this.state.filter ? 'No documents match this filter. Change or clear it.'
        : html`No documents in ${this.params.collection} yet. Create one with “New document”, or write one from your app or a function.`);
    }
    const fields = [];
    for (const row of rows) {
      for (const field of Object.keys(row.data)) if (!fields.includes(field) && fields.length < SHOWN_FIELDS) fields.push(field);
    }
    const writable = this.project.role !== 'viewer';
    const sortHeader = (field, label) => {
      const active = this.state.sort === field;
      const arrow = active ? (this.state.order === 'asc' ? ' ▲' : ' ▼') : '';
      return html`<th scope="col" aria-sort=${active ? (this.state.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" class="link sort-button" data-sort=${field} @click=${() => this.sortBy(field)}>${label}${arrow}</button></th>`;
    };
    return html`<div class="table-wrap"><table class="documents">
      <thead><tr>${sortHeader('id', 'ID')}${sortHeader('created_at', 'Created')}
        ${fields.map((f) => sortHeader(f, f))}<th scope="col">Owner</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${rows.map((d) => html`<tr data-id=${d.id}>
        <td><button type="button" class="link document-id" @click=${() => this.open(d)}><code>${d.id}</code></button></td>
        <td>${time(d.created_at)}</td>
        ${fields.map((f) => html`<td data-field=${f} class="field-cell">${cellText(d.data[f])}</td>`)}
        <td class="owner">${d.owner_id ? html`<a href=${this.href(`/users/${encodeURIComponent(d.owner_id)}`)}><code>${d.owner_id}</code></a>` : html`<span class="muted">—</span>`}</td>
        <td class="actions"><span class="buttons">
          <button type="button" class="edit-document-button" @click=${() => this.open(d)}>${writable ? 'Edit' : 'View'}</button>
          ${writable ? html`<button type="button" class="danger delete-document-button" aria-label="Delete ${d.id}" @click=${() => this.remove(d)}>Delete</button>` : nothing}
        </span></td></tr>`)}</tbody></table></div>`;
  }

  renderPager() {
    const { total, limit, offset, has_more: more, data } = this.page;
    const first = data.length ? offset + 1 : 0;
    return html`<nav class="pager" aria-label="Pages">
      <span id="document-range">${first}–${offset + data.length} of <span id="document-total">${total}</span></span>
      <span class="buttons">
        <button type="button" id="previous-page" ?disabled=${offset === 0}
          @click=${() => this.app.go(this.routeWith({ offset: Math.max(0, offset - limit) }))}>Previous</button>
        <button type="button" id="next-page" ?disabled=${!more}
          @click=${() => this.app.go(this.routeWith({ offset: offset + limit }))}>Next</button></span>
    </nav>`;
  }

  renderEditor() {
    const e = this.errors.editor;
    const id = this.editing.id;
    const writable = this.project.role !== 'viewer';
    return html`<section class="card document-editor" aria-labelledby="document-editor-title">
      <h2 id="document-editor-title">${id ? html`Document <code id="editing-id">${id}</code>` : 'New document'}</h2>
      ${id ? html`<p class="muted">Created ${time(this.editing.created_at)} · updated ${time(this.editing.updated_at)}
        ${this.editing.owner_id ? html` · owner <code>${this.editing.owner_id}</code>` : nothing}</p>`
        : html`<p class="muted">The document's fields as a JSON object. An <code>"id"</code> field sets its id; otherwise one is made.</p>`}
      <form id="document-form" @submit=${(ev) => this.saveDocument(ev)}>
        <code-editor id="document-editor" mode="javascript" aria-label="Document JSON" ?readonly=${!writable}
          aria-invalid=${e?.data ? 'true' : 'false'} .value=${this.text}
          @input=${(ev) => { this.text = ev.target.value; }}></code-editor>
        ${errorFor(e, 'data')}${formError(e)}
        ${id ? html`<small class="muted">Saving merges these fields into the document; a field you remove is kept as null.</small>` : nothing}
        <span class="buttons">
          ${writable ? html`<button type="submit" class="primary" id="save-document-button" ?disabled=${this.busy === 'editor'}>
            ${id ? 'Save changes' : 'Create document'}</button>` : nothing}
          <button type="button" id="close-document-button" @click=${() => this.close()}>Close</button>
          ${id && writable ? html`<button type="button" class="danger" id="delete-open-document-button" @click=${() => this.remove(this.editing)}>Delete…</button>` : nothing}
        </span>
      </form>
    </section>`;
  }
}
