// The project's static files, browsed as folders (a folder is the common prefix of paths: there are no empty
// ones). Upload files or a zip into the folder shown, preview images and text, copy a file's public URL,
// delete. Previews are fetched through the admin API as blobs, never from the project's own origin: the
// console never loads tenant content as a page of its own.
import { html, nothing } from '../lib/html.js';
import { View } from '../lib/view.js';
import { bytes, confirmAction, copyButton, emptyState, table, time } from '../lib/ui.js';
import { errorFor, formError } from '../lib/forms.js';
import { encodeName } from './template.js';

const TEXT_PREVIEW_LIMIT = 256 * 1024; // bytes of a text file shown; the rest is cut
const TEXTUAL = /^(text\/|application\/(json|javascript|xml|ld\+json|manifest\+json)|image\/svg\+xml)/;

/** What kind of preview a content type gets: 'image', 'text' or null. */
function previewKind(contentType) {
  if (/^image\/(png|jpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)/.test(contentType)) return 'image';
  if (TEXTUAL.test(contentType)) return 'text';
  return null;
}

export default class FilesView extends View {
  name = 'files';
  title = 'Static files';
  files = []; // every file under this folder, however deep
  selected = null; // the file previewed: {file, kind, url?, text?, cut?}
  uploaded = null; // what the last upload stored

  /** The folder shown, without slashes at either end ('' for the root). */
  get folder() {
    return (this.params.folder || '').replace(/^\/+|\/+$/g, '');
  }

  get prefix() {
    return this.folder ? `${this.folder}/` : '';
  }

  async load() {
    this.files = await this.api.get(this.path(`/static${this.api.query({ prefix: this.prefix })}`));
  }

  leave() {
    super.leave();
    this.closePreview();
  }

  crumbs() {
    const crumbs = [['Static files', this.folder ? this.href('/files') : undefined]];
    const parts = this.folder ? this.folder.split('/') : [];
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      crumbs.push([part, last ? undefined : this.folderHref(parts.slice(0, i + 1).join('/'))]);
    });
    return crumbs;
  }

  folderHref(folder) {
    return this.href(folder ? `/files/${encodeName(folder)}` : '/files');
  }

  /** The folders right inside this one, and its own files. */
  get entries() {
    const folders = new Map();
    const here = [];
    for (const file of this.files) {
      const rest = file.path.slice(this.prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) here.push(file);
      else {
        const name = rest.slice(0, slash);
        const folder = folders.get(name) || { name, count: 0, size: 0 };
        folder.count++;
        folder.size += file.size;
        folders.set(name, folder);
      }
    }
    return { folders: [...folders.values()], files: here };
  }

  async reload() {
    await this.load();
    if (this.selected && !this.files.some((f) => f.path === this.selected.file.path)) this.closePreview();
    this.update();
  }

  async uploadFiles(event) {
    event.preventDefault();
    const input = event.target.elements.files;
    const chosen = [...input.files];
    if (!chosen.length) {
      this.errors.upload = { files: 'Choose one or more files first.' };
      this.update();
      return;
    }
    this.uploaded = null;
    const stored = await this.act('upload', ['file', 'files', 'path'], async () => {
      const all = [];
      for (const file of chosen) { // one request per file: the API stores one file per upload
        const form = new FormData();
        form.append('file', file, file.name);
        if (this.prefix) form.append('path', this.prefix);
        all.push(...(await this.api.post(this.path('/static'), form)).files);
      }
      return all;
    });
    if (stored) {
      input.value = '';
      this.uploaded = { files: stored, stripped: null };
      await this.reload();
    }
  }

  async uploadZip(event) {
    event.preventDefault();
    const input = event.target.elements.zip;
    const zip = input.files[0];
    if (!zip) {
      this.errors.zip = { zip: 'Choose a .zip file first.' };
      this.update();
      return;
    }
    this.uploaded = null;
    const result = await this.act('zip', ['zip', 'path'], () => {
      const form = new FormData();
      form.append('zip', zip, zip.name);
      if (this.prefix) form.append('path', this.prefix);
      if (!event.target.elements.strip.checked) form.append('strip_top_folder', 'false');
      return this.api.post(this.path('/static'), form);
    });
    if (result) {
      input.value = '';
      this.uploaded = { files: result.files, stripped: result.stripped_folder };
      await this.reload();
    }
  }

  openFolder(event) {
    event.preventDefault();
    const name = event.target.elements.folder.value.trim().replace(/^\/+|\/+$/g, '');
    if (name) this.app.go(this.folderHref(this.prefix + name));
  }

  closePreview() {
    if (this.selected?.url) URL.revokeObjectURL(this.selected.url);
    this.selected = null;
  }

  async preview(file) {
    this.closePreview();
    const kind = previewKind(file.content_type);
    this.selected = { file, kind, loading: !!kind };
    this.update();
    if (!kind) return;
    const blob = await this.act('preview', [], () => this.api.getBlob(this.path(`/static/${encodeName(file.path)}`)));
    if (this.selected?.file !== file) return; // another file was chosen meanwhile
    this.selected.loading = false;
    if (!blob) return;
    if (kind === 'image') {
      // typed by the file's content type, shown by an <img>: an image element never runs what it shows
      this.selected.url = URL.createObjectURL(new Blob([blob], { type: file.content_type.split(';')[0] }));
    } else {
      this.selected.cut = blob.size > TEXT_PREVIEW_LIMIT;
      this.selected.text = await blob.slice(0, TEXT_PREVIEW_LIMIT).text();
    }
    this.update();
  }

  async remove(file) {
    const ok = await confirmAction({ title: 'Delete file', message: `Delete ${file.path}? Pages that link to it will get a 404.` });
    if (ok && await this.act('delete', [], () => this.api.del(this.path(`/static/${encodeName(file.path)}`)).then(() => true))) {
      await this.reload();
    }
  }

  render() {
    const { folders, files } = this.entries;
    const e = this.errors;
    const where = this.folder ? html`<code>${this.folder}/</code>` : 'the top folder';
    return html`
      <div class="page-head"><h1>Static files${this.folder ? html` <span class="muted">/ ${this.folder}</span>` : nothing}</h1></div>
      <section class="card upload-card" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload into ${where}</h2>
        <div class="upload-forms">
          <form id="upload-files-form" @submit=${(ev) => this.uploadFiles(ev)}>
            <label for="upload-files">Files</label>
            <input id="upload-files" name="files" type="file" multiple aria-describedby="upload-files-hint">
            <small id="upload-files-hint" class="muted">Up to 10 MB each. A file with the same path is replaced.</small>
            ${errorFor(e.upload, 'files')}${errorFor(e.upload, 'file')}${errorFor(e.upload, 'path')}${formError(e.upload)}
            <button id="upload-files-button" type="submit" class="primary" ?disabled=${this.busy === 'upload'}>Upload files</button>
          </form>
          <form id="upload-zip-form" @submit=${(ev) => this.uploadZip(ev)}>
            <label for="upload-zip">A zip of a folder tree</label>
            <input id="upload-zip" name="zip" type="file" accept=".zip,application/zip">
            <label class="check"><input type="checkbox" name="strip" checked> Drop the zip's one top folder, if all files share it</label>
            ${errorFor(e.zip, 'zip')}${errorFor(e.zip, 'path')}${formError(e.zip)}
            <button id="upload-zip-button" type="submit" ?disabled=${this.busy === 'zip'}>Upload and unzip</button>
          </form>
          <form id="open-folder-form" @submit=${(ev) => this.openFolder(ev)}>
            <label for="open-folder">New folder</label>
            <input id="open-folder" name="folder" spellcheck="false" placeholder="images" aria-describedby="open-folder-hint">
            <small id="open-folder-hint" class="muted">Opens it here; it exists once a file is uploaded into it.</small>
            <button type="submit">Open folder</button>
          </form>
        </div>
        ${this.uploaded ? html`<p id="upload-result" class="muted" role="status">Stored ${this.uploaded.files.length}
          file${this.uploaded.files.length === 1 ? '' : 's'}${this.uploaded.stripped ? html` (the top folder <code>${this.uploaded.stripped}</code> was dropped)` : ''}.</p>` : nothing}
      </section>
      <div class="split files-split">
        <section class="card" aria-labelledby="file-list-title">
          <h2 id="file-list-title" class="visually-hidden">Files</h2>
          <div id="file-errors">${formError(e.delete)}</div>
          <div id="file-list">${folders.length || files.length ? table([
            { label: 'Name', cell: (row) => row.folder
              ? html`<a class="folder-link" href=${this.folderHref(this.prefix + row.name)}><span aria-hidden="true">📁</span> ${row.name}/</a>
                  <small class="muted">${row.count} file${row.count === 1 ? '' : 's'}</small>`
              : html`<button type="button" class="link file-link" aria-pressed=${this.selected?.file.path === row.file.path ? 'true' : 'false'}
                  @click=${() => this.preview(row.file)}>${row.name}</button>
                  <small class="muted file-type">${row.file.content_type.split(';')[0]}</small>` },
            { label: 'Size', class: 'num', cell: (row) => bytes(row.folder ? row.size : row.file.size) },
            { label: 'Updated', cell: (row) => row.folder ? '' : time(row.file.updated_at) },
            { label: html`<span class="visually-hidden">Actions</span>`, class: 'actions', cell: (row) => row.folder ? nothing
              : html`<button type="button" class="danger delete-file-button" aria-label="Delete ${row.file.path}" @click=${() => this.remove(row.file)}>Delete</button>` },
          ], [
            ...folders.map((f) => ({ folder: true, name: f.name, count: f.count, size: f.size, key: `${this.prefix}${f.name}/` })),
            ...files.map((f) => ({ folder: false, name: f.path.slice(this.prefix.length), file: f, key: f.path })),
          ], { key: (row) => row.key, rowAttrs: (row) => row.name })
          : emptyState(this.folder ? `No files in ${this.folder}/ yet. Upload files or a zip above.`
            : 'No static files yet. Upload files or a zip of a folder tree above; they are served at their public URLs.')}</div>
        </section>
        <section class="card file-preview" aria-labelledby="file-preview-title">
          <h2 id="file-preview-title">Preview</h2>
          ${this.renderPreview()}
        </section>
      </div>`;
  }

  renderPreview() {
    const s = this.selected;
    if (!s) return html`<p class="muted">Choose a file to see it and its public URL.</p>`;
    const f = s.file;
    return html`<div id="file-preview" data-path=${f.path}>
      <p><strong id="preview-path">${f.path}</strong> <span class="muted">${f.content_type} · ${bytes(f.size)}</span></p>
      <div class="url-line"><code id="file-url">${f.url}</code>${copyButton(f.url)}</div>
      ${formError(this.errors.preview)}
      ${s.loading ? html`<p class="loading" role="status">Loading the preview…</p>`
        : s.kind === 'image' && s.url ? html`<img id="preview-image" class="preview-image" src=${s.url} alt="Preview of ${f.path}">`
        : s.kind === 'text' && s.text !== undefined ? html`<pre id="preview-text" class="output">${s.text}</pre>
            ${s.cut ? html`<p class="muted">Only the first ${bytes(TEXT_PREVIEW_LIMIT)} are shown.</p>` : nothing}`
        : s.kind ? nothing : html`<p class="muted">No preview for this type of file; open its URL to download it.</p>`}
    </div>`;
  }
}
