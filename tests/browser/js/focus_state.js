() => {
  // The focused element, and whether its computed style draws a focus indicator.
  const e = document.activeElement;
  if (!e || e === document.body) return {what: 'nothing', visible: false, outline: '', shadow: ''};
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = !!s.boxShadow && s.boxShadow !== 'none';
  const cls = (e.className && typeof e.className === 'string') ? '.' + e.className.trim().split(/\s+/).join('.') : '';
  const type = e.getAttribute('type') ? `[type=${e.getAttribute('type')}]` : '';
  return {
    what: e.tagName.toLowerCase() + type + cls,
    visible: outline || shadow,
    outline: `${s.outlineStyle} ${s.outlineWidth}`,
    shadow: s.boxShadow,
  };
}
