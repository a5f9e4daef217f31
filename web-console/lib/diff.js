// A line diff of two texts (jsdiff, a WebJar) as a table: removed lines red, added green.
import { diffLines } from '../vendor/diff/lib/index.es6.js';
import { html } from './html.js';

export function diffView(before, after) {
  const parts = diffLines(before ?? '', after ?? '');
  let oldLine = 1;
  let newLine = 1;
  const rows = [];
  for (const part of parts) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) rows.push(['added', '', newLine++, '+', text]);
      else if (part.removed) rows.push(['removed', oldLine++, '', '-', text]);
      else rows.push(['same', oldLine++, newLine++, ' ', text]);
    }
  }
  const changed = parts.some((p) => p.added || p.removed);
  if (!changed) return html`<p class="muted diff-same">No differences.</p>`;
  return html`<div class="table-wrap"><table class="diff">
    <tbody>${rows.map(([kind, a, b, sign, text]) => html`<tr class="diff-${kind}">
      <td class="ln">${a}</td><td class="ln">${b}</td><td class="sign">${sign}</td><td><pre>${text}</pre></td></tr>`)}</tbody>
  </table></div>`;
}
