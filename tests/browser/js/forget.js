(path) => {
  // Close the notebook at `path` unsaved, dismiss any dialog it left, and take out what the
  // course's outputs installed in the page. Returns what is still there (nothing, normally).
  const app = window.jupyterapp;
  for (const w of Array.from(app.shell.widgets('main'))) {
    if (w.context && w.context.path === path) {
      if (w.context.model) w.context.model.dirty = false;
      w.dispose();
    }
  }
  document.querySelectorAll('.jp-Dialog .jp-mod-reject').forEach(b => b.click());
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
