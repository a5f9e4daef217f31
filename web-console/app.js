// The console: the login form when signed out; else the layout (top bar, the project's navigation,
// breadcrumbs) around the view of the current hash route (routes.js). Views are lit-html templates.
import { ApiError, accessToken, get, post, resetCsrf, useAccessToken } from './lib/api.js';
import { html, render, nothing } from './lib/html.js';
import { problem, loading } from './lib/ui.js';
import { match, projectNavigation } from './routes.js';
import './lib/editor.js';

const $ = (id) => document.getElementById(id);

class App {
  account = null;
  projects = [];
  project = null; // the current route's project
  view = null; // the current View
  viewState = 'idle'; // loading | ready | failed
  loadError = null;
  loginNotice = '';
  loginError = '';
  loginMode = 'password'; // or 'token'
  busy = false;
  #routeSeq = 0;
  #renderQueued = false;
  #viewToMark = null;
  #shownHash = null; // the hash of the view shown (or loading)

  /**
   * Renders again once the current task is done: all the promise continuations of an action (a view storing
   * what its call answered) land in one render.
   */
  update() {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    setTimeout(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  /** No render is waiting: what the state says is on the page (scripts and tests wait for this before typing). */
  get idle() {
    return !this.#renderQueued;
  }

  /** Marks body[data-view] once the next render has put that view on the page (tests and scripts wait for it). */
  #markWhenRendered(name) {
    this.#viewToMark = name;
    this.update();
  }

  async start() {
    window.addEventListener('hashchange', () => this.route());
    let account;
    try {
      account = await get('/me');
    } catch (error) {
      if (accessToken() && error instanceof ApiError && error.status === 401) useAccessToken(null);
      const justSetUp = new URLSearchParams(location.search).has('setup');
      this.showLogin(justSetUp ? 'Your account is ready. Sign in with it.' : '');
      if (!(error instanceof ApiError && error.status === 401)) this.loginError = error.message;
      this.update();
      return;
    }
    await this.enter(account);
  }

  // ------------------------------------------------------------ signing in and out

  showLogin(notice = '') {
    this.view?.leave();
    Object.assign(this, { account: null, projects: [], project: null, view: null, loginNotice: notice });
    this.#shownHash = null;
    document.title = 'CocoCloud console';
    this.#markWhenRendered('login'); // ready for input
  }

  sessionEnded() {
    resetCsrf();
    useAccessToken(null);
    this.showLogin('Your session has ended. Please sign in again.');
  }

  async enter(account) {
    this.account = account;
    this.loginError = '';
    if (location.search) history.replaceState(null, '', location.pathname + location.hash); // drop ?setup=done
    await this.reloadProjects();
    await this.route();
  }

  async reloadProjects() {
    this.projects = await get('/projects');
  }

  async login(event) {
    event.preventDefault();
    const form = event.target;
    this.loginError = '';
    this.loginNotice = '';
    this.busy = true;
    this.update();
    try {
      let account;
      if (this.loginMode === 'token') {
        useAccessToken(form.elements.token.value.trim());
        account = await get('/me');
      } else {
        useAccessToken(null);
        account = await post('/auth/login', { email: form.elements.email.value.trim(), password: form.elements.password.value });
        resetCsrf(); // a new session gets a new CSRF token
      }
      form.reset();
      await this.enter(account);
    } catch (error) {
      if (this.loginMode === 'token') useAccessToken(null);
      this.loginError = error.message;
    } finally {
      this.busy = false;
      this.update();
    }
  }

  async logout() {
    if (accessToken()) {
      useAccessToken(null); // the token stays valid for scripts; revoke it under the account's tokens
    } else {
      try {
        await post('/auth/logout');
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) {
          alert(error.message);
          return;
        }
      }
    }
    resetCsrf();
    history.replaceState(null, '', location.pathname);
    this.showLogin('You have signed out.');
  }

  // ------------------------------------------------------------ routes

  /**
   * Shows the view of the current hash: finds its project, loads its module and data. The view shown now may
   * keep the user (unsaved changes): then the address goes back to it.
   */
  async route() {
    if (!this.account) return;
    const hash = location.hash;
    if (this.view && this.#shownHash !== null && hash !== this.#shownHash && !(await this.view.canLeave())) {
      history.replaceState(null, '', this.#shownHash || location.pathname);
      const switcher = $('project-switch');
      if (switcher) switcher.value = this.project?.slug ?? '';
      return;
    }
    this.#shownHash = hash;
    const seq = ++this.#routeSeq;
    const path = hash.replace(/^#/, '').split('?')[0] || '/';
    const found = match(path);
    this.view?.leave();
    this.view = null;
    this.loadError = null;
    this.viewState = 'loading';
    this.#viewToMark = null;
    delete document.body.dataset.view;
    this.update();
    let view = null;
    try {
      if (!found) throw new ApiError(`There is no console page at ${path}.`, 404, { title: 'Not found' });
      this.project = null;
      if (found.params.slug) {
        this.project = this.projects.find((p) => p.slug === found.params.slug || p.id === found.params.slug);
        if (!this.project) {
          await this.reloadProjects(); // created elsewhere since
          this.project = this.projects.find((p) => p.slug === found.params.slug || p.id === found.params.slug);
        }
        if (!this.project) {
          throw new ApiError(`The project ${found.params.slug} does not exist or you are not a member of it.`, 404,
            { title: 'Not found' });
        }
      }
      const module = await found.load();
      if (seq !== this.#routeSeq) return;
      view = new module.default(this, found.params);
      this.view = view;
      await view.load();
      if (seq !== this.#routeSeq) {
        view.leave(); // another route came while this one loaded: what load() started must stop
        return;
      }
      this.viewState = 'ready';
      document.title = [view.title, this.project?.name, 'CocoCloud console'].filter(Boolean).join(' · ');
      this.#markWhenRendered(view.name);
    } catch (error) {
      if (seq !== this.#routeSeq) {
        view?.leave();
        return;
      }
      if (error instanceof ApiError && error.status === 401) {
        this.sessionEnded();
        return;
      }
      this.viewState = 'failed';
      this.loadError = error;
      this.#markWhenRendered('error');
    }
  }

  /** Goes to a route (a '#/...' href); the same route loads again. */
  go(href) {
    if (location.hash === href) this.route();
    else location.hash = href;
  }

  // ------------------------------------------------------------ rendering

  #render() {
    $('login-view').hidden = !!this.account;
    $('shell').hidden = !this.account;
    render(this.account ? nothing : this.#loginTemplate(), $('login-view'));
    render(this.account ? this.#shellTemplate() : nothing, $('shell'));
    if (this.#viewToMark) {
      document.body.dataset.view = this.#viewToMark;
      this.#viewToMark = null;
    }
  }

  #loginTemplate() {
    const token = this.loginMode === 'token';
    const switchMode = () => {
      this.loginMode = token ? 'password' : 'token';
      this.loginError = '';
      this.update();
    };
    return html`<form id="login-form" class="card auth-card" aria-labelledby="login-title" @submit=${(e) => this.login(e)}>
      <h1 id="login-title" class="brand-title">CocoCloud</h1>
      <p class="muted">Sign in to the console.</p>
      <p id="login-notice" class="notice" role="status" ?hidden=${!this.loginNotice}>${this.loginNotice}</p>
      ${token ? html`
        <label for="token">Personal access token</label>
        <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false">
        <small class="muted">Create one with POST /admin/api/v1/auth/token (see the README). It is kept in this tab only.</small>`
      : html`
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>`}
      <p id="login-error" class="error" role="alert">${this.loginError}</p>
      <button id="login-button" type="submit" class="primary" ?disabled=${this.busy}>Sign in</button>
      <button id="login-mode-button" type="button" class="link" @click=${switchMode}>
        ${token ? 'Sign in with email and password' : 'Use a personal access token'}</button>
    </form>`;
  }

  #shellTemplate() {
    const project = this.project;
    const section = location.hash.split('/')[3] || 'functions';
    return html`
      <header class="topbar">
        <a class="brand" href="#/">CocoCloud</a>
        ${this.projects.length ? html`<label class="project-switch">
          <span class="visually-hidden">Project</span>
          <select id="project-switch" @change=${(e) => this.go(e.target.value ? `#/p/${encodeURIComponent(e.target.value)}` : '#/')}>
            <option value="" ?selected=${!project}>All projects</option>
            ${this.projects.map((p) => html`<option value=${p.slug} ?selected=${project?.id === p.id}>${p.name}</option>`)}
          </select></label>` : nothing}
        <span class="account">
          <span id="account-email" class="account-email">${this.account.email}</span>
          ${accessToken() ? html`<span class="badge neutral" title="Signed in with a personal access token">token</span>` : nothing}
          <button id="logout-button" type="button" @click=${() => this.logout()}>Log out</button>
        </span>
      </header>
      <div class="layout">
        ${project ? html`<nav class="sidebar" aria-label="Project">
          <p class="sidebar-project"><a href="#/p/${encodeURIComponent(project.slug)}/functions">${project.name}</a>
            <code>${project.slug}</code></p>
          <ul class="nav-list">${projectNavigation.map(([label, suffix, key]) => html`<li>
            <a href="#/p/${encodeURIComponent(project.slug)}${suffix}" data-nav=${key}
               aria-current=${section === key ? 'page' : 'false'}>${label}</a></li>`)}</ul>
        </nav>` : nothing}
        <main id="content" class="content" aria-live="polite">
          ${this.#breadcrumbs()}
          ${this.viewState === 'loading' ? loading()
            : this.viewState === 'failed' ? html`<div id="view-error">${problem(this.loadError)}</div>`
            : this.view ? this.view.render() : nothing}
        </main>
      </div>`;
  }

  #breadcrumbs() {
    const crumbs = [['Projects', '#/']];
    if (this.project) crumbs.push([this.project.name, `#/p/${encodeURIComponent(this.project.slug)}/functions`]);
    if (this.view && this.viewState === 'ready') crumbs.push(...this.view.crumbs().filter(([label]) => label));
    if (!this.project && crumbs.length === 1) return nothing;
    return html`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>${crumbs.map(([label, href], i) =>
      i === crumbs.length - 1 || !href ? html`<li aria-current=${i === crumbs.length - 1 ? 'page' : 'false'}>${label}</li>`
        : html`<li><a href=${href}>${label}</a></li>`)}</ol></nav>`;
  }
}

const app = new App();
window.cococloud = app; // for debugging in the browser's console
app.start().catch((error) => {
  // Last resort: never leave an uncaught error, say what went wrong instead.
  app.loginError = `The console failed to start: ${error.message}`;
  app.showLogin();
});
