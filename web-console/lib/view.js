// What every console view is: a class with load() and render(), shown by the app inside the layout.
import * as api from './api.js';
import { ApiError } from './api.js';
import { problemErrors } from './forms.js';

/**
 * A screen of the console. The app creates one per visit of a route, awaits load(), then calls render()
 * whenever update() is asked for. Subclasses set `name` (body[data-view] once loaded: tests wait for it) and
 * `title`, keep their data in fields, and call update() after changing them.
 */
export class View {
  name = 'view';
  title = '';

  constructor(app, params) {
    this.app = app;
    this.params = params; // the route's parts: {slug, name, ...}
    this.project = app.project; // the route's project, or null outside one
    this.api = api;
    this.errors = {}; // per action: {field: message, _form: message}
    this.busy = null; // the action running now, to disable its button
    this.timers = [];
  }

  /** Fetches what the view shows; a rejection shows the server's problem instead of the view. */
  async load() {}

  /** The view's template (lit-html). */
  render() {}

  /** Breadcrumbs after the project's: [[label, href], ...]; the last is the page itself. */
  crumbs() {
    return [[this.title]];
  }

  /** Whether the user may go to another page now (a view with unsaved changes asks); resolves to a boolean. */
  async canLeave() {
    return true;
  }

  /** Stops what load() started (timers): the app calls it when the route changes. */
  leave() {
    for (const timer of this.timers) clearInterval(timer);
  }

  update() {
    this.app.update();
  }

  /** The admin API path of this view's project: path('/functions') → /projects/{id}/functions. */
  path(suffix = '') {
    return `/projects/${encodeURIComponent(this.project.id)}${suffix}`;
  }

  /** The console URL (hash route) of a page of this view's project. */
  href(suffix = '') {
    return `#/p/${encodeURIComponent(this.project.slug)}${suffix}`;
  }

  /** Calls fn every ms while the view is shown (e.g. refreshing a log). */
  every(ms, fn) {
    this.timers.push(setInterval(() => {
      if (this.app.view === this && !document.hidden) fn();
    }, ms));
  }

  /**
   * Runs an action of a form or button: marks it busy (its button disables), clears its old errors, and on an
   * API error stores the server's message under the field it names (errorFor() shows it next to that field)
   * or under _form. Resolves to the action's result, or undefined when it failed.
   */
  async act(key, fields, action) {
    this.busy = key;
    delete this.errors[key];
    this.update();
    try {
      return await action();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.app.sessionEnded();
        return undefined;
      }
      this.errors[key] = problemErrors(error, fields);
      return undefined;
    } finally {
      this.busy = null;
      this.update();
    }
  }
}
