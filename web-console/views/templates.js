// The project's Jinja templates (what functions render with render_template): name, size, last saved, and
// creating one. Editing and previewing happen on the template's own page.
import { html } from '../lib/html.js';
import { View } from '../lib/view.js';
import { bytes, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';
import { templateHref } from './template.js';

const STARTER = `<!doctype html>
<html>
  <body>
    <h1>Hello {{ name }}!</h1>
  </body>
</html>
`;

export default class TemplatesView extends View {
  name = 'templates';
  title = 'Templates';
  templates = [];

  async load() {
    this.templates = await this.api.get(this.path('/templates'));
  }

  async create(event) {
    event.preventDefault();
    const { name } = formValues(event.target);
    const created = await this.act('create', ['name', 'content'], () =>
      this.api.post(this.path('/templates'), { name, content: STARTER }));
    if (created) this.app.go(templateHref(this, created.name));
  }

  render() {
    const e = this.errors.create;
    return html`
      <div class="page-head"><h1>Templates</h1></div>
      <p class="muted">Jinja templates your functions render with <code>render_template("name", ...)</code>. They may
        include and extend each other.</p>
      <section class="card" aria-labelledby="new-template-title">
        <h2 id="new-template-title">New template</h2>
        <form id="new-template-form" class="inline-form" @submit=${(ev) => this.create(ev)}>
          <label for="new-template-name">Name</label>
          <input id="new-template-name" name="name" required maxlength="200" spellcheck="false"
            placeholder="emails/welcome.html" aria-invalid=${invalid(e, 'name')}>
          <span class="buttons"><button id="create-template-button" type="submit" class="primary"
            ?disabled=${this.busy === 'create'}>Create</button></span>
        </form>
        ${errorFor(e, 'name')}${errorFor(e, 'content')}${formError(e)}
      </section>
      <section class="card" aria-labelledby="template-list-title">
        <h2 id="template-list-title" class="visually-hidden">Templates</h2>
        <div id="template-list">${table([
          { label: 'Name', cell: (t) => html`<a class="template-link" href=${templateHref(this, t.name)}>${t.name}</a>` },
          { label: 'Version', class: 'num', cell: (t) => t.version },
          { label: 'Size', class: 'num', cell: (t) => bytes(t.size) },
          { label: 'Updated', cell: (t) => time(t.updated_at) },
        ], this.templates, {
          empty: 'No templates yet. Create one above, then edit it with a live preview.',
          key: (t) => t.name, rowAttrs: (t) => t.name,
        })}</div>
      </section>`;
  }
}
