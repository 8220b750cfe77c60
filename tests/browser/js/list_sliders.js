() => {
  const sliders = [];
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    area.querySelectorAll('.widget-slider').forEach(s => {
      const handle = s.querySelector('.noUi-handle');
      const k = sliders.length;
      s.setAttribute('data-rc-slider', String(k));
      const label = s.querySelector('.widget-label');
      const explorer = s.closest('.rnncourse-explorer');
      sliders.push({
        index: k, cell: i, source: __rc.source(i),
        label: label ? label.textContent.trim() : '',
        hasHandle: !!handle,
        disabled: !!s.querySelector('[disabled]') || (handle && handle.hasAttribute('disabled')),
        explorer: explorer
          ? Array.from(explorer.classList).filter(c => c.startsWith('rnncourse-explorer-')).join(' ') : '',
      });
    });
  });
  return sliders;
}
