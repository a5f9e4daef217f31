// What every page of one function shares: loading it, its header (style, state, URLs to copy, a curl line)
// and the tabs between its pages. Used by function-code, function-versions, function-settings, function-schedules,
// function-hooks and executions.
import { html, nothing } from '../lib/html.js';
import { badge, copyButton, tabs } from '../lib/ui.js';

/** GET the function of the route (params.fn: its name or id). */
export function loadFunction(view) {
  return view.api.get(view.path(`/functions/${encodeURIComponent(view.params.fn)}`));
}

/** The console route of a function's page: functionHref(view, fn, '/versions'). */
export function functionHref(view, fn, suffix = '') {
  return view.href(`/functions/${encodeURIComponent(fn.name)}${suffix}`);
}

/** Breadcrumbs: Functions / {name} / {leaf}. */
export function functionCrumbs(view, fn, leaf) {
  const crumbs = [['Functions', view.href('/functions')], [fn.name, leaf ? functionHref(view, fn) : undefined]];
  if (leaf) crumbs.push([leaf]);
  return crumbs;
}

/** The style a function runs in: its setting, else what the deployed version's check found. */
export const styleOf = (fn) => fn.style || fn.deployed_style || 'main';

/** A curl line that calls the function as a client would. */
export function curlLine(fn) {
  const auth = fn.require_auth ? " -H 'Authorization: Bearer <app user token>'" : '';
  if (styleOf(fn) === 'main') {
    return `curl -X POST '${fn.urls.execute}'${auth} -H 'Content-Type: application/json' -d '{"name": "World"}'`;
  }
  return `curl '${fn.urls.invoke}'${auth}`;
}

/** The function's header and tabs; `tab` is code | versions | settings | schedules | hooks | executions. */
export function functionHeader(view, fn, tab) {
  const main = styleOf(fn) === 'main';
  const urls = main ? [['Execute', fn.urls.execute], ['By name', fn.urls.func]]
    : [['Invoke', fn.urls.invoke], ['By name', fn.urls.func]];
  return html`
    <div class="page-head function-head">
      <h1 id="function-name">${fn.name}</h1>
      <span class="buttons">
        <span class="badge neutral" id="function-style" title="Style">${styleOf(fn)}</span>
        ${badge(fn.enabled ? 'enabled' : 'disabled')}
        ${fn.deployed_version ? html`<span class="badge neutral" id="function-version">v${fn.deployed_version}</span>` : nothing}
        ${fn.require_auth ? html`<span class="badge neutral">app users only</span>` : nothing}
      </span>
    </div>
    <section class="function-urls" aria-label="Execution URLs">
      ${urls.map(([label, url]) => html`<div class="url-line"><span class="muted">${label}</span>
        <code class="function-url" data-url=${label}>${url}</code>${copyButton(url)}</div>`)}
      <div class="url-line"><span class="muted">curl</span><code id="curl-line">${curlLine(fn)}</code>${copyButton(curlLine(fn))}</div>
    </section>
    ${tabs([
      ['Code & test', functionHref(view, fn), 'code'],
      ['Versions', functionHref(view, fn, '/versions'), 'versions'],
      ['Settings', functionHref(view, fn, '/settings'), 'settings'],
      ['Schedules', functionHref(view, fn, '/schedules'), 'schedules'],
      ['Hooks', functionHref(view, fn, '/hooks'), 'hooks'],
      ['Executions', functionHref(view, fn, '/executions'), 'executions'],
    ], tab)}`;
}
