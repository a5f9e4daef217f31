// First-run page: creates the first account with the one-time token from the setup link (?token=...).
import { post } from './lib/api.js';

const MIN_PASSWORD_LENGTH = 12;
const $ = (id) => document.getElementById(id);

const tokenFromUrl = new URLSearchParams(location.search).get('token') || '';
$('setup-token').value = tokenFromUrl;
$('setup-token-field').hidden = tokenFromUrl !== '';
$('setup-token').required = tokenFromUrl === '';

function problemWithInput() {
  const password = $('setup-password').value;
  if (!$('setup-token').value.trim()) return 'The setup token is missing: open the setup link from the server log.';
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== $('setup-password-confirm').value) return 'The two passwords do not match.';
  return null;
}

$('setup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('setup-error');
  error.textContent = problemWithInput() || '';
  if (error.textContent) return;

  const body = {
    token: $('setup-token').value.trim(),
    email: $('setup-email').value.trim(),
    password: $('setup-password').value,
  };
  const name = $('setup-name').value.trim();
  if (name) body.name = name;

  const button = $('setup-button');
  button.disabled = true;
  try {
    await post('/auth/setup', body);
    location.assign('index.html?setup=done');
  } catch (failure) {
    error.textContent = failure.message;
    button.disabled = false;
  }
});
