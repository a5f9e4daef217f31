// One execution in full: status, trigger, version, times, attempts (an async call's history and last answer),
// HTTP status, and what it printed, logged and raised. The traceback's line in the function's own code links
// to the code page. While queued or running it refreshes by itself.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, duration, json, table, time } from '../lib/ui.js';
import { tracebackLine } from '../lib/editor.js';
import { functionCrumbs, functionHeader, functionHref, loadFunction } from './function-base.js';

const REFRESH_MS = 1500;
const UNFINISHED = new Set(['queued', 'running']);

export default class ExecutionView extends View {
  name = 'execution';
  title = 'Execution';
  fn = null;
  execution = null;

  async load() {
    this.fn = await loadFunction(this);
    this.execution = await this.fetch();
    this.every(REFRESH_MS, () => this.refresh());
  }

  fetch() {
    return this.api.get(this.path(
      `/functions/${encodeURIComponent(this.fn.id)}/executions/${encodeURIComponent(this.params.execution)}`));
  }

  async refresh() {
    if (!UNFINISHED.has(this.execution.status)) return;
    try {
      this.execution = await this.fetch();
      this.refreshError = null;
    } catch (error) {
      this.refreshError = error.message;
    }
    this.update();
  }

  crumbs() {
    return [...functionCrumbs(this, this.fn, 'Executions').slice(0, 2),
      ['Executions', functionHref(this, this.fn, '/executions')], [this.params.execution.slice(0, 8)]];
  }

  /** Where the traceback points in the function's own files: the innermost frame in one of them. */
  codeLine() {
    const traceback = this.execution.traceback;
    if (!traceback) return null;
    const files = new Set(this.fn.files || [this.fn.entry_file]);
    let found = null;
    for (const match of traceback.matchAll(/File "\/code\/([^"]+)", line (\d+)/g)) {
      if (files.has(match[1])) found = { file: match[1], line: Number(match[2]) };
    }
    return found || tracebackLine(traceback);
  }

  render() {
    const x = this.execution;
    const where = this.codeLine();
    const unfinished = UNFINISHED.has(x.status);
    const block = (id, label, text, hint) => html`<section class="card execution-block" aria-labelledby="${id}-title">
      <h2 id="${id}-title">${label}</h2>${hint || nothing}
      ${text ? html`<pre class="output" id=${id}>${text}</pre>` : html`<p class="muted" id=${id}>None.</p>`}</section>`;
    return html`
      ${functionHeader(this, this.fn, 'executions')}
      <div class="page-head"><h2 class="execution-title">Execution <code id="execution-id">${x.id}</code></h2>
        <span id="execution-status">${badge(x.status)}</span></div>
      ${unfinished ? html`<p class="muted" role="status" id="execution-refreshing">Still ${x.status}: this page refreshes by itself.
        ${this.refreshError ? html`<span class="error">${this.refreshError}</span>` : nothing}</p>` : nothing}
      <section class="card" aria-label="Facts">
        <dl class="facts execution-facts">
          <dt>Trigger</dt><dd id="execution-trigger">${x.trigger}</dd>
          <dt>Version</dt><dd id="execution-version">${x.version ? html`<a href=${functionHref(this, this.fn, '/versions')}>v${x.version}</a>` : '—'}</dd>
          <dt>HTTP status</dt><dd id="execution-http-status">${x.http_status ?? '—'}</dd>
          <dt>Created</dt><dd>${time(x.created_at)}</dd>
          <dt>Started</dt><dd>${time(x.started_at)}</dd>
          <dt>Finished</dt><dd>${time(x.finished_at)}</dd>
          <dt>Duration</dt><dd id="execution-duration">${duration(x.duration_ms)}</dd>
          <dt>Attempts</dt><dd id="execution-attempts">${x.attempts}</dd>
          ${x.next_attempt_at ? html`<dt>Next attempt</dt><dd>${time(x.next_attempt_at)}</dd>` : nothing}
        </dl>
      </section>
      ${x.error ? block('execution-error', 'Error', x.error) : nothing}
      ${x.traceback ? block('execution-traceback', 'Traceback', x.traceback, where ? html`<p class="traceback-where">Raised at
        <a id="traceback-link" href=${`${functionHref(this, this.fn)}?file=${encodeURIComponent(where.file)}&line=${where.line}`}
          data-file=${where.file} data-line=${where.line}>${where.file}, line ${where.line}</a> of the function's code.</p>` : nothing) : nothing}
      ${block('execution-output', 'Output', x.output)}
      ${block('execution-logs', 'Logs', x.logs)}
      ${x.attempt_history?.length ? html`<section class="card" aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        <div id="attempt-history">${table([
          { label: 'Attempt', cell: (a) => a.attempt },
          { label: 'Status', cell: (a) => badge(a.status) },
          { label: 'HTTP', cell: (a) => a.http_status ?? '—' },
          { label: 'Started', cell: (a) => time(a.started_at) },
          { label: 'Duration', cell: (a) => duration(a.duration_ms) },
          { label: 'Error', cell: (a) => a.error || '—' },
        ], x.attempt_history, { key: (a) => a.attempt })}</div></section>` : nothing}
      ${x.result ? html`<section class="card" aria-labelledby="result-title">
        <h2 id="result-title">Answer of the last attempt</h2>
        <p>Status <strong id="result-status">${x.result.status}</strong>${x.result.truncated ? html` <span class="muted">(body truncated to 1 MB)</span>` : nothing}</p>
        <pre class="output" id="result-headers">${json(x.result.headers || {})}</pre>
        <pre class="output" id="result-body">${x.result.body ?? (x.result.body_base64 ? `(binary, base64) ${x.result.body_base64}` : '')}</pre>
      </section>` : nothing}`;
  }
}
