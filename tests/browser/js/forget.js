async (path) => {
  // Close the notebook at `path` unsaved, dismiss any dialog it left, and take out what the
  // course's outputs installed in the page. Returns what is still there (nothing, normally).
  const app = window.jupyterapp;
  for (const w of Array.from(app.shell.widgets('main'))) {
    if (w.context && w.context.path === path) {
      if (w.context.model) w.context.model.dirty = false;
      w.dispose();
    }
  }
  // Dismiss dialogs the closing raised ("Save your work?": Discard), and those they queue after.
  const dismiss = () => {
    const open = Array.from(document.querySelectorAll('.jp-Dialog'));
    for (const d of open) (d.querySelector('.jp-mod-warn') || d.querySelector('.jp-mod-reject') || {click() {}}).click();
    return open.length;
  };
  const sleep = () => new Promise(r => setTimeout(r, 100));
  if (dismiss()) for (let quiet = 0; quiet < 5; ) { await sleep(); quiet = dismiss() ? 0 : quiet + 1; }
  if (window.__rnncourseAccess && window.__rnncourseAccess.uninstall) window.__rnncourseAccess.uninstall();
  const left = [];
  if (window.__rnncourseAccess) left.push('window.__rnncourseAccess');
  if (window.__rnncourseFigureAlt) left.push('window.__rnncourseFigureAlt');
  if (document.getElementById('rnncourse-access-style')) left.push('#rnncourse-access-style');
  if (document.querySelector('.jp-Dialog')) left.push('a dialog');
  for (const w of app.shell.widgets('main')) if (w.context) left.push('open: ' + w.context.path);
  window.__rc = {};
  return left;
}
