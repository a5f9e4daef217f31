// Small building blocks every view shares: tables, empty states, badges, times, copying, confirmations.
import { html, nothing } from './html.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> for an ISO instant, or `empty` when there is none. */
export function time(iso, empty = '—') {
  if (!iso) return empty;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return html`<time datetime=${iso} title=${iso}>${dateTime.format(date)}</time>`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : '');

/** A status as a coloured word: success/sent/enabled green, error/failed/timeout red, others grey. */
export function badge(status) {
  if (status === null || status === undefined) return html`<span class="badge">—</span>`;
  const tone = /^(success|sent|enabled|active|ok|deployed)$/.test(status) ? 'good'
    : /^(error|failed|timeout|disabled)$/.test(status) ? 'bad' : 'neutral';
  return html`<span class="badge ${tone}" data-status=${status}>${status}</span>`;
}

/**
 * A table: columns are [{label, cell: (row) => template, class?}], rows any values. With no rows it shows the
 * empty state instead: `empty` says what to do.
 */
export function table(columns, rows, { empty = 'Nothing here yet.', key = (row) => row.id, rowAttrs } = {}) {
  if (!rows || rows.length === 0) return emptyState(empty);
  return html`<div class="table-wrap"><table>
    <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.class || ''}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr data-id=${key(row) ?? ''} data-name=${rowAttrs?.(row) ?? nothing}>
      ${columns.map((c) => html`<td class=${c.class || ''}>${c.cell(row)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

/** What an empty list shows: what is missing and what to do about it. */
export function emptyState(message, action = nothing) {
  return html`<div class="empty-state"><p>${message}</p>${action}</div>`;
}

export function loading(what = 'Loading…') {
  return html`<p class="loading" role="status" aria-busy="true">${what}</p>`;
}

/** An error the server answered (its problem detail) where the content would be. */
export function problem(error) {
  return html`<div class="problem" role="alert"><strong>${error?.problem?.title || 'Something went wrong'}</strong>
    <p class="problem-detail">${error?.message || String(error)}</p></div>`;
}

/** A button that copies text, saying so; without clipboard access it selects the text instead. */
export function copyButton(text, label = 'Copy') {
  const copy = async (event) => {
    const button = event.currentTarget;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      const target = button.previousElementSibling;
      if (target) {
        const range = document.createRange();
        range.selectNodeContents(target);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      }
      button.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { button.textContent = label; }, 2500);
  };
  return html`<button type="button" class="copy-button" @click=${copy}>${label}</button>`;
}

/** Tabs as links: items are [[label, href, key]], `active` the current key. */
export function tabs(items, active) {
  return html`<nav class="tabs" aria-label="Sections">${items.map(([label, href, key]) =>
    html`<a href=${href} class="tab" data-tab=${key} aria-current=${key === active ? 'page' : 'false'}>${label}</a>`)}</nav>`;
}

export const json = (value) => JSON.stringify(value, null, 2);

/**
 * Asks before something that cannot be undone, in a modal dialog (no browser alert). With `typed`, the
 * confirm button stays disabled until that exact text is typed. Resolves to true when confirmed.
 */
export function confirmAction({ title, message, confirmLabel = 'Delete', typed = null }) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'confirm-dialog';
    dialog.innerHTML = `<form method="dialog"><h2></h2><p class="confirm-message"></p>
      <label class="typed" hidden>Type <code></code> to confirm<input id="confirm-input" autocomplete="off"></label>
      <div class="buttons"><button id="confirm-cancel" value="cancel" type="submit">Cancel</button>
      <button id="confirm-ok" value="ok" type="submit" class="danger"></button></div></form>`;
    dialog.querySelector('h2').textContent = title;
    dialog.querySelector('.confirm-message').textContent = message;
    const ok = dialog.querySelector('#confirm-ok');
    ok.textContent = confirmLabel;
    if (typed) {
      const label = dialog.querySelector('.typed');
      label.hidden = false;
      label.querySelector('code').textContent = typed;
      const input = label.querySelector('input');
      ok.disabled = true;
      input.addEventListener('input', () => { ok.disabled = input.value !== typed; });
    }
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    (typed ? dialog.querySelector('#confirm-input') : dialog.querySelector('#confirm-cancel')).focus();
  });
}
