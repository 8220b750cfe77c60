(name) => {
  const root = __rc.panel.node.querySelector('.rnncourse-explorer-' + name);
  if (!root) return null;
  const slider = root.querySelector('.widget-slider');
  if (!slider) return {error: 'no slider inside the explorer'};
  slider.setAttribute('data-rc-latency', name);
  const handle = slider.querySelector('.noUi-handle');
  const hasFigure = (n) => n.nodeType === 1
    && (['IMG', 'TABLE'].includes(n.tagName) || !!n.querySelector('img, table'));
  const state = {t0: null, t1: null, kind: null};
  window.__rc.lat = state;
  if (window.__rc.latObserver) window.__rc.latObserver.disconnect();
  const observer = new MutationObserver((records) => {
    if (state.t0 === null || state.t1 !== null) return;
    for (const m of records) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (target && target.closest('.widget-slider')) continue;
      let hit = null;
      if (m.type === 'attributes' && m.attributeName === 'src' && target.tagName === 'IMG') hit = 'img src';
      else if (m.type === 'childList' && Array.from(m.addedNodes).some(hasFigure)) hit = 'new figure';
      else if (target && target.closest('table')) hit = 'table';
      if (hit) { state.t1 = performance.now(); state.kind = hit; return; }
    }
  });
  observer.observe(root, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['src'], characterData: true,
  });
  window.__rc.latObserver = observer;
  if (!window.__rc.latKeydown) {
    window.__rc.latKeydown = true;
    document.addEventListener('keydown', (e) => {
      if (e.target && e.target.closest && e.target.closest('[data-rc-latency]') && window.__rc.lat) {
        window.__rc.lat.t0 = performance.now();
        window.__rc.lat.t1 = null;
      }
    }, true);
  }
  const label = slider.querySelector('.widget-label');
  return {label: label ? label.textContent.trim() : '', hasHandle: !!handle};
}
