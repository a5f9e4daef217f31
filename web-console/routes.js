// Every page of the console: a hash route and the module whose default export is its View class.
// Segments starting with ':' are parameters; a last '*name' takes the rest of the path (it may hold '/').
// Modules load when first visited.
export const routes = [
  ['/', () => import('./views/home.js')],
  ['/p/:slug', () => import('./views/functions.js')],
  ['/p/:slug/functions', () => import('./views/functions.js')],
  ['/p/:slug/functions/+new', () => import('./views/function-new.js')], // '+': no function's name (they start with a letter)
  ['/p/:slug/functions/:fn', () => import('./views/function-code.js')],
  ['/p/:slug/functions/:fn/versions', () => import('./views/function-versions.js')],
  ['/p/:slug/functions/:fn/settings', () => import('./views/function-settings.js')],
  ['/p/:slug/functions/:fn/schedules', () => import('./views/function-schedules.js')],
  ['/p/:slug/functions/:fn/hooks', () => import('./views/function-hooks.js')],
  ['/p/:slug/functions/:fn/executions', () => import('./views/executions.js')],
  ['/p/:slug/functions/:fn/executions/:execution', () => import('./views/execution.js')],
  ['/p/:slug/executions', () => import('./views/executions.js')],
  ['/p/:slug/sites', () => import('./views/sites.js')],
  ['/p/:slug/data', () => import('./views/collections.js')],
  ['/p/:slug/data/:collection', () => import('./views/documents.js')],
  ['/p/:slug/users', () => import('./views/users.js')],
  ['/p/:slug/users/:user', () => import('./views/user.js')],
  ['/p/:slug/templates', () => import('./views/templates.js')],
  ['/p/:slug/templates/*template', () => import('./views/template.js')],
  ['/p/:slug/files', () => import('./views/files.js')],
  ['/p/:slug/files/*folder', () => import('./views/files.js')],
  ['/p/:slug/secrets', () => import('./views/secrets.js')],
  ['/p/:slug/email-templates', () => import('./views/email-templates.js')],
  ['/p/:slug/email-templates/:template', () => import('./views/email-template.js')],
  ['/p/:slug/mail', () => import('./views/mail.js')],
  ['/p/:slug/settings', () => import('./views/settings.js')],
];

/** The navigation of a project, in the sidebar: [label, route suffix, the first route segment it covers]. */
export const projectNavigation = [
  ['Functions', '/functions', 'functions'],
  ['Executions', '/executions', 'executions'],
  ['Sites', '/sites', 'sites'],
  ['Data', '/data', 'data'],
  ['App users', '/users', 'users'],
  ['Templates', '/templates', 'templates'],
  ['Static files', '/files', 'files'],
  ['Secrets & variables', '/secrets', 'secrets'],
  ['Email templates', '/email-templates', 'email-templates'],
  ['Mail', '/mail', 'mail'],
  ['Settings', '/settings', 'settings'],
];

/** The route matching a path ('/p/shop/functions/hello'), with its parameters, or null. */
export function match(path) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const [pattern, load] of routes) {
    const segments = pattern.split('/').filter(Boolean);
    const params = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i];
      if (segment.startsWith('*')) {
        if (i >= parts.length) ok = false;
        else params[segment.slice(1)] = parts.slice(i).join('/');
        break;
      }
      if (i >= parts.length) ok = false;
      else if (segment.startsWith(':')) params[segment.slice(1)] = parts[i];
      else if (segment !== parts[i]) ok = false;
    }
    const wildcard = segments.at(-1)?.startsWith('*');
    if (ok && (wildcard || segments.length === parts.length)) return { pattern, load, params };
  }
  return null;
}
