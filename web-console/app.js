// The console: the login form when signed out, else the app shell (projects, members and invitations, API keys).
import { ApiError, get, post, del, resetCsrf } from './api.js';

const $ = (id) => document.getElementById(id);
const MANAGER_ROLES = new Set(['admin', 'owner']);
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const state = {
  account: null,
  projects: [],
  current: null, // the selected Project
  loadSeq: 0, // guards against answers for a project that is no longer selected
};

// ---------------------------------------------------------------- helpers

/** Builds an element; strings become text (never HTML), on* attributes become listeners. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

function timeEl(iso, empty = '—') {
  if (!iso) return empty;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return el('time', { datetime: iso, title: iso }, dateFormat.format(date));
}

function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

function projectPath(project, suffix = '') {
  return `/projects/${encodeURIComponent(project.id)}${suffix}`;
}

/** Shows an error next to the form that caused it; an ended session sends the user to the login. */
function showError(targetId, error) {
  if (error instanceof ApiError && error.status === 401 && state.account) {
    sessionEnded();
    return;
  }
  $(targetId).textContent = error?.message || String(error);
}

function clearError(targetId) {
  $(targetId).textContent = '';
}

/** Runs an action with its button disabled, so a double click does not send it twice. */
async function withBusy(button, action) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------- views

function showLogin(notice = '') {
  state.account = null;
  state.projects = [];
  state.current = null;
  $('shell').hidden = true;
  $('login-view').hidden = false;
  $('login-notice').textContent = notice;
  $('login-notice').hidden = !notice;
  $('password').value = '';
  clearError('login-error');
  document.title = 'CocoCloud console';
  document.body.dataset.view = 'login'; // ready for input (tests and scripts wait for this)
}

function sessionEnded() {
  resetCsrf();
  showLogin('Your session has ended. Please sign in again.');
}

async function enterShell(account) {
  state.account = account;
  $('account-email').textContent = account.email;
  $('login-view').hidden = true;
  $('shell').hidden = false;
  clearError('shell-error');
  if (location.search) history.replaceState(null, '', location.pathname + location.hash); // drop ?setup=done
  await Promise.all([loadProjects(), loadMyInvitations()]);
  if (state.account === account) document.body.dataset.view = 'shell'; // loaded, unless the session ended
}

// ---------------------------------------------------------------- projects

function selectedSlugFromHash() {
  const match = /^#\/(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

async function loadProjects() {
  clearError('shell-error');
  try {
    state.projects = await get('/projects');
  } catch (error) {
    showError('shell-error', error);
    return;
  }
  renderProjectList();
  const wanted = selectedSlugFromHash();
  const project = state.projects.find((p) => p.slug === wanted || p.id === wanted) || state.projects[0];
  if (project) {
    history.replaceState(null, '', `#/${encodeURIComponent(project.slug)}`);
  }
  await showProject(project || null);
}

function renderProjectList() {
  const list = $('project-list');
  list.replaceChildren(
    ...state.projects.map((project) =>
      el('li', { 'data-project-id': project.id, 'data-project-slug': project.slug },
        el('a', { href: `#/${encodeURIComponent(project.slug)}` },
          el('span', { class: 'project-name' }, project.name),
          el('span', { class: 'project-slug' }, project.slug))))
  );
  $('project-list-empty').hidden = state.projects.length > 0;
  markCurrentProject();
}

function markCurrentProject() {
  for (const item of $('project-list').children) {
    const link = item.querySelector('a');
    if (state.current && item.dataset.projectId === state.current.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function showProject(project) {
  const seq = ++state.loadSeq;
  state.current = project;
  markCurrentProject();
  hideNewKey();
  for (const id of ['project-error', 'members-error', 'keys-error']) clearError(id);
  $('project-details').hidden = !project;
  $('project-placeholder').hidden = !!project;
  if (!project) {
    document.title = 'CocoCloud console';
    return;
  }
  document.title = `${project.name} · CocoCloud console`;
  $('project-name').textContent = project.name;
  $('project-slug').textContent = project.slug;
  $('project-id').textContent = project.id;
  $('project-role').textContent = capitalize(project.role);
  const canManage = MANAGER_ROLES.has(project.role);
  $('new-key-form').hidden = !canManage;
  $('invite-form').hidden = !canManage;
  $('invite-sent').hidden = true;
  $('pending-invitations').hidden = true;
  $('invitation-list').replaceChildren();
  $('keys-readonly-note').hidden = canManage;
  $('member-list').replaceChildren();
  $('key-list').replaceChildren();
  await Promise.all([loadMembers(project, seq), loadKeys(project, seq)]);
}

async function onHashChange() {
  if (!state.account) return;
  const wanted = selectedSlugFromHash();
  const project = state.projects.find((p) => p.slug === wanted || p.id === wanted);
  if (project && project !== state.current) await showProject(project);
}

async function onCreateProject(event) {
  event.preventDefault();
  clearError('new-project-error');
  const name = $('new-project-name').value.trim();
  const slug = $('new-project-slug').value.trim();
  if (!name) {
    $('new-project-error').textContent = 'Enter a name for the project.';
    return;
  }
  const body = slug ? { name, slug } : { name };
  await withBusy($('create-project-button'), async () => {
    try {
      const created = await post('/projects', body);
      $('new-project-form').reset();
      history.replaceState(null, '', `#/${encodeURIComponent(created.slug)}`);
      await loadProjects();
    } catch (error) {
      showError('new-project-error', error);
    }
  });
}

// ---------------------------------------------------------------- members

async function loadMembers(project, seq) {
  if (MANAGER_ROLES.has(project.role)) loadInvitations(project, seq);
  try {
    const members = await get(projectPath(project, '/members'));
    if (seq !== state.loadSeq) return;
    $('member-list').replaceChildren(
      ...members.map((m) =>
        el('tr', { 'data-member-id': m.id },
          el('td', {}, m.email),
          el('td', {}, m.name || '—'),
          el('td', {}, capitalize(m.role)),
          el('td', {}, timeEl(m.created_at))))
    );
  } catch (error) {
    if (seq === state.loadSeq) showError('members-error', error);
  }
}

/** The project's pending invitations (admins and owners), each revocable. */
async function loadInvitations(project, seq) {
  try {
    const invitations = await get(projectPath(project, '/invitations'));
    if (seq !== state.loadSeq) return;
    $('pending-invitations').hidden = invitations.length === 0;
    $('invitation-list').replaceChildren(
      ...invitations.map((invitation) =>
        el('tr', { 'data-invitation-id': invitation.id },
          el('td', {}, invitation.email),
          el('td', {}, capitalize(invitation.role)),
          el('td', {}, timeEl(invitation.expires_at)),
          el('td', { class: 'actions' }, el('button', {
            type: 'button', class: 'danger', 'aria-label': `Revoke the invitation of ${invitation.email}`,
            onclick: (event) => withBusy(event.currentTarget, async () => {
              try {
                await del(projectPath(project, `/invitations/${invitation.id}`));
              } catch (error) {
                showError('members-error', error);
              }
              await loadInvitations(project, state.loadSeq);
            }),
          }, 'Revoke'))))
    );
  } catch (error) {
    if (seq === state.loadSeq) showError('members-error', error);
  }
}

/** Inviting answers the same whether or not the address has an account: the invitee accepts in their console. */
async function onInvite(event) {
  event.preventDefault();
  const project = state.current;
  if (!project) return;
  clearError('members-error');
  $('invite-sent').hidden = true;
  await withBusy($('invite-button'), async () => {
    try {
      await post(projectPath(project, '/members'), { email: $('invite-email').value.trim(), role: $('invite-role').value });
    } catch (error) {
      showError('members-error', error);
      return;
    }
    $('invite-email').value = '';
    $('invite-sent').hidden = false;
    await loadInvitations(project, state.loadSeq);
  });
}

/** Invitations addressed to the signed-in account: accept (becomes a member) or decline. */
async function loadMyInvitations() {
  clearError('my-invitations-error');
  let invitations;
  try {
    invitations = await get('/invitations');
  } catch (error) {
    showError('my-invitations-error', error);
    return;
  }
  $('my-invitations').hidden = invitations.length === 0;
  $('my-invitation-list').replaceChildren(
    ...invitations.map((invitation) => {
      const answer = (accept) => async (event) => withBusy(event.currentTarget, async () => {
        try {
          if (accept) await post(`/invitations/${invitation.id}/accept`, {});
          else await del(`/invitations/${invitation.id}`);
        } catch (error) {
          showError('my-invitations-error', error);
          return;
        }
        await loadMyInvitations();
        if (accept) await loadProjects();
      });
      return el('li', { 'data-invitation-id': invitation.id },
        el('span', {}, `${invitation.project_name} (${invitation.project_slug}) as ${invitation.role}`),
        el('span', { class: 'buttons' },
          el('button', { type: 'button', class: 'primary accept-invitation-button', onclick: answer(true) }, 'Accept'),
          el('button', { type: 'button', class: 'decline-invitation-button', onclick: answer(false) }, 'Decline')));
    })
  );
}

// ---------------------------------------------------------------- API keys

async function loadKeys(project, seq) {
  try {
    const keys = await get(projectPath(project, '/keys'));
    if (seq !== state.loadSeq) return;
    const canManage = MANAGER_ROLES.has(project.role);
    $('key-list').replaceChildren(
      ...(keys.length
        ? keys.map((key) => keyRow(key, canManage))
        : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No API keys yet.'))])
    );
  } catch (error) {
    if (seq === state.loadSeq) showError('keys-error', error);
  }
}

function keyRow(key, canManage) {
  const actions = el('td', { class: 'actions' });
  if (canManage) actions.append(revokeButton(key, actions));
  return el('tr', { 'data-key-id': key.id },
    el('td', {}, capitalize(key.kind)),
    el('td', {}, key.name || '—'),
    el('td', {}, el('code', {}, `${key.prefix}…`)),
    el('td', {}, timeEl(key.created_at)),
    el('td', {}, timeEl(key.last_used_at, 'Never')),
    actions);
}

/** Revoking asks for a second click in place (no browser dialog). */
function revokeButton(key, cell) {
  return el('button', {
    type: 'button', class: 'danger revoke-key-button', 'data-key-id': key.id,
    'aria-label': `Revoke key ${key.prefix}`,
    onclick: () => {
      const label = key.name ? `“${key.name}”` : key.prefix;
      cell.replaceChildren(
        el('span', { class: 'confirm-text' }, `Revoke ${label}?`),
        el('button', {
          type: 'button', class: 'danger confirm-revoke-button', 'data-key-id': key.id,
          onclick: (event) => revokeKey(key, event.currentTarget),
        }, 'Revoke'),
        el('button', {
          type: 'button', class: 'cancel-revoke-button',
          onclick: () => cell.replaceChildren(revokeButton(key, cell)),
        }, 'Cancel'));
      cell.querySelector('.cancel-revoke-button').focus();
    },
  }, 'Revoke');
}

async function revokeKey(key, button) {
  const project = state.current;
  clearError('keys-error');
  await withBusy(button, async () => {
    try {
      await del(projectPath(project, `/keys/${encodeURIComponent(key.id)}`));
    } catch (error) {
      showError('keys-error', error);
      return;
    }
    await loadKeys(project, state.loadSeq);
  });
}

async function createKey(kind, button) {
  const project = state.current;
  if (!project) return;
  clearError('keys-error');
  hideNewKey();
  const name = $('new-key-name').value.trim();
  await withBusy(button, async () => {
    let created;
    try {
      created = await post(projectPath(project, '/keys'), name ? { kind, name } : { kind });
    } catch (error) {
      showError('keys-error', error);
      return;
    }
    $('new-key-name').value = '';
    $('new-key-kind').textContent = created.kind;
    $('new-key-value').textContent = created.key;
    $('copy-key-button').textContent = 'Copy';
    $('new-key').hidden = false;
    await loadKeys(project, state.loadSeq);
  });
}

function hideNewKey() {
  $('new-key').hidden = true;
  $('new-key-value').textContent = '';
}

async function copyKey() {
  const value = $('new-key-value').textContent;
  try {
    await navigator.clipboard.writeText(value);
    $('copy-key-button').textContent = 'Copied';
  } catch {
    // No clipboard access (e.g. plain http): select the key so the user can copy it by hand.
    const range = document.createRange();
    range.selectNodeContents($('new-key-value'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    $('copy-key-button').textContent = 'Selected: press Ctrl+C';
  }
}

// ---------------------------------------------------------------- login / logout

async function onLogin(event) {
  event.preventDefault();
  clearError('login-error');
  $('login-notice').hidden = true;
  const email = $('email').value.trim();
  const password = $('password').value;
  await withBusy($('login-button'), async () => {
    let account;
    try {
      account = await post('/auth/login', { email, password });
    } catch (error) {
      $('login-error').textContent = error.message;
      return;
    }
    resetCsrf(); // a new session gets a new CSRF token
    $('password').value = '';
    await enterShell(account);
  });
}

async function onLogout() {
  await withBusy($('logout-button'), async () => {
    try {
      await post('/auth/logout');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        showError('shell-error', error);
        return;
      }
    }
    resetCsrf();
    history.replaceState(null, '', location.pathname);
    showLogin('You have signed out.');
  });
}

// ---------------------------------------------------------------- start

async function start() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout-button').addEventListener('click', onLogout);
  $('new-project-form').addEventListener('submit', onCreateProject);
  $('invite-form').addEventListener('submit', onInvite);
  $('new-key-form').addEventListener('submit', (event) => event.preventDefault());
  for (const id of ['create-client-key-button', 'create-server-key-button']) {
    $(id).addEventListener('click', (event) => createKey(event.currentTarget.dataset.kind, event.currentTarget));
  }
  $('copy-key-button').addEventListener('click', copyKey);
  $('dismiss-key-button').addEventListener('click', hideNewKey);
  window.addEventListener('hashchange', onHashChange);

  let account;
  try {
    account = await get('/me');
  } catch (error) {
    const justSetUp = new URLSearchParams(location.search).has('setup');
    showLogin(justSetUp ? 'Your account is ready. Sign in with it.' : '');
    if (!(error instanceof ApiError && error.status === 401)) $('login-error').textContent = error.message;
    return;
  }
  await enterShell(account);
}

start().catch((error) => {
  // Last resort: never leave an uncaught error, say what went wrong instead.
  $('login-error').textContent = `The console failed to start: ${error.message}`;
});
