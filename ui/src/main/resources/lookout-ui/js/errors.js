// The single error banner under the top bar; its message is alone in #error-banner.
import { $ } from './dom.js';

export function showError(message) {
  $('error-banner').textContent = message;
  $('error-banner').hidden = false;
  $('error-wrap').hidden = false;
}

export function clearError() {
  $('error-banner').textContent = '';
  $('error-banner').hidden = true;
  $('error-wrap').hidden = true;
}

export function reportError(err) {
  if (err?.name === 'AbortError') return;
  if (err?.status === 401) return; // the login dialog says it better
  console.error(err);
  showError(err?.message || String(err));
}

export function initErrorBanner() {
  $('error-dismiss').addEventListener('click', clearError);
}
