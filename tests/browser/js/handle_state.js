(k) => {
  const h = document.querySelector(`[data-rc-slider="${k}"] .noUi-handle`);
  const r = document.querySelector(`[data-rc-slider="${k}"] .widget-readout`);
  return {
    now: h ? h.getAttribute('aria-valuenow') : null,
    min: h ? h.getAttribute('aria-valuemin') : null,
    max: h ? h.getAttribute('aria-valuemax') : null,
    readout: r ? r.textContent.trim() : '',
  };
}
