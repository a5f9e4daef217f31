// A function's versions, newest first. Selecting one shows its files and, file by file, how it differs from
// the deployed version (or any other); "Roll back to this version" deploys it again after a confirmation.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, table, time } from '../lib/ui.js';
import { formError } from '../lib/forms.js';
import { diffView } from '../lib/diff.js';
import { functionCrumbs, functionHeader, functionHref, loadFunction } from './function-base.js';

export default class FunctionVersionsView extends View {
  name = 'function-versions';
  title = 'Versions';
  fn = null;
  versions = [];
  accounts = new Map(); // account id → email, for "by"
  selected = null; // the version number shown
  against = null; // the version number it is compared with
  files = new Map(); // version number → FunctionVersionFiles, fetched once each

  async load() {
    this.fn = await loadFunction(this);
    const [versions, members] = await Promise.all([
      this.api.get(this.path(`/functions/${encodeURIComponent(this.fn.id)}/versions`)),
      this.api.get(this.path('/members')).catch(() => []), // "by" falls back to the account id
    ]);
    this.versions = versions;
    this.accounts = new Map(members.map((m) => [m.account_id, m.email]));
    if (versions.length) await this.select(versions[0].version);
  }

  crumbs() {
    return functionCrumbs(this, this.fn, 'Versions');
  }

  get deployed() {
    return this.versions.find((v) => v.deployed)?.version ?? this.fn.deployed_version;
  }

  versionFiles(number) {
    if (!this.files.has(number)) {
      this.files.set(number, this.api.get(this.path(`/functions/${encodeURIComponent(this.fn.id)}/versions/${number}`))
        .catch((error) => { this.files.delete(number); throw error; }));
    }
    return this.files.get(number);
  }

  /** Shows a version, compared with the deployed one (or, for the deployed one, the version before it). */
  async select(number, against) {
    if (against === undefined) {
      const previous = this.versions.find((v) => v.version < number)?.version ?? null;
      against = number === this.deployed ? previous : this.deployed;
    }
    const loaded = await this.act('select', [], async () => {
      const [shown, base] = await Promise.all([this.versionFiles(number), against ? this.versionFiles(against) : null]);
      return { shown, base };
    });
    if (loaded) {
      this.selected = number;
      this.against = against;
      this.shown = loaded.shown;
      this.base = loaded.base;
      this.update(); // act() rendered before these were set
    }
  }

  async rollBack(number) {
    const ok = await confirmAction({
      title: `Roll back to version ${number}`,
      message: `Deploy version ${number} of ${this.fn.name} again? Calls run it from now on; later versions stay and can be deployed again.`,
      confirmLabel: `Deploy version ${number}`,
    });
    if (!ok) return;
    const fn = await this.act('deploy', [], () =>
      this.api.post(this.path(`/functions/${encodeURIComponent(this.fn.id)}/versions/${number}/deploy`)));
    if (fn) {
      this.fn = { ...this.fn, ...fn };
      this.versions = await this.api.get(this.path(`/functions/${encodeURIComponent(this.fn.id)}/versions`));
      this.rolledBack = number;
      await this.select(number);
    }
  }

  render() {
    const by = (v) => (v.created_by ? this.accounts.get(v.created_by) || v.created_by : '—');
    return html`
      ${functionHeader(this, this.fn, 'versions')}
      ${formError(this.errors.deploy)}
      ${this.rolledBack ? html`<p class="notice" role="status" id="rollback-done">Version ${this.rolledBack} is deployed.</p>` : nothing}
      <div class="versions-layout">
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          <div id="version-list">${table([
            { label: 'Version', cell: (v) => html`<button type="button" class="link version-select"
                aria-pressed=${v.version === this.selected ? 'true' : 'false'}
                @click=${() => this.select(v.version)}>v${v.version}</button> ${v.deployed ? badge('deployed') : nothing}` },
            { label: 'Created', cell: (v) => html`${time(v.created_at)}<span class="version-by muted">${by(v)}</span>` },
            { label: 'Files', class: 'num', cell: (v) => v.files.length },
          ], this.versions, {
            key: (v) => v.version,
            rowAttrs: (v) => (v.deployed ? 'deployed' : ''),
            empty: 'No versions yet: deploying code creates version 1.',
          })}</div>
        </section>
        ${this.shown ? this.renderVersion() : formError(this.errors.select)}
      </div>`;
  }

  renderVersion() {
    const v = this.shown;
    const base = this.base;
    const before = base?.files || {};
    const after = v.files || {};
    const paths = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort();
    const added = paths.filter((p) => !(p in before) && base);
    const removed = paths.filter((p) => !(p in after));
    const changed = paths.filter((p) => p in before && p in after && before[p] !== after[p]);
    const same = paths.filter((p) => p in before && p in after && before[p] === after[p]);
    const others = this.versions.filter((x) => x.version !== v.version);
    return html`<section class="card version-detail" aria-labelledby="version-title" data-version=${v.version}>
      <div class="page-head">
        <h2 id="version-title">Version ${v.version} ${v.deployed ? badge('deployed') : nothing}</h2>
        ${v.deployed ? nothing : html`<button type="button" class="primary" id="rollback-button"
          ?disabled=${this.busy === 'deploy'} @click=${() => this.rollBack(v.version)}>Roll back to this version</button>`}
      </div>
      <p class="muted">Entry point <code>${v.entry_name}</code> in <code>${v.entry_file}</code>, style ${v.style}.</p>
      ${formError(this.errors.select)}
      <label for="compare-with">Compare with</label>
      <select id="compare-with" @change=${(e) => this.select(v.version, e.target.value ? Number(e.target.value) : null)}>
        <option value="" ?selected=${!this.against}>Nothing (show the files)</option>
        ${others.map((x) => html`<option value=${x.version} ?selected=${x.version === this.against}>
          v${x.version}${x.deployed ? ' (deployed)' : ''}</option>`)}
      </select>
      ${base ? html`<ul class="diff-summary" id="diff-summary">
          ${changed.map((p) => html`<li class="file-changed" data-path=${p}>changed <code>${p}</code></li>`)}
          ${added.map((p) => html`<li class="file-added" data-path=${p}>added <code>${p}</code></li>`)}
          ${removed.map((p) => html`<li class="file-removed" data-path=${p}>removed <code>${p}</code></li>`)}
          ${changed.length + added.length + removed.length ? nothing : html`<li class="muted">Same files, same code as v${base.version}.</li>`}
        </ul>
        ${[...changed, ...added, ...removed].map((p) => html`<section class="file-diff" data-path=${p}>
          <h3><code>${p}</code> <span class="muted">v${base.version} → v${v.version}</span></h3>
          ${diffView(before[p] ?? '', after[p] ?? '')}</section>`)}
        ${same.length ? html`<p class="muted">Unchanged: ${same.map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`)}</p>` : nothing}`
      : html`${paths.map((p) => html`<section class="file-diff" data-path=${p}>
          <h3><code>${p}</code></h3><pre class="output version-source">${after[p]}</pre></section>`)}`}
      ${v.data_files?.length ? html`<details class="data-files"><summary>${v.data_files.length} other files</summary>
        <ul>${v.data_files.map((f) => html`<li><code>${f.path}</code> <span class="muted">${f.size} bytes</span></li>`)}</ul></details>` : nothing}
      <p><a href=${functionHref(this, this.fn)}>Open the deployed code</a></p>
    </section>`;
  }
}
