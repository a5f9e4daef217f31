// A function's schedules (docs/schedules.md): the list with each one's next and last run and counts, adding one
// (cron, time zone, JSON payload, what a missed tick does), pausing, resuming and deleting, and a schedule's
// latest runs, each linked to its execution.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { badge, confirmAction, emptyState, table, time } from '../lib/ui.js';
import { errorFor, formError, formValues, invalid } from '../lib/forms.js';
import { functionCrumbs, functionHeader, functionHref, loadFunction } from './function-base.js';

const FIELDS = ['cron', 'time_zone', 'payload', 'missed_ticks'];

export default class FunctionSchedulesView extends View {
  name = 'function-schedules';
  title = 'Schedules';
  fn = null;
  schedules = [];
  runsOf = null; // the schedule whose runs are shown
  runs = [];

  async load() {
    this.fn = await loadFunction(this);
    await this.reload();
    this.every(5000, () => this.refresh());
  }

  crumbs() {
    return functionCrumbs(this, this.fn, 'Schedules');
  }

  base() {
    return this.path(`/functions/${encodeURIComponent(this.fn.id)}/schedules`);
  }

  async reload() {
    this.schedules = await this.api.get(this.base());
    if (this.runsOf) this.runs = await this.api.get(`${this.base()}/${this.runsOf}/runs?limit=20`);
  }

  /** Next and last runs move on their own: kept fresh while the page is shown. */
  async refresh() {
    try {
      await this.reload();
      this.update();
    } catch {
      // the next refresh tries again; an action shows its own errors
    }
  }

  async create(event) {
    event.preventDefault();
    const form = event.target;
    const values = formValues(form);
    const body = { cron: values.cron, time_zone: values.time_zone || 'UTC', missed_ticks: values.missed_ticks };
    if (values.payload.trim()) {
      try {
        body.payload = JSON.parse(values.payload);
      } catch (error) {
        this.errors.create = { payload: `payload is not JSON: ${error.message}` };
        this.update();
        return;
      }
    }
    const created = await this.act('create', FIELDS, () => this.api.post(this.base(), body));
    if (created) {
      form.reset();
      await this.reload();
      this.update();
    }
  }

  async setEnabled(schedule, enabled) {
    if (await this.act(`row-${schedule.id}`, [], () => this.api.patch(`${this.base()}/${schedule.id}`, { enabled }))) {
      await this.reload();
      this.update();
    }
  }

  async remove(schedule) {
    const ok = await confirmAction({
      title: 'Delete schedule',
      message: `This deletes the schedule ${schedule.cron} (${schedule.time_zone}). Its runs stay in the execution log.`,
      confirmLabel: 'Delete schedule',
    });
    if (ok && await this.act(`row-${schedule.id}`, [], () => this.api.del(`${this.base()}/${schedule.id}`).then(() => true))) {
      if (this.runsOf === schedule.id) this.runsOf = null;
      await this.reload();
      this.update();
    }
  }

  async showRuns(schedule) {
    this.runsOf = schedule.id;
    this.runs = await this.api.get(`${this.base()}/${schedule.id}/runs?limit=20`);
    this.update();
  }

  render() {
    const developer = this.project.role !== 'viewer';
    const e = this.errors.create;
    return html`
      ${functionHeader(this, this.fn, 'schedules')}
      <section class="card" aria-labelledby="schedules-title">
        <h2 id="schedules-title">Schedules</h2>
        <p class="muted">Each tick runs the function once, on one server, with the payload as a JSON POST body
          (<code>request.get</code> reads it). Runs are recorded like async calls, with their retries.</p>
        <div id="schedule-list">${this.scheduleTable(developer)}</div>
      </section>
      ${this.runsOf ? this.runsCard() : nothing}
      ${developer ? html`<section class="card" aria-labelledby="new-schedule-title">
        <h2 id="new-schedule-title">New schedule</h2>
        <form id="schedule-form" class="form-grid" @submit=${(ev) => this.create(ev)}>
          <div><label for="schedule-cron">Cron expression</label>
            <input id="schedule-cron" name="cron" type="text" maxlength="200" spellcheck="false" required
              placeholder="0 */5 * * * *" aria-invalid=${invalid(e, 'cron')} aria-describedby="cron-help">
            <small class="muted" id="cron-help">Six fields, seconds first: <code>second minute hour day month weekday</code>,
              or <code>@hourly</code>, <code>@daily</code>…</small>
            ${errorFor(e, 'cron')}</div>
          <div><label for="schedule-zone">Time zone</label>
            <input id="schedule-zone" name="time_zone" type="text" maxlength="64" spellcheck="false" placeholder="UTC"
              aria-invalid=${invalid(e, 'time_zone')}>
            <small class="muted">An IANA zone such as <code>Europe/Paris</code>.</small>
            ${errorFor(e, 'time_zone')}</div>
          <div><label for="schedule-missed">A tick missed while the server was down</label>
            <select id="schedule-missed" name="missed_ticks" aria-invalid=${invalid(e, 'missed_ticks')}>
              <option value="run_once" selected>Run it once when the server is back</option>
              <option value="skip">Skip it</option>
            </select>
            ${errorFor(e, 'missed_ticks')}</div>
          <div class="form-foot"><label for="schedule-payload">Payload (JSON object)</label>
            <textarea id="schedule-payload" class="code" name="payload" rows="3" spellcheck="false" placeholder='{"kind": "daily"}'
              aria-invalid=${invalid(e, 'payload')}></textarea>
            ${errorFor(e, 'payload')}</div>
          <div class="form-foot">${formError(e)}
            <button type="submit" class="primary" id="add-schedule-button" ?disabled=${this.busy === 'create'}>Add schedule</button></div>
        </form>
      </section>` : nothing}`;
  }

  scheduleTable(developer) {
    if (!this.schedules.length) {
      return emptyState(developer ? 'No schedules yet: add one below.' : 'No schedules.');
    }
    return table([
      { label: 'When', cell: (s) => html`<code class="schedule-cron">${s.cron}</code> <span class="muted">${s.time_zone}</span>` },
      { label: 'State', cell: (s) => badge(s.enabled ? 'enabled' : 'disabled') },
      { label: 'Next run', cell: (s) => html`<span class="schedule-next">${time(s.next_run_at)}</span>` },
      { label: 'Last run', cell: (s) => html`${time(s.last_run_at)} ${s.last_status ? badge(s.last_status) : nothing}` },
      { label: 'Runs', cell: (s) => html`<span class="schedule-runs">${s.runs}</span>`, class: 'num' },
      { label: 'Failures', cell: (s) => html`<span class="schedule-failures">${s.failures}</span>`, class: 'num' },
      { label: '', cell: (s) => html`<span class="buttons">
        <button type="button" class="schedule-show-runs" @click=${() => this.showRuns(s)}>Runs</button>
        ${developer ? html`
          <button type="button" class="schedule-toggle" ?disabled=${this.busy === `row-${s.id}`}
            @click=${() => this.setEnabled(s, !s.enabled)}>${s.enabled ? 'Pause' : 'Resume'}</button>
          <button type="button" class="schedule-delete danger" @click=${() => this.remove(s)}>Delete</button>` : nothing}
        </span>${formError(this.errors[`row-${s.id}`])}` },
    ], this.schedules);
  }

  runsCard() {
    const schedule = this.schedules.find((s) => s.id === this.runsOf);
    return html`<section class="card" aria-labelledby="runs-title" id="schedule-runs">
      <h2 id="runs-title">Latest runs${schedule ? html` of <code>${schedule.cron}</code>` : nothing}</h2>
      ${table([
        { label: 'Tick', cell: (r) => html`<a href=${functionHref(this, this.fn, `/executions/${r.id}`)}>${time(r.scheduled_for)}</a>` },
        { label: 'Status', cell: (r) => badge(r.status) },
        { label: 'Attempts', cell: (r) => r.attempts, class: 'num' },
        { label: 'Error', cell: (r) => r.error || '' },
      ], this.runs, { empty: 'No runs yet: the first comes at the next tick.' })}
    </section>`;
  }
}
