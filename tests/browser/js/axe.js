async ([exclusions]) => {
  // axe-core on the course's own content only: rendered Markdown and cell outputs of this
  // notebook, not JupyterLab's menus, toolbars and editors. `exclusions` are [rule, selector,
  // why] triples: a node of that rule matching that selector is not the course's to fix.
  const nodes = Array.from(__rc.panel.node.querySelectorAll('.jp-MarkdownOutput, .jp-OutputArea-output'));
  if (!nodes.length) return {nodes: 0, violations: [], excluded: []};
  // JupyterLab's <html> and <body> are 0 px high (the shell is positioned absolutely), so axe
  // would take all text for off screen and skip color-contrast; give them the window's height
  // while axe runs (nothing moves: the shell does not depend on them).
  const roots = [document.documentElement, document.body];
  const before = roots.map(e => e.style.minHeight);
  roots.forEach(e => { e.style.minHeight = '100vh'; });
  const found = new Map();  // rule id -> {v, nodes: Map(element -> node)}
  const add = (results) => {
    for (const v of results.violations) {
      if (!found.has(v.id)) found.set(v.id, {v, nodes: new Map()});
      const seen = found.get(v.id).nodes;
      v.nodes.forEach(n => { if (!seen.has(n.element)) seen.set(n.element, n); });
    }
  };
  const options = {resultTypes: ['violations'], elementRef: true};
  // Colours are judged only for what is on screen (the caller makes the window as tall as the
  // notebook): a second pass over each cell that is not wholly on screen, scrolled to the top
  // of the notebook (the first screen of a cell taller than the window).
  const colourRules = ['color-contrast', 'link-in-text-block'];
  const scroller = __rc.panel.content.node.querySelector('.jp-WindowedPanel-outer') || __rc.panel.content.node;
  const scrolled = scroller.scrollTop;
  try {
    // From the top, so that the first pass sees the whole notebook on screen when it fits.
    scroller.scrollTop = 0;
    await new Promise(r => requestAnimationFrame(() => r()));
    add(await axe.run({include: nodes}, options));
    for (const cell of __rc.cells()) {
      const own = nodes.filter(n => cell.node.contains(n));
      if (!own.length) continue;
      const box = cell.node.getBoundingClientRect();
      if (box.top >= 0 && box.bottom <= window.innerHeight) continue;  // on screen: judged above
      cell.node.scrollIntoView({block: 'start'});
      await new Promise(r => requestAnimationFrame(() => r()));
      add(await axe.run({include: own}, {...options, runOnly: colourRules}));
    }
  } finally {
    roots.forEach((e, i) => { e.style.minHeight = before[i]; });
    scroller.scrollTop = scrolled;
  }
  const cellOf = (el) => __rc.cells().findIndex(c => c.node.contains(el));
  const excluded = [];
  const violations = [];
  for (const {v, nodes: byElement} of found.values()) {
    const kept = [];
    for (const n of byElement.values()) {
      const skip = exclusions.find(([rule, selector]) => rule === v.id && n.element && n.element.matches(selector));
      const cell = n.element ? cellOf(n.element) : -1;
      const node = {target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary || '', cell};
      if (skip) excluded.push({rule: v.id, impact: v.impact, selector: skip[1], ...node});
      else kept.push(node);
    }
    if (kept.length) violations.push({id: v.id, impact: v.impact, help: v.help, nodes: kept});
  }
  return {nodes: nodes.length, violations, excluded};
}
