(k) => {
  // The rendered text of each visible part of quiz k, and whether its feedback line is a live region.
  const q = document.querySelector(`[data-rc-quiz="${k}"]`);
  if (!q) return null;
  const parts = {};
  for (const part of ['prompt', 'option', 'feedback', 'hint', 'explanation']) {
    parts[part] = Array.from(q.querySelectorAll('.rnncourse-quiz-' + part))
      .map(e => (e.innerText || '').trim()).filter(t => t).join(' | ');
  }
  const f = q.querySelector('.rnncourse-quiz-feedback');
  let live = f;
  while (live && live !== q.parentElement
         && !['polite', 'assertive'].includes(live.getAttribute('aria-live'))
         && !['status', 'alert', 'log'].includes(live.getAttribute('role'))) live = live.parentElement;
  const region = live && live !== q.parentElement ? live : null;
  return {
    parts,
    all: (q.innerText || '').trim(),
    live: region ? (region.getAttribute('aria-live') || region.getAttribute('role')) : null,
    liveText: region ? (region.innerText || '').trim() : null,
  };
}
