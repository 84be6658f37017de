// Lists the payform:* events that reach the document, and keeps them in window.__log for tests.
window.__log = [];
for (const name of ['ready', 'status', 'paid', 'expired', 'failed', 'error', 'late', 'refund_address', 'more_time', 'resize', 'close']) {
  document.addEventListener('payform:' + name, (e) => {
    window.__log.push({ type: e.type, detail: e.detail, target: e.target?.id || e.target?.tagName });
    const li = document.createElement('li');
    li.textContent = `${e.type} ${e.detail?.status ?? e.detail?.code ?? ''}`;
    document.getElementById('log')?.append(li);
  });
}
