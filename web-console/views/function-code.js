// A function's code and test panel: every file of the deployed version in an editor (add, rename, delete files),
// Deploy (also Ctrl/Cmd+S) making a new version, a deploy error marked at its file and line, and beside it a test
// run through the admin API whose traceback is marked in the editor too.
import { html, nothing, repeat } from '../lib/html.js';
import { View } from '../lib/view.js';
import { ApiError } from '../lib/api.js';
import { tracebackLine } from '../lib/editor.js';
import { confirmAction, duration } from '../lib/ui.js';
import { errorFor, formError, invalid } from '../lib/forms.js';
import { functionCrumbs, functionHeader, functionHref, loadFunction, styleOf } from './function-base.js';
import { defaultTest } from './function-templates.js';

const VENDORED = 'python_packages/'; // packages shipped with the function: carried along, not edited here
const TEST_FIELDS = ['method', 'path', 'query', 'headers', 'body', 'event'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The editor's mode for a file, by its extension. */
function modeOf(path) {
  if (path.endsWith('.py')) return 'python';
  if (/\.(html?|jinja2?|j2)$/.test(path)) return 'htmlmixed';
  if (/\.(js|mjs|json)$/.test(path)) return 'javascript';
  return 'text/plain';
}

/** Where a deploy problem points: its `file`/`line`, else "(index.py, line 3)" at the end of its detail. */
export function problemLocation(problem, message) {
  if (problem?.file && problem?.line) return { file: problem.file, line: Number(problem.line) };
  const found = /\(([^(),]+), line (\d+)\)\s*$/.exec(message || '');
  if (found) return { file: found[1], line: Number(found[2]) };
  if (problem?.file) return { file: problem.file, line: 1 };
  return null;
}

/** The entry file the server picks without a handler: the only file, index.py, main.py, the only top .py. */
function defaultEntryFile(paths) {
  if (paths.length === 1) return paths[0];
  for (const conventional of ['index.py', 'main.py']) if (paths.includes(conventional)) return conventional;
  const top = paths.filter((p) => p.endsWith('.py') && !p.includes('/'));
  return top.length === 1 ? top[0] : null;
}

/** key=value lines → {key: value}; a key given twice becomes a list. Throws naming a line without '='. */
function parseQuery(text) {
  const query = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`Each line is key=value: "${line}" has no key`);
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (key in query) query[key] = [].concat(query[key], value);
    else query[key] = value;
  }
  return query;
}

/** "Name: value" lines → {Name: value}. */
function parseHeaders(text) {
  const headers = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(':');
    if (at < 1) throw new Error(`Each line is Name: value: "${line}" has no name`);
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** A body or event as typed: JSON when it parses as JSON, else the text itself. */
function jsonOrText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A response body for reading: JSON indented, anything else as it came. */
function readable(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default class FunctionCodeView extends View {
  name = 'function-code';
  title = 'Code';
  files = []; // the function's own files: {path, text, original (null when added here)}
  carried = {}; // vendored and data files with text: deployed again as they are
  binaryFiles = []; // data files without text: a deploy from here cannot carry them
  removed = false; // a deployed file was deleted or renamed here
  active = null;
  deployError = null;
  deployNotice = null;
  warnings = [];
  renaming = false;
  test = {};
  testMode = 'request';
  result = null;
  #onKey = (event) => {
    if (this.app.view !== this) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      this.deploy();
    }
  };
  #onUnload = (event) => {
    if (this.dirty) event.preventDefault();
  };

  /** Another console page while changes are not deployed: ask first (the editor's text would be lost). */
  async canLeave() {
    if (!this.dirty) return true;
    const changed = this.files.filter((f) => f.text !== f.original).map((f) => f.path);
    return confirmAction({
      title: 'Leave without deploying?',
      message: `Your changes${changed.length ? ` to ${changed.join(', ')}` : ''} are not deployed and will be lost.`,
      confirmLabel: 'Leave',
    });
  }

  async load() {
    this.fn = await loadFunction(this);
    await this.loadVersion();
    const test = defaultTest(this.project.id, this.fn, styleOf(this.fn));
    this.testMode = test.event !== undefined ? 'event' : 'request';
    this.test = {
      method: test.method || 'GET', path: test.path || '/', query: test.query || '', headers: test.headers || '',
      body: test.body || '', event: test.event ?? '{}',
    };
    document.addEventListener('keydown', this.#onKey, true);
    window.addEventListener('beforeunload', this.#onUnload);
    // An execution's traceback links here with ?file=...&line=...: show that line.
    const asked = new URLSearchParams(location.hash.split('?')[1] || '');
    if (asked.get('file') && Number(asked.get('line')) > 0) {
      setTimeout(() => this.mark({ file: asked.get('file'), line: Number(asked.get('line')) },
        'The traceback of the execution you came from points here'));
    }
  }

  leave() {
    super.leave();
    document.removeEventListener('keydown', this.#onKey, true);
    window.removeEventListener('beforeunload', this.#onUnload);
  }

  /** The deployed version's files (every file, by path), the entry file first. */
  async loadVersion() {
    const fn = this.fn;
    let sources = {};
    let dataFiles = [];
    if (fn.deployed_version) {
      const version = await this.api.get(this.path(
        `/functions/${encodeURIComponent(fn.id)}/versions/${fn.deployed_version}`));
      sources = version.files || {};
      dataFiles = version.data_files || [];
    } else if (fn.entry_file) {
      sources = { [fn.entry_file]: fn.code || '' };
    }
    const own = Object.keys(sources).filter((p) => !p.startsWith(VENDORED));
    own.sort((a, b) => (a === fn.entry_file ? -1 : b === fn.entry_file ? 1 : a.localeCompare(b)));
    this.files = own.map((path) => ({ path, text: sources[path], original: sources[path], entry: path === fn.entry_file }));
    this.carried = {};
    for (const path of Object.keys(sources).filter((p) => p.startsWith(VENDORED))) this.carried[path] = sources[path];
    for (const file of dataFiles) if (file.text !== null && file.text !== undefined) this.carried[file.path] = file.text;
    this.binaryFiles = dataFiles.filter((file) => file.text === null || file.text === undefined).map((f) => f.path);
    this.removed = false;
    if (!this.files.some((f) => f.path === this.active)) this.active = this.files[0]?.path ?? null;
  }

  crumbs() {
    return functionCrumbs(this, this.fn);
  }

  get dirty() {
    return this.removed || this.files.some((f) => f.text !== f.original);
  }

  editorFor(path) {
    return [...document.querySelectorAll('code-editor.file-editor')].find((e) => e.dataset.file === path) || null;
  }

  /** Waits for the queued render, so the editors exist and show what the state says. */
  rendered() {
    return new Promise((resolve) => setTimeout(resolve));
  }

  async show(path) {
    this.active = path;
    this.renaming = false;
    this.update();
    await this.rendered();
    this.editorFor(path)?.refresh();
  }

  /** Marks a line of a file (switching to it) with a message. */
  async mark(location, message) {
    if (!location || !this.files.some((f) => f.path === location.file)) return;
    await this.show(location.file);
    const editor = this.editorFor(location.file);
    editor?.clearMarks();
    editor?.markError(location.line, message);
  }

  clearMarks() {
    for (const editor of document.querySelectorAll('code-editor.file-editor')) editor.clearMarks();
  }

  edited(file, text) {
    const wasDirty = this.dirty;
    const fileWasDirty = file.text !== file.original;
    file.text = text;
    if (wasDirty !== this.dirty || fileWasDirty !== (file.text !== file.original)) this.update();
  }

  // ------------------------------------------------------------ files

  addFile(event) {
    event.preventDefault();
    const input = event.target.elements.path;
    const path = input.value.trim().replace(/^\.?\//, '');
    const problem = this.badPath(path);
    if (problem) {
      this.errors.files = { path: problem };
      this.update();
      return;
    }
    delete this.errors.files;
    this.files.push({ path, text: path.endsWith('.py') ? `# ${path}\n` : '', original: null });
    input.value = '';
    this.show(path);
  }

  badPath(path, except = null) {
    if (!path) return 'Give the file a path, e.g. util.py or lib/helpers.py';
    if (path.startsWith('/') || path.includes('..') || path.includes('\\')) {
      return 'A path is relative, without “..” or “\\”: e.g. lib/helpers.py';
    }
    if (path.startsWith(VENDORED)) return `${VENDORED} holds vendored packages: upload those as a zip`;
    if (path !== except && this.files.some((f) => f.path === path)) return `There is already a file ${path}`;
    return null;
  }

  renameFile(event) {
    event.preventDefault();
    const file = this.files.find((f) => f.path === this.active);
    const path = event.target.elements.path.value.trim().replace(/^\.?\//, '');
    const problem = this.badPath(path, file.path);
    if (problem) {
      this.errors.rename = { path: problem };
      this.update();
      return;
    }
    delete this.errors.rename;
    if (path !== file.path) {
      if (file.original !== null) this.removed = true;
      this.files.push({ path, text: file.text, original: null, entry: file.entry });
      this.files = this.files.filter((f) => f !== file);
    }
    this.show(path);
  }

  async deleteFile() {
    const file = this.files.find((f) => f.path === this.active);
    if (!file || this.files.length < 2) return;
    const ok = await confirmAction({
      title: 'Delete file', message: `Delete ${file.path}? It leaves the function with the next deploy.`,
      confirmLabel: 'Delete file',
    });
    if (!ok) return;
    if (file.original !== null) this.removed = true;
    this.files = this.files.filter((f) => f !== file);
    this.show(this.files[0].path);
  }

  // ------------------------------------------------------------ deploy

  /**
   * The PATCH that deploys the editor's files: `code` for a one-file function still one file, else `files`, with
   * a `handler` naming the entry file when the server would no longer find it by itself (hello.py beside an
   * added util.py) or when it was renamed here.
   */
  deployBody() {
    const single = this.files.length === 1 && Object.keys(this.carried).length === 0 && !this.binaryFiles.length
      && this.files[0].path === this.fn.entry_file && (this.fn.files?.length ?? 1) === 1;
    if (single) return { code: this.files[0].text };
    const files = { ...this.carried };
    for (const f of this.files) files[f.path] = f.text;
    const body = { files };
    const entry = this.files.find((f) => f.entry);
    if (entry && entry.path.endsWith('.py')) {
      const stem = entry.path.slice(0, -3);
      const setting = this.fn.handler;
      if (setting) {
        const method = setting.slice(setting.lastIndexOf('.') + 1);
        if (setting !== `${stem}.${method}`) body.handler = `${stem}.${method}`;
      } else if (defaultEntryFile(Object.keys(files)) !== entry.path && this.fn.entry_name) {
        body.handler = `${stem}.${this.fn.entry_name}`;
      }
    }
    return body;
  }

  async deploy() {
    if (this.busy) return;
    if (this.binaryFiles.length) {
      this.deployError = `This version has binary files the editor cannot carry (${this.binaryFiles.join(', ')}): `
        + 'upload a zip of all the files to change it.';
      this.update();
      return;
    }
    this.busy = 'deploy';
    this.deployError = null;
    this.deployNotice = null;
    this.warnings = [];
    this.clearMarks();
    this.update();
    let location = null;
    try {
      this.fn = await this.api.patch(this.path(`/functions/${encodeURIComponent(this.fn.id)}`), this.deployBody());
      await this.loadVersion();
      this.warnings = this.fn.warnings || [];
      this.deployNotice = `Deployed version ${this.fn.deployed_version}.`;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.app.sessionEnded();
        return;
      }
      this.deployError = error.message || String(error);
      location = problemLocation(error.problem, this.deployError);
    } finally {
      this.busy = null;
      this.update();
    }
    if (location) await this.mark(location, this.deployError);
  }

  // ------------------------------------------------------------ test

  testRequest() {
    const t = this.test;
    if (this.testMode === 'event') return { event: jsonOrText(t.event) };
    // a query typed into the path ("/hello?name=Ada") joins the query lines
    const [path, inPath = ''] = (t.path || '/').split(/\?(.*)/s);
    const request = { method: t.method, path: path || '/' };
    const errors = {};
    try {
      const query = parseQuery([...inPath.split('&').filter(Boolean).map(decodeURIComponent), t.query].join('\n'));
      if (Object.keys(query).length) request.query = query;
    } catch (e) {
      errors.query = e.message;
    }
    try {
      const headers = parseHeaders(t.headers);
      if (Object.keys(headers).length) request.headers = headers;
    } catch (e) {
      errors.headers = e.message;
    }
    if (t.body.trim() !== '') request.body = jsonOrText(t.body);
    if (Object.keys(errors).length) throw Object.assign(new Error('invalid'), { fields: errors });
    return request;
  }

  async runTest(event) {
    event?.preventDefault();
    let request;
    try {
      request = this.testRequest();
    } catch (e) {
      this.errors.test = e.fields || { _form: e.message };
      this.update();
      return;
    }
    this.clearMarks();
    const result = await this.act('test', TEST_FIELDS, () =>
      this.api.post(this.path(`/functions/${encodeURIComponent(this.fn.id)}/test`), request));
    if (!result) return;
    this.result = result;
    this.update();
    const at = tracebackLine(result.traceback);
    if (at) await this.mark(at, result.error || 'The error was raised here');
  }

  // ------------------------------------------------------------ rendering

  render() {
    const fn = this.fn;
    return html`
      ${functionHeader(this, fn, 'code')}
      <div class="split function-code">
        <section class="card code-card" aria-labelledby="code-title">
          <div class="code-head">
            <h2 id="code-title">Code</h2>
            <span class="code-state">
              ${this.dirty ? html`<span id="unsaved-flag" class="badge neutral" title="Deploy to keep them">Unsaved changes</span>` : nothing}
              <button id="deploy-button" type="button" class="primary" title="Ctrl+S / ⌘S"
                      ?disabled=${this.busy === 'deploy'} @click=${() => this.deploy()}>
                ${this.busy === 'deploy' ? 'Deploying…' : 'Deploy'}</button>
            </span>
          </div>
          ${this.deployError ? html`<div id="deploy-error" class="problem" role="alert"><strong>Not deployed</strong>
            <p class="problem-detail">${this.deployError}</p></div>` : nothing}
          ${this.deployNotice ? html`<p id="deploy-notice" class="notice" role="status">${this.deployNotice}</p>` : nothing}
          ${this.warnings.length ? html`<div id="deploy-warnings" class="warnings" role="status">
            <strong>Deployed, with warnings: calls that reach this code fail</strong>
            <ul>${this.warnings.map((w) => html`<li class="deploy-warning">${w}</li>`)}</ul></div>` : nothing}
          ${this.fileBar()}
          <div class="editors">
            ${repeat(this.files, (f) => f.path, (f) => html`
              <code-editor class="file-editor" data-file=${f.path} mode=${modeOf(f.path)} ?hidden=${f.path !== this.active}
                           aria-label=${`Code of ${f.path}`} .value=${f.text}
                           @input=${(e) => this.edited(f, e.target.value)}></code-editor>`)}
          </div>
          <p class="muted code-foot">
            ${fn.entry_file ? html`Entry point <code>${fn.entry_name}</code> in <code>${fn.entry_file}</code> · ` : nothing}
            ${Object.keys(this.carried).length ? html`${Object.keys(this.carried).length} vendored or data files are deployed again as they are · ` : nothing}
            Deploy with Ctrl+S (⌘S). Older versions: <a href=${functionHref(this, fn, '/versions')}>Versions</a>.
          </p>
        </section>
        ${this.testPanel()}
      </div>`;
  }

  fileBar() {
    const active = this.files.find((f) => f.path === this.active);
    return html`
      <nav class="file-tabs" aria-label="Files">
        ${this.files.map((f) => html`<button type="button" class="file-tab" data-file=${f.path}
            aria-current=${f.path === this.active ? 'true' : 'false'} @click=${() => this.show(f.path)}>
          ${f.path}${f.text !== f.original ? html`<span class="modified" title="Changed since the deploy"> •</span>` : nothing}
        </button>`)}
      </nav>
      <div class="file-actions">
        <form id="add-file-form" class="inline-form" @submit=${(e) => this.addFile(e)}>
          <label for="new-file-path" class="visually-hidden">New file path</label>
          <input id="new-file-path" name="path" placeholder="util.py" autocomplete="off" spellcheck="false"
                 aria-invalid=${invalid(this.errors.files, 'path')}>
          <button id="add-file-button" type="submit">Add file</button>
          ${errorFor(this.errors.files, 'path')}
        </form>
        ${this.renaming && active ? html`
          <form id="rename-file-form" class="inline-form" @submit=${(e) => this.renameFile(e)}>
            <label for="rename-file-path" class="visually-hidden">New path of ${active.path}</label>
            <input id="rename-file-path" name="path" .value=${active.path} autocomplete="off" spellcheck="false"
                   aria-invalid=${invalid(this.errors.rename, 'path')}>
            <button id="rename-file-save" type="submit">Rename</button>
            <button type="button" class="link" @click=${() => { this.renaming = false; this.update(); }}>Cancel</button>
            ${errorFor(this.errors.rename, 'path')}
          </form>`
        : html`<button id="rename-file-button" type="button" ?disabled=${!active}
              @click=${() => { this.renaming = true; this.update(); }}>Rename ${active?.path ?? ''}</button>`}
        <button id="delete-file-button" type="button" class="danger" ?disabled=${this.files.length < 2}
                title=${this.files.length < 2 ? 'A function keeps at least one file' : ''}
                @click=${() => this.deleteFile()}>Delete file</button>
      </div>`;
  }

  testPanel() {
    const t = this.test;
    const errors = this.errors.test;
    const set = (key) => (e) => { this.test[key] = e.target.value; };
    const event = styleOf(this.fn) === 'event';
    return html`
      <section class="card test-panel" aria-labelledby="test-title">
        <h2 id="test-title">Test</h2>
        <p class="muted">Runs the deployed version${this.fn.deployed_version ? ` (v${this.fn.deployed_version})` : ''} as its URL
          would, and records the run.${this.dirty ? ' Deploy first to test your changes.' : ''}</p>
        <form id="test-form" @submit=${(e) => this.runTest(e)}>
          ${event ? html`<fieldset class="test-mode"><legend>Input</legend>
            <label class="check"><input type="radio" name="mode" value="event" .checked=${this.testMode === 'event'}
              @change=${() => { this.testMode = 'event'; this.update(); }}> Raw event</label>
            <label class="check"><input type="radio" name="mode" value="request" .checked=${this.testMode === 'request'}
              @change=${() => { this.testMode = 'request'; this.update(); }}> HTTP request</label></fieldset>` : nothing}
          ${this.testMode === 'event' ? html`
            <label for="test-event">Event <span class="muted">(JSON, or text)</span></label>
            <textarea id="test-event" name="event" rows="6" spellcheck="false" .value=${t.event} @input=${set('event')}
                      aria-invalid=${invalid(errors, 'event')}></textarea>
            ${errorFor(errors, 'event')}`
          : html`
            <div class="test-line">
              <div><label for="test-method">Method</label>
                <select id="test-method" name="method" .value=${t.method} @change=${set('method')}>
                  ${METHODS.map((m) => html`<option value=${m} ?selected=${m === t.method}>${m}</option>`)}</select>
                ${errorFor(errors, 'method')}</div>
              <div class="grow"><label for="test-path">Path</label>
                <input id="test-path" name="path" .value=${t.path} @input=${set('path')} spellcheck="false"
                       aria-invalid=${invalid(errors, 'path')}>
                ${errorFor(errors, 'path')}</div>
            </div>
            <label for="test-query">Query <span class="muted">(key=value lines)</span></label>
            <textarea id="test-query" name="query" rows="2" spellcheck="false" .value=${t.query} @input=${set('query')}
                      aria-invalid=${invalid(errors, 'query')}></textarea>
            ${errorFor(errors, 'query')}
            <label for="test-headers">Headers <span class="muted">(Name: value lines)</span></label>
            <textarea id="test-headers" name="headers" rows="2" spellcheck="false" .value=${t.headers} @input=${set('headers')}
                      aria-invalid=${invalid(errors, 'headers')}></textarea>
            ${errorFor(errors, 'headers')}
            <label for="test-body">Body <span class="muted">(JSON, or text)</span></label>
            <textarea id="test-body" name="body" rows="4" spellcheck="false" .value=${t.body} @input=${set('body')}
                      aria-invalid=${invalid(errors, 'body')}></textarea>
            ${errorFor(errors, 'body')}`}
          ${formError(errors)}
          <div class="form-foot">
            <button id="run-test-button" type="submit" class="primary" ?disabled=${this.busy === 'test'}>
              ${this.busy === 'test' ? 'Running…' : 'Run test'}</button>
          </div>
        </form>
        ${this.result ? this.testResult(this.result) : nothing}
      </section>`;
  }

  testResult(r) {
    const tone = r.status < 300 ? 'good' : r.status < 400 ? 'neutral' : 'bad';
    const headers = Object.entries(r.headers || {});
    return html`
      <div id="test-result" class="test-result" role="status">
        <p class="result-line">
          <span class="badge ${tone}" id="test-status">${r.status}</span>
          <span class="muted" id="test-time">${duration((r.execution_time ?? 0) * 1000)}</span>
          ${r.execution_id ? html`<a id="test-execution-link"
            href=${functionHref(this, this.fn, `/executions/${encodeURIComponent(r.execution_id)}`)}>Execution log</a>` : nothing}
        </p>
        ${r.error ? html`<p id="test-error" class="error">${r.error}</p>` : nothing}
        <h3>Body</h3>
        <pre class="output" id="test-body-out">${readable(r.body ?? '')}</pre>
        <details class="result-headers" ?open=${headers.length <= 4}>
          <summary>Response headers (${headers.length})</summary>
          <table id="test-response-headers" class="compact"><tbody>${headers.map(([k, v]) =>
            html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>
        </details>
        <h3>Output <span class="muted">(print)</span></h3>
        <pre class="output" id="test-output">${r.output || ''}</pre>
        <h3>Logs</h3>
        <pre class="output" id="test-logs">${r.logs || ''}</pre>
        ${r.traceback ? html`<h3>Traceback</h3><pre class="output traceback" id="test-traceback">${r.traceback}</pre>` : nothing}
      </div>`;
  }
}
