async (path) => {
  const app = window.jupyterapp;
  await app.restored;
  for (let i = 0; i < 1200; i++) {
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.content && w.sessionContext) {
        window.__rc = window.__rc || {};
        window.__rc.panel = w;
        app.shell.activateById(w.id);
        await w.context.ready;
        return true;
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}
