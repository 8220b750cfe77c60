([reSource, errorsFrom, scanPage]) => {
  const widgetRe = new RegExp(reSource);
  const found = [];
  for (const e of __rc.iopub.errors.slice(errorsFrom)) {
    const count = __rc.iopub.inputs[e.id];
    const i = count === undefined ? -1 : __rc.cells().findIndex(c => c.model.executionCount === count);
    const kind = e.parent === 'execute_request'
      ? 'error output' : 'error in a widget callback (' + e.parent + ')';
    found.push({cell: i, source: i >= 0 ? __rc.source(i) : '', kind, text: e.text.slice(-1500)});
  }
  if (!scanPage) return found;
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    const where = {cell: i, source: __rc.source(i)};
    area.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      const mime = o.getAttribute('data-mime-type') || '';
      if (['text/plain', 'application/vnd.jupyter.stdout', 'application/vnd.jupyter.stderr'].includes(mime)) {
        const text = (o.innerText || o.textContent || '').trim();
        if (widgetRe.test(text)) {
          found.push({...where, kind: 'widget shown as text', text: text.slice(0, 300)});
        }
      }
    });
    area.querySelectorAll('.jupyter-widgets, .jp-OutputArea-output').forEach(e => {
      const own = Array.from(e.childNodes)
        .filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (own.startsWith('Error displaying widget')) {
        found.push({...where, kind: 'Error displaying widget', text: own});
      }
      if (own.startsWith('Loading widget...')) {
        found.push({...where, kind: 'widget never rendered', text: own});
      }
    });
    area.querySelectorAll('.jupyter-widgets-error-widget').forEach(e => {
      found.push({...where, kind: 'Error displaying widget', text: 'a widget view failed to load'});
    });
  });
  return found;
}
