// The project's site: uploading a zip (cloud-functions/ routes plus static files), the live version's URL,
// route table and static files, its versions with rollback, and a route's recent executions.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { ApiError } from '../lib/api.js';
import { badge, bytes, confirmAction, copyButton, duration, emptyState, table, time } from '../lib/ui.js';
import { errorFor, formError } from '../lib/forms.js';

const ROUTE_EXECUTIONS = 20;

export default class SitesView extends View {
  name = 'sites';
  title = 'Sites';
  site = null; // the live version, or null when none is deployed
  versions = [];
  accounts = new Map();
  routeFile = null; // the route whose executions are shown
  routeExecutions = [];
  notice = '';

  async load() {
    const [site, versions, members] = await Promise.all([
      this.api.get(this.path('/sites')).catch((error) => {
        if (error instanceof ApiError && error.status === 404) return null; // no site deployed
        throw error;
      }),
      this.api.get(this.path('/sites/versions')),
      this.api.get(this.path('/members')).catch(() => []),
    ]);
    this.site = site;
    this.versions = versions;
    this.accounts = new Map(members.map((m) => [m.account_id, m.email]));
    const files = site?.routes.map((r) => r.file) || [];
    if (!files.includes(this.routeFile)) this.routeFile = files[0] ?? null;
    await this.loadRouteExecutions();
  }

  async loadRouteExecutions() {
    this.routeExecutions = this.routeFile
      ? await this.api.get(this.path('/sites/executions') + this.api.query({ file: this.routeFile, limit: ROUTE_EXECUTIONS }))
      : [];
  }

  async reload() {
    await this.load();
    this.update();
  }

  async upload(event) {
    event.preventDefault();
    const form = event.target;
    const file = form.elements.zip.files[0];
    if (!file) {
      this.errors.upload = { zip: 'Choose a zip file first.' };
      this.update();
      return;
    }
    const data = new FormData();
    data.append('zip', file, file.name);
    this.notice = '';
    const site = await this.act('upload', ['zip'], () => this.api.post(this.path('/sites'), data));
    if (site) {
      form.reset();
      this.notice = `Version ${site.version} is live.`;
      await this.reload();
      window.scrollTo({ top: 0 }); // the new routes and the notice are at the top; the form is below them
    }
  }

  async rollBack(version) {
    const ok = await confirmAction({
      title: `Deploy site version ${version}`,
      message: `Serve version ${version} of the site again? It replaces the live version at once; every version stays and can be deployed again.`,
      confirmLabel: `Deploy version ${version}`,
    });
    if (!ok) return;
    this.notice = '';
    const site = await this.act('versions', [], () => this.api.post(this.path(`/sites/versions/${version}/deploy`)));
    if (site) {
      this.notice = `Version ${site.version} is live.`;
      await this.reload();
      window.scrollTo({ top: 0 });
    }
  }

  async showRoute(file) {
    this.routeFile = file;
    await this.act('route-executions', [], () => this.loadRouteExecutions().then(() => true));
  }

  render() {
    const developer = this.project.role !== 'viewer';
    const e = this.errors;
    const uploadCard = developer ? html`<section class="card" aria-labelledby="upload-title">
        <h2 id="upload-title">${this.site ? 'Upload a new version' : 'Upload a site'}</h2>
        <form id="site-upload-form" class="inline-form" @submit=${(ev) => this.upload(ev)}>
          <label for="site-zip">Site zip <span class="muted">(routes in <code>cloud-functions/</code>, everything else static)</span></label>
          <input id="site-zip" name="zip" type="file" accept=".zip,application/zip" aria-invalid=${e.upload?.zip ? 'true' : 'false'}>
          <span class="buttons"><button type="submit" class="primary" id="site-upload-button" ?disabled=${this.busy === 'upload'}>
            ${this.busy === 'upload' ? 'Deploying…' : 'Upload and deploy'}</button></span>
        </form>
        ${errorFor(e.upload, 'zip')}${formError(e.upload)}
      </section>` : nothing;
    return html`
      <div class="page-head"><h1>Site</h1>
        ${this.site ? html`<span class="buttons">${badge('deployed')}<span class="badge neutral" id="site-version">v${this.site.version}</span></span>` : nothing}</div>
      ${this.notice ? html`<p class="notice" role="status" id="site-notice">${this.notice}</p>` : nothing}
      ${this.site ? nothing : uploadCard}
      ${this.site ? this.renderSite() : this.renderEmpty()}
      ${this.renderVersions()}
      ${this.site ? uploadCard : nothing}`;
  }

  renderEmpty() {
    return html`<div id="site-empty">${emptyState(html`No site is live.${this.versions.length ? ' Deploy one of its versions below, or upload a new one.' : ''}
      A site is one zip: each <code>.py</code> file under <code>cloud-functions/</code> with an entry point is a route
      (<code>cloud-functions/api/hello.py</code> answers <code>/api/hello</code>, <code>index.py</code> its folder,
      <code>[id].py</code> one path segment, <code>[[rest]].py</code> the rest of the path); other <code>.py</code> files there
      are modules the routes import; <code>python_packages/</code> beside it holds third-party packages; every other file
      (<code>index.html</code>, <code>assets/app.js</code>) is served as a static file.`)}</div>`;
  }

  renderSite() {
    const site = this.site;
    return html`
      <div class="url-line site-url-line"><span class="muted">Live at</span><code id="site-url">${site.url}</code>${copyButton(site.url)}
        <a href=${site.url} target="_blank" rel="noopener noreferrer">Open</a>
        <span class="muted">version ${site.version}, uploaded ${time(site.deployed_at)}</span></div>
      <section class="card" aria-labelledby="routes-title">
        <h2 id="routes-title">Routes</h2>
        <div id="route-table">${table([
          { label: 'Pattern', cell: (r) => html`<code class="route-pattern">${r.pattern}</code>` },
          { label: 'File', cell: (r) => html`<code class="route-file">cloud-functions/${r.file}</code>` },
          { label: 'Style', cell: (r) => r.style },
          { label: 'Kind', cell: (r) => r.kind },
          { label: html`<span class="visually-hidden">Executions</span>`, class: 'actions', cell: (r) => html`<button type="button"
              class="link route-executions-button" aria-pressed=${r.file === this.routeFile ? 'true' : 'false'}
              @click=${() => this.showRoute(r.file)}>Executions</button>` },
        ], site.routes, { key: (r) => r.route_id, rowAttrs: (r) => r.file, empty: 'No routes: this site has only static files.' })}</div>
      </section>
      ${this.routeFile ? this.renderRouteExecutions() : nothing}
      <section class="card" aria-labelledby="static-title">
        <h2 id="static-title">Static files</h2>
        <div id="static-table">${table([
          { label: 'Path', cell: (f) => html`<code>${f.path}</code>` },
          { label: 'Type', cell: (f) => f.content_type },
          { label: 'Size', class: 'num', cell: (f) => bytes(f.size) },
        ], site.static_files, { key: (f) => f.path, empty: 'No static files: this site has only routes.' })}</div>
      </section>`;
  }

  renderRouteExecutions() {
    return html`<section class="card" aria-labelledby="route-executions-title">
      <h2 id="route-executions-title">Recent calls of <code>${this.routeFile}</code></h2>
      ${formError(this.errors['route-executions'])}
      <div id="route-executions">${table([
        { label: 'Status', cell: (x) => badge(x.status) },
        { label: 'Time', cell: (x) => time(x.created_at) },
        { label: 'Duration', class: 'num', cell: (x) => duration(x.duration_ms) },
        { label: 'HTTP', class: 'num', cell: (x) => x.http_status ?? '—' },
        { label: 'Version', class: 'num', cell: (x) => (x.version ? `v${x.version}` : '—') },
        { label: 'Error', cell: (x) => (x.error ? html`<details><summary class="route-error">${x.error}</summary>
            ${x.traceback ? html`<pre class="output">${x.traceback}</pre>` : nothing}
            ${x.logs ? html`<pre class="output">${x.logs}</pre>` : nothing}</details>` : '—') },
      ], this.routeExecutions, { empty: 'No calls of this route yet.' })}</div>
    </section>`;
  }

  renderVersions() {
    if (!this.versions.length) return nothing;
    const developer = this.project.role !== 'viewer';
    const by = (v) => (v.created_by ? this.accounts.get(v.created_by) || v.created_by : '—');
    return html`<section class="card" aria-labelledby="site-versions-title">
      <h2 id="site-versions-title">Versions</h2>
      ${formError(this.errors.versions)}
      <div id="site-versions">${table([
        { label: 'Version', cell: (v) => `v${v.version}` },
        { label: 'Uploaded', cell: (v) => time(v.created_at) },
        { label: 'By', cell: (v) => by(v) },
        { label: 'Files', class: 'num', cell: (v) => v.file_count },
        { label: 'Size', class: 'num', cell: (v) => bytes(v.size_bytes) },
        { label: html`<span class="visually-hidden">State</span>`, class: 'actions', cell: (v) => (v.deployed ? badge('deployed')
          : developer ? html`<button type="button" class="site-rollback-button" ?disabled=${this.busy === 'versions'}
              @click=${() => this.rollBack(v.version)}>${this.site && v.version < this.site.version ? 'Roll back to' : 'Deploy'} v${v.version}</button>` : nothing) },
      ], this.versions, { key: (v) => v.version, rowAttrs: (v) => (v.deployed ? 'deployed' : '') })}</div>
    </section>`;
  }
}
