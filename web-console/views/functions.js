// The project's functions: name, style, URL, last status, calls and errors in the last 24 hours.
import { html } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, copyButton, table, time } from '../lib/ui.js';
import { styleOf } from './function-base.js';

/** The API counts a day's calls up to 10,000. */
const counted = (n) => (n === undefined || n === null ? '—' : n >= 10000 ? '10,000+' : String(n));

export default class FunctionsView extends View {
  name = 'functions';
  title = 'Functions';
  functions = [];

  async load() {
    this.functions = await this.api.get(this.path('/functions'));
    // calls keep coming while the list is open: its counts and last status follow them
    this.every(15000, async () => {
      try {
        this.functions = await this.api.get(this.path('/functions'));
        this.update();
      } catch {
        // the next refresh tries again; a lost session shows on the next action
      }
    });
  }

  render() {
    const link = (fn) => this.href(`/functions/${encodeURIComponent(fn.name)}`);
    const url = (fn) => (styleOf(fn) === 'main' ? fn.urls.execute : fn.urls.invoke);
    return html`
      <div class="page-head"><h1>Functions</h1>
        <a class="button primary" id="new-function-link" href=${this.href('/functions/+new')}>New function</a></div>
      <div id="function-list">${table([
        { label: 'Name', cell: (fn) => html`<a href=${link(fn)} class="function-link">${fn.name}</a>` },
        { label: 'Style', cell: (fn) => styleOf(fn) },
        { label: 'URL', cell: (fn) => html`<code class="function-url" title=${url(fn)}>${url(fn)}</code> ${copyButton(url(fn))}` },
        { label: 'Last status', cell: (fn) => (fn.stats?.last_status ? html`${badge(fn.stats.last_status)} <span class="when">${time(fn.stats.last_execution_at)}</span>` : html`<span class="muted">Never called</span>`) },
        { label: 'Calls 24 h', class: 'num', cell: (fn) => html`<span class="calls">${counted(fn.stats?.calls_24h)}</span>` },
        { label: 'Errors 24 h', class: 'num', cell: (fn) => html`<span class="errors">${counted(fn.stats?.errors_24h)}</span>` },
        { label: 'State', cell: (fn) => badge(fn.enabled ? 'enabled' : 'disabled') },
      ], this.functions, {
        empty: html`No functions yet. Create one from a template of any of the five styles: <a href=${this.href('/functions/+new')}>New function</a>.`,
        rowAttrs: (fn) => fn.name,
      })}</div>`;
  }
}
