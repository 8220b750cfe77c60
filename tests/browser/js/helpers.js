window.__rc = window.__rc || {};
__rc.controls = '.widget-slider, .widget-readout, .widget-text, .widget-textarea, .widget-dropdown, '
  + '.widget-checkbox, .widget-toggle-button, .widget-toggle-buttons, .widget-radio, .widget-select, '
  + '.widget-button, .widget-play, .widget-colorpicker, .widget-datepicker';
__rc.cells = () => __rc.panel.content.widgets;
__rc.outputs = (i) => __rc.cells()[i].node.querySelector('.jp-Cell-outputArea');
__rc.source = (i) => {
  const lines = (__rc.cells()[i].model.sharedModel.getSource() || '').split('\n').filter(l => l.trim());
  const line = lines.find(l => !l.trim().startsWith('#')) || lines[0] || '';
  return line.trim().slice(0, 80);
};
__rc.snapshot = (node) => {
  if (!node) return '';
  const clone = node.cloneNode(true);
  clone.querySelectorAll(__rc.controls).forEach(e => e.remove());
  const parts = [clone.textContent];
  clone.querySelectorAll('img').forEach(e => parts.push('img:' + (e.getAttribute('src') || '')));
  clone.querySelectorAll('svg').forEach(e => parts.push('svg:' + e.innerHTML));
  node.querySelectorAll('canvas').forEach(e => {
    try { parts.push('canvas:' + e.toDataURL()); } catch (err) { /* a tainted canvas */ }
  });
  return parts.join('\n');
};
__rc.all = () => {
  const nodes = __rc.cells().map((c, i) => __rc.outputs(i));
  return nodes.map(n => __rc.snapshot(n)).join('\n\u241e\n');
};
__rc.kernel = () => __rc.panel.sessionContext.session && __rc.panel.sessionContext.session.kernel;
// The kernel has handled every message the page's widgets sent it (each gets one 'idle').
__rc.commsHandled = () => !!__rc.iopub && __rc.iopub.commIdle >= __rc.iopub.commSent;
__rc.busy = () => {
  const k = __rc.kernel();
  if (!k || k.status !== 'idle') return true;
  const prompts = Array.from(__rc.panel.node.querySelectorAll('.jp-InputPrompt'));
  return prompts.some(p => p.textContent.includes('[*]'));
};
