() => {
  const quizzes = [];
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    area.querySelectorAll('.rnncourse-quiz').forEach(q => {
      const k = quizzes.length;
      q.setAttribute('data-rc-quiz', String(k));
      const inner = ['input', 'option', 'check', 'feedback'];
      const qids = Array.from(q.classList)
        .filter(c => c.startsWith('rnncourse-quiz-'))
        .map(c => c.slice('rnncourse-quiz-'.length))
        .filter(c => !inner.includes(c));
      quizzes.push({index: k, cell: i, source: __rc.source(i), qid: qids[0] || null});
    });
  });
  return quizzes;
}
