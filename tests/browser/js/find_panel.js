async (path) => {
  // Wait until the notebook at `path` is open in the main area with its file loaded.
  // Polls instead of awaiting the panel's own `ready` promise: a panel whose file does not
  // load never settles that promise, and the browser may then collect the evaluation's
  // promise ("Resulting promise was garbage collected") instead of saying what happened.
  // Returns {state, dialog}: state 'ready'; 'disposed' (the tab went away while loading);
  // 'stuck' (not loaded while a dialog shows, for 0.5 s: JupyterLab's answer to a file it
  // cannot read); 'missing' (no tab after 120 s). dialog: the text of any open dialog.
  const app = window.jupyterapp;
  await app.restored;  // resolved already: LabApp.ready waited for it
  const dialog = () => Array.from(document.querySelectorAll('.jp-Dialog'))
    .map(d => (d.textContent || '').replace(/\s+/g, ' ').trim()).join(' | ');
  const sleep = () => new Promise(r => setTimeout(r, 100));
  let seen = null;
  let blocked = 0;
  for (let i = 0; i < 1200; i++) {
    let panel = null;
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.content && w.sessionContext && !w.isDisposed) panel = w;
    }
    if (panel && panel.context.isReady) {
      window.__rc.panel = panel;
      app.shell.activateById(panel.id);
      return {state: 'ready', dialog: ''};
    }
    if (panel) seen = panel;
    if (!panel && seen) return {state: 'disposed', dialog: dialog()};
    blocked = panel && document.querySelector('.jp-Dialog') ? blocked + 1 : 0;
    if (blocked >= 5) return {state: 'stuck', dialog: dialog()};
    await sleep();
  }
  return {state: 'missing', dialog: dialog()};
}
