async () => {
  const app = window.jupyterapp;
  app.shell.activateById(__rc.panel.id);
  __rc.panel.content.activeCellIndex = 0;
  return await app.commands.execute('notebook:run-all-cells');
}
