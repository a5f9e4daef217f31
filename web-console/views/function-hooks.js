// A function's hooks (docs/hooks.md): the project's hooks that run this function, each with its collection (or
// every one), its timing and events; subscribing it to more (collection, before/after, events) and deleting one.
// The admin API lists the project's hooks; this page keeps those whose function is this one.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, emptyState, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';
import { functionCrumbs, functionHeader, loadFunction } from './function-base.js';

const FIELDS = ['collection', 'timing', 'events'];
// What the server accepts for each timing (HookService): a before-hook decides a document's write (create, update
// or delete), so it takes no users.* events; the documents' events come first so that switching keeps their boxes.
const EVENTS = {
  after: ['documents.create', 'documents.update', 'documents.delete',
    'users.create', 'users.login', 'users.update', 'users.delete'],
  before: ['documents.create', 'documents.update', 'documents.delete'],
};

export default class FunctionHooksView extends View {
  name = 'function-hooks';
  title = 'Hooks';
  fn = null;
  hooks = [];
  timing = 'after'; // the form's timing: which events it offers

  async load() {
    this.fn = await loadFunction(this);
    await this.reload();
  }

  crumbs() {
    return functionCrumbs(this, this.fn, 'Hooks');
  }

  base() {
    return this.path('/hooks');
  }

  async reload() {
    const all = await this.api.get(this.base());
    this.hooks = all.filter((hook) => hook.function_id === this.fn.id);
  }

  chooseTiming(event) {
    this.timing = event.target.value;
    this.update();
  }

  async create(event) {
    event.preventDefault();
    const form = event.target;
    const values = formValues(form);
    const events = [...form.querySelectorAll('input[name="events"]:checked')].map((box) => box.value);
    // Empty means every collection, as "*" does; the server refuses a collection with users.* events by itself.
    const body = { function_id: this.fn.id, collection: values.collection || null, timing: values.timing, events };
    const created = await this.act('create', FIELDS, () => this.api.post(this.base(), body));
    if (created) {
      form.reset();
      this.timing = 'after';
      await this.reload();
      this.update();
    }
  }

  async remove(hook) {
    const ok = await confirmAction({
      title: 'Delete hook',
      message: `This stops running ${this.fn.name} ${hook.timing} ${hook.events.join(', ')} on ${where(hook)}.`
        + ' Its past runs stay in the execution log.',
      confirmLabel: 'Delete hook',
    });
    if (ok && await this.act(`row-${hook.id}`, [], () => this.api.del(`${this.base()}/${hook.id}`).then(() => true))) {
      await this.reload();
      this.update();
    }
  }

  render() {
    const developer = this.project.role !== 'viewer';
    const e = this.errors.create;
    return html`
      ${functionHeader(this, this.fn, 'hooks')}
      <section class="card" aria-labelledby="hooks-title">
        <h2 id="hooks-title">Hooks</h2>
        <p class="muted">An <strong>after</strong>-hook runs the function with each event as its JSON body, later, at
          least once and in order per document or user, with retries. A <strong>before</strong>-hook runs inside the
          write, within 2 s: it may change the document (<code>{"data": {...}}</code>) or refuse its create, update
          or delete (<code>{"reject": "why"}</code>). Each run is an execution with trigger <code>hook</code>.</p>
        <div id="hook-list">${this.hookTable(developer)}</div>
      </section>
      ${developer ? html`<section class="card" aria-labelledby="new-hook-title">
        <h2 id="new-hook-title">New hook</h2>
        <form id="hook-form" class="form-grid" @submit=${(ev) => this.create(ev)}>
          <div><label for="hook-collection">Collection</label>
            <input id="hook-collection" name="collection" type="text" maxlength="64" spellcheck="false" autocomplete="off"
              placeholder="*" aria-invalid=${invalid(e, 'collection')} aria-describedby="hook-collection-help">
            <small class="muted" id="hook-collection-help">Empty or <code>*</code>: every collection. Leave it empty for
              app users' events.</small>
            ${errorFor(e, 'collection')}</div>
          <div><label for="hook-timing">When</label>
            <select id="hook-timing" name="timing" aria-invalid=${invalid(e, 'timing')} @change=${(ev) => this.chooseTiming(ev)}>
              <option value="after" ?selected=${this.timing === 'after'}>After the write</option>
              <option value="before" ?selected=${this.timing === 'before'}>Before the write (may change or refuse it)</option>
            </select>
            ${errorFor(e, 'timing')}</div>
          <fieldset class="form-foot checks" id="hook-events" aria-invalid=${invalid(e, 'events')}>
            <legend>Events</legend>
            ${EVENTS[this.timing].map((name) => html`<label class="check">
              <input type="checkbox" name="events" value=${name} data-event=${name}> <code>${name}</code></label>`)}
            ${errorFor(e, 'events')}
          </fieldset>
          <div class="form-foot">${formError(e)}
            <button type="submit" class="primary" id="add-hook-button" ?disabled=${this.busy === 'create'}>Add hook</button></div>
        </form>
      </section>` : nothing}`;
  }

  hookTable(developer) {
    if (!this.hooks.length) {
      return emptyState(developer ? 'No hooks run this function yet: add one below.' : 'No hooks run this function.');
    }
    return table([
      { label: 'Collection', cell: (h) => html`<span class="hook-collection">${where(h)}</span>` },
      { label: 'When', cell: (h) => html`<span class="hook-timing">${badge(h.timing)}</span>` },
      { label: 'Events', cell: (h) => html`<span class="hook-events">${h.events.map((name) => html`<code>${name}</code> `)}</span>` },
      { label: 'Created', cell: (h) => time(h.created_at) },
      { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (h) => html`${developer ? html`
        <button type="button" class="hook-delete danger" aria-label="Delete the hook on ${where(h)}"
          ?disabled=${this.busy === `row-${h.id}`} @click=${() => this.remove(h)}>Delete</button>` : nothing}
        ${formError(this.errors[`row-${h.id}`])}` },
    ], this.hooks);
  }
}

/** What a hook watches: its collection, every collection (*), or app users when it takes users.* events only. */
function where(hook) {
  if (hook.collection) return hook.collection;
  return hook.events.every((name) => name.startsWith('users.')) ? 'app users' : '*';
}
