async () => {
  // JupyterLab's default windowing ("contentVisibility") draws a cell when it first comes
  // into view, as the learner scrolls down to it, and keeps it drawn after. Scroll through
  // the notebook as a learner reading it does, so that every cell, its outputs and its
  // widgets are on the page; then back to where the notebook was. Returns the number of
  // cells still not drawn (0).
  const nb = __rc.panel.content;
  const scroller = nb.node.querySelector('.jp-WindowedPanel-outer') || nb.node;
  const was = scroller.scrollTop;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  for (let pass = 0; pass < 500; pass++) {
    const i = nb.widgets.findIndex(c => c.isPlaceholder());
    if (i < 0) break;
    await nb.scrollToItem(i, 'start');
    await frame();
  }
  scroller.scrollTop = was;
  await frame();
  return nb.widgets.filter(c => c.isPlaceholder()).length;
}
