// Login when the collector has authentication on. Any 401 opens the login page;
// a successful POST /api/login sets an HttpOnly cookie, so the page needs nothing else.
import { $ } from './dom.js';
import { apiGet, apiPost } from './api.js';
import { clearError } from './errors.js';

let onLoggedIn = () => {};

function showLogin() {
  if (!$('login-view').hidden) return;
  $('login-view').hidden = false;
  $('app-main').hidden = true;
  document.body.dataset.login = 'true'; // hides navigation that would only 401
  $('login-error').hidden = true;
  clearError();
  $('login-username').focus();
}

function hideLogin() {
  $('login-view').hidden = true;
  $('app-main').hidden = false;
  delete document.body.dataset.login;
}

async function submit(event) {
  event.preventDefault();
  const button = $('login-submit');
  button.disabled = true;
  $('login-error').hidden = true;
  try {
    await apiPost('/api/login', { username: $('login-username').value, password: $('login-password').value });
    $('login-password').value = '';
    hideLogin();
    await refreshMe();
    onLoggedIn();
  } catch (err) {
    $('login-error').textContent = err?.status === 401 || err?.status === 403
      ? 'Wrong user name or password.'
      : err?.message || 'Login failed.';
    $('login-error').hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function refreshMe() {
  try {
    const me = await apiGet('/api/me');
    const user = typeof me?.user === 'string' ? me.user : '';
    $('me-user').textContent = user;
    $('account').hidden = !user;
  } catch {
    $('account').hidden = true; // no auth (or no /api/me yet): nothing to log out of
  }
}

export function initLogin(loggedIn) {
  onLoggedIn = loggedIn;
  document.addEventListener('lookout:login-required', showLogin);
  $('login-form').addEventListener('submit', submit);
  $('logout-button').addEventListener('click', async () => {
    try {
      await apiPost('/api/logout');
    } catch {
      // Logged out or not, the login page is the right next step.
    }
    $('account').hidden = true;
    showLogin();
  });
  refreshMe();
}
