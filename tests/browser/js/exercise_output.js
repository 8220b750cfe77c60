(i) => {
  // What the output area of cell i shows, read as a learner reads it: the text with typeset
  // maths left out (MathJax draws it with CSS, so its text is not the learner's), and the
  // outputs that are errors or stderr. The prompts ("[3]:") are left out too.
  const cell = __rc.cells()[i];
  const area = cell && cell.node.querySelector('.jp-Cell-outputArea');
  if (!area) return null;
  const clone = area.cloneNode(true);
  clone.querySelectorAll('.jp-OutputPrompt, mjx-container, .MathJax, .MathJax_Preview, mjx-assistive-mml, script')
    .forEach(e => e.remove());
  const errors = Array.from(area.querySelectorAll(
    '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
  )).map(e => e.textContent);
  return {
    text: clone.textContent || '',
    errors,
    typesetting: area.querySelectorAll('mjx-container').length === 0 && (area.textContent || '').includes('$'),
    count: cell.model.executionCount,
  };
}
