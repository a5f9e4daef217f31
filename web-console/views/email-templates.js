// The project's email templates (what functions send with request.send_mail(template=...), and the app-user
// flows' own mails when named reset_password or verify_email): the list, and creating one.
import { html } from '../lib/html.js';
import { View } from '../lib/view.js';
import { table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';

const STARTER_HTML = `<p>Hello {{ name }},</p>
<p>Welcome aboard.</p>
`;
const STARTER_TEXT = `Hello {{ name }},

Welcome aboard.
`;

export const emailTemplateHref = (view, id) => view.href(`/email-templates/${encodeURIComponent(id)}`);

export default class EmailTemplatesView extends View {
  name = 'email-templates';
  title = 'Email templates';
  templates = [];

  async load() {
    this.templates = await this.api.get(this.path('/email-templates'));
  }

  async create(event) {
    event.preventDefault();
    const { id, subject } = formValues(event.target);
    const created = await this.act('create', ['id', 'subject', 'html', 'text'], () =>
      this.api.post(this.path('/email-templates'), { id, subject, html: STARTER_HTML, text: STARTER_TEXT }));
    if (created) this.app.go(emailTemplateHref(this, created.id));
  }

  render() {
    const e = this.errors.create;
    return html`
      <div class="page-head"><h1>Email templates</h1></div>
      <p class="muted">Mails your functions send by id. <code>reset_password</code> and <code>verify_email</code> replace
        the built-in mails of the app-user flows.</p>
      <section class="card" aria-labelledby="new-email-template-title">
        <h2 id="new-email-template-title">New email template</h2>
        <form id="new-email-template-form" class="form-grid" @submit=${(ev) => this.create(ev)}>
          <div><label for="new-email-template-id">Id</label>
            <input id="new-email-template-id" name="id" required maxlength="100" spellcheck="false" placeholder="welcome"
              aria-invalid=${invalid(e, 'id')}>${errorFor(e, 'id')}</div>
          <div><label for="new-email-template-subject">Subject</label>
            <input id="new-email-template-subject" name="subject" required maxlength="998" placeholder="Welcome, {{ name }}"
              aria-invalid=${invalid(e, 'subject')}>${errorFor(e, 'subject')}</div>
          <div class="form-foot">${errorFor(e, 'html')}${formError(e)}
            <button id="create-email-template-button" type="submit" class="primary" ?disabled=${this.busy === 'create'}>Create</button></div>
        </form>
      </section>
      <section class="card" aria-labelledby="email-template-list-title">
        <h2 id="email-template-list-title" class="visually-hidden">Email templates</h2>
        <div id="email-template-list">${table([
          { label: 'Id', cell: (t) => html`<a class="email-template-link" href=${emailTemplateHref(this, t.id)}>${t.id}</a>` },
          { label: 'Subject', cell: (t) => t.subject },
          { label: 'Updated', cell: (t) => time(t.updated_at) },
        ], this.templates, {
          key: (t) => t.id, rowAttrs: (t) => t.id,
          empty: 'No email templates yet. Create one above, then edit its subject and bodies with a preview.',
        })}</div>
      </section>`;
  }
}
