// Loaded first by the engine test pages (a classic script, before any module): records what the
// WebDriver tests read back, in every engine alike (Firefox, WebKit: no init scripts there).
//   window.__errors   uncaught errors, unhandled rejections, console.error calls, CSP violations
//   window.__events   payform:* events reaching the window: {where, type, detail}
// __hook(win, where) installs the same recorders on another same-origin window (the checkout's
// iframe, see frame.js); everything lands in this page's arrays.
(function () {
  const errors = (window.__errors = []);
  const events = (window.__events = []);
  const text = (v) => {
    if (v instanceof Error || (v && typeof v.message === 'string')) return `${v.name || 'Error'}: ${v.message}`;
    try { return typeof v === 'string' ? v : JSON.stringify(v); } catch { return String(v); }
  };
  window.__hook = function (win, where) {
    win.addEventListener('error', (e) => {
      // Capture phase: also failed <script>/<link> loads, whose error events do not bubble.
      const what = e.message || `failed to load ${e.target?.src || e.target?.href || e.target?.tagName}`;
      errors.push(`${where}: uncaught ${what}${e.filename ? ` (${e.filename}:${e.lineno})` : ''}`);
    }, true);
    win.addEventListener('unhandledrejection', (e) => errors.push(`${where}: unhandled rejection ${text(e.reason)}`));
    win.document.addEventListener('securitypolicyviolation', (e) =>
      errors.push(`${where}: CSP violation ${e.violatedDirective} ${e.blockedURI}`));
    const original = win.console.error;
    win.console.error = function (...args) {
      errors.push(`${where}: console.error ${args.map(text).join(' ')}`);
      return original.apply(this, args);
    };
    for (const name of ['ready', 'status', 'paid', 'expired', 'failed', 'error', 'late']) {
      win.addEventListener('payform:' + name, (e) => {
        let detail = null;
        try { detail = JSON.parse(JSON.stringify(e.detail)); } catch { /* not JSON */ }
        events.push({ where, type: e.type, detail });
      });
    }
  };
  window.__hook(window, 'page');
})();
