// The first page after signing in: the account's projects, creating one, and invitations addressed to it.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { capitalize, emptyState, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

export default class HomeView extends View {
  name = 'projects';
  title = '';
  invitations = [];

  async load() {
    [this.invitations] = await Promise.all([this.api.get('/invitations'), this.app.reloadProjects()]);
  }

  crumbs() {
    return [];
  }

  async create(event) {
    event.preventDefault();
    const { name, slug } = formValues(event.target);
    const created = await this.act('create', ['name', 'slug'], () =>
      this.api.post('/projects', slug ? { name, slug } : { name }));
    if (created) {
      await this.app.reloadProjects();
      this.app.go(`#/p/${encodeURIComponent(created.slug)}/functions`);
    }
  }

  async answer(invitation, accept) {
    const done = await this.act('invitations', [], async () => {
      if (accept) await this.api.post(`/invitations/${invitation.id}/accept`, {});
      else await this.api.del(`/invitations/${invitation.id}`);
      return true;
    });
    if (done) await this.app.route();
  }

  render() {
    const projects = this.app.projects;
    const errors = this.errors.create;
    return html`
      ${this.invitations.length ? html`<section id="my-invitations" class="card" aria-labelledby="my-invitations-title">
        <h2 id="my-invitations-title">Invitations for you</h2>
        ${formError(this.errors.invitations)}
        <ul id="my-invitation-list" class="invitation-list">${this.invitations.map((invitation) => html`
          <li data-invitation-id=${invitation.id}>
            <span>${invitation.project_name} (${invitation.project_slug}) as ${invitation.role}</span>
            <span class="buttons">
              <button type="button" class="primary accept-invitation-button" ?disabled=${this.busy}
                @click=${() => this.answer(invitation, true)}>Accept</button>
              <button type="button" class="decline-invitation-button" ?disabled=${this.busy}
                @click=${() => this.answer(invitation, false)}>Decline</button>
            </span></li>`)}</ul>
      </section>` : nothing}

      <div class="page-head"><h1>Projects</h1></div>
      <section class="card" aria-labelledby="projects-title">
        <h2 id="projects-title" class="visually-hidden">Your projects</h2>
        ${projects.length ? html`<ul id="project-list" class="project-list project-grid">${projects.map((p) => html`
          <li data-project-id=${p.id} data-project-slug=${p.slug}>
            <a href="#/p/${encodeURIComponent(p.slug)}/functions">
              <span class="project-name">${p.name}</span>
              <span class="project-slug">${p.slug} · ${capitalize(p.role)} · created ${time(p.created_at)}</span>
            </a></li>`)}</ul>`
        : html`<ul id="project-list" class="project-list"></ul>
          ${emptyState('No projects yet. Create your first project below: it holds functions, data, users and files.')}`}
      </section>

      <section class="card" aria-labelledby="new-project-title">
        <h2 id="new-project-title">New project</h2>
        <form id="new-project-form" class="form-grid" @submit=${(e) => this.create(e)}>
          <div>
            <label for="new-project-name">Name</label>
            <input id="new-project-name" name="name" type="text" required maxlength="200" aria-invalid=${invalid(errors, 'name')}>
            ${errorFor(errors, 'name')}
          </div>
          <div>
            <label for="new-project-slug">Slug <span class="muted">(optional)</span></label>
            <input id="new-project-slug" name="slug" type="text" maxlength="40" aria-describedby="new-project-slug-hint"
                   autocapitalize="off" spellcheck="false" aria-invalid=${invalid(errors, 'slug')}>
            <small id="new-project-slug-hint" class="muted">3–40 characters: a–z, 0–9 and “-”, starting with a letter. Derived from the name when empty.</small>
            ${errorFor(errors, 'slug')}
          </div>
          <div class="form-foot">
            <p id="new-project-error" class="error" role="alert">${errors?._form || ''}</p>
            <button id="create-project-button" type="submit" class="primary" ?disabled=${this.busy === 'create'}>Create project</button>
          </div>
        </form>
      </section>`;
  }
}
