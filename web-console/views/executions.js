// Executions, newest first: of the whole project (#/p/{slug}/executions, with a function filter) or of one
// function (#/p/{slug}/functions/{name}/executions, under its header). Filters by status, trigger and time;
// "Older" pages back with `before`; the first page refreshes by itself every few seconds while shown, so a
// call made elsewhere appears without reloading.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, duration, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues } from '../lib/forms.js';
import { functionCrumbs, functionHeader, functionHref, loadFunction } from './function-base.js';

const PAGE = 50;
const REFRESH_MS = 3000;
const STATUSES = ['success', 'error', 'timeout', 'queued', 'running'];
const TRIGGERS = ['http', 'async', 'test', 'route', 'schedule', 'hook'];
const FILTERS = ['status', 'trigger', 'function', 'since'];

export default class ExecutionsView extends View {
  name = 'executions';
  title = 'Executions';
  fn = null; // the function, on a function's page; null on the project's
  functions = []; // the project's functions, for the filter
  rows = [];
  filters = { status: '', trigger: '', function: '', since: '' };
  more = false; // whether "Older" may find more
  refreshedAt = null;
  refreshError = null;
  generation = 0; // bumped when the filters change: a refresh begun before then is dropped

  async load() {
    if (this.params.fn) {
      this.fn = await loadFunction(this);
    } else {
      this.functions = await this.api.get(this.path('/functions'));
    }
    await this.fetchFirstPage();
    this.every(REFRESH_MS, () => this.refresh());
  }

  crumbs() {
    return this.fn ? functionCrumbs(this, this.fn, 'Executions') : [['Executions']];
  }

  /**
   * The list's API path with the filters (and `before` when paging back). One function's page asks the project's
   * list for that function: it takes every filter, the trigger too.
   */
  listPath(before) {
    const since = this.filters.since ? new Date(this.filters.since).toISOString() : '';
    return this.path('/executions') + this.api.query({
      status: this.filters.status, trigger: this.filters.trigger,
      function: this.fn ? this.fn.id : this.filters.function, since, before, limit: PAGE,
    });
  }

  async fetchFirstPage() {
    this.generation++;
    const page = await this.api.get(this.listPath());
    this.rows = page;
    this.more = page.length === PAGE;
    this.refreshedAt = new Date();
    this.refreshError = null;
  }

  /**
   * Fetches the newest page again: new calls come in at the top, and running ones change their status. Pages
   * loaded with "Older" stay below it.
   */
  async refresh() {
    if (this.busy) return;
    const generation = this.generation;
    try {
      const page = await this.api.get(this.listPath());
      if (generation !== this.generation || this.busy) return;
      const fresh = page;
      let older = [];
      if (page.length === PAGE && page.length) {
        const oldest = Date.parse(page[page.length - 1].created_at); // ISO texts differ in their digits: compare times
        const seen = new Set(fresh.map((e) => e.id));
        older = this.rows.filter((e) => !seen.has(e.id) && Date.parse(e.created_at) <= oldest);
      } else {
        this.more = false;
      }
      this.rows = [...fresh, ...older];
      this.refreshedAt = new Date();
      this.refreshError = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.refreshError = error.message; // shown beside the time of the last refresh that worked
    }
    this.update();
  }

  async applyFilters(event) {
    event?.preventDefault();
    const form = event?.target?.closest('form') || document.getElementById('execution-filters');
    const values = formValues(form);
    this.filters = { status: values.status || '', trigger: values.trigger || '', function: values.function || '', since: values.since || '' };
    await this.act('filters', FILTERS, () => this.fetchFirstPage().then(() => true));
  }

  async older() {
    const last = this.rows[this.rows.length - 1];
    if (!last) return;
    const page = await this.act('older', FILTERS, () => this.api.get(this.listPath(last.created_at)));
    if (page) {
      const seen = new Set(this.rows.map((e) => e.id));
      this.rows = [...this.rows, ...page.filter((e) => !seen.has(e.id))];
      this.more = page.length === PAGE;
      this.update(); // act() rendered before the page was added
    }
  }

  /** The console route of one execution (route executions of a site have no function page). */
  executionHref(e) {
    if (this.fn) return functionHref(this, this.fn, `/executions/${encodeURIComponent(e.id)}`);
    if (e.trigger === 'route') return null;
    return this.href(`/functions/${encodeURIComponent(e.function_name || e.function_id)}/executions/${encodeURIComponent(e.id)}`);
  }

  functionCell(e) {
    if (e.trigger === 'route') {
      return html`<a href=${this.href('/sites')} class="execution-function">${e.function_name || 'site route'}</a>`;
    }
    const name = e.function_name || this.functions.find((f) => f.id === e.function_id)?.name || e.function_id;
    return html`<a href=${this.href(`/functions/${encodeURIComponent(name)}/executions`)} class="execution-function">${name}</a>`;
  }

  render() {
    const e = this.errors;
    const columns = [
      { label: 'Status', cell: (x) => html`<span class="execution-status">${badge(x.status)}</span>` },
      ...(this.fn ? [] : [{ label: 'Function', cell: (x) => this.functionCell(x) }]),
      { label: 'Trigger', cell: (x) => html`<span class="execution-trigger">${x.trigger}</span>` },
      { label: 'Time', cell: (x) => time(x.created_at) },
      { label: 'Duration', class: 'num', cell: (x) => duration(x.duration_ms) },
      { label: 'HTTP', class: 'num', cell: (x) => html`<span class="execution-http">${x.http_status ?? '—'}</span>` },
      { label: 'Error', cell: (x) => (x.error ? html`<span class="execution-error-summary" title=${x.error}>${x.error}</span>` : nothing) },
      { label: html`<span class="visually-hidden">Details</span>`, class: 'actions', cell: (x) => {
        const href = this.executionHref(x);
        return href ? html`<a class="execution-link" href=${href} aria-label="Execution ${x.id}">Details</a>` : nothing;
      } },
    ];
    const filtered = this.filters.status || this.filters.trigger || this.filters.function || this.filters.since;
    const empty = filtered ? 'No executions match these filters.'
      : this.fn ? html`No executions yet. Call the function through its URL above, or test it on the <a href=${functionHref(this, this.fn)}>Code &amp; test</a> tab.`
        : html`No executions yet. Calls of the project's <a href=${this.href('/functions')}>functions</a> and site routes appear here as they happen.`;
    return html`
      ${this.fn ? functionHeader(this, this.fn, 'executions') : html`<div class="page-head"><h1>Executions</h1></div>`}
      <form id="execution-filters" class="toolbar execution-filters" @submit=${(ev) => this.applyFilters(ev)}
        @change=${(ev) => this.applyFilters(ev)}>
        <div><label for="filter-status">Status</label>
          <select id="filter-status" name="status"><option value="">Any</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.filters.status === s}>${s}</option>`)}</select>
          ${errorFor(e.filters, 'status')}</div>
        <div><label for="filter-trigger">Trigger</label>
          <select id="filter-trigger" name="trigger"><option value="">Any</option>
            ${TRIGGERS.map((t) => html`<option value=${t} ?selected=${this.filters.trigger === t}>${t}</option>`)}</select>
          ${errorFor(e.filters, 'trigger')}</div>
        ${this.fn ? nothing : html`<div><label for="filter-function">Function</label>
          <select id="filter-function" name="function"><option value="">Any</option>
            ${this.functions.map((f) => html`<option value=${f.name} ?selected=${this.filters.function === f.name}>${f.name}</option>`)}</select>
          ${errorFor(e.filters, 'function')}</div>`}
        <div><label for="filter-since">Since</label>
          <input id="filter-since" name="since" type="datetime-local" step="1" .value=${this.filters.since}>
          ${errorFor(e.filters, 'since')}</div>
        <div class="refresh-state" role="status">
          <span id="last-refreshed" class="muted">${this.refreshedAt
            ? `Refreshes every ${REFRESH_MS / 1000} s · last at ${this.refreshedAt.toLocaleTimeString()}` : ''}</span>
          ${this.refreshError ? html`<span class="error" id="refresh-error">${this.refreshError}</span>` : nothing}
        </div>
        <button type="submit" class="visually-hidden">Apply filters</button>
      </form>
      ${formError(e.filters)}
      <div id="execution-list">${table(columns, this.rows, { empty, rowAttrs: (x) => x.status })}</div>
      ${formError(e.older)}
      ${this.more && this.rows.length ? html`<p class="paging"><button type="button" id="older-button"
        ?disabled=${this.busy === 'older'} @click=${() => this.older()}>Older</button></p>` : nothing}`;
  }
}
