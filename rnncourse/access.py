"""What ipywidgets cannot tell a keyboard or screen-reader user, added by a small script in the page.

ipywidgets 8 has no way to set an ARIA attribute on a widget, and its style sheet
removes the focus outline of text boxes and slider handles. Each widget keeps one
element for its whole life (the element with the widget's CSS classes; an HTML
widget only replaces what is *inside* it), so an attribute set on that element
once stays there. The script below does that, run by an ``Output`` widget inside
each quiz form and each explorer (an Output widget's outputs are trusted, so
JupyterLab runs the script when the widget is drawn):

- a quiz's feedback line (``rnncourse-quiz-feedback``) becomes a polite live
  region (``role="status"``, ``aria-live="polite"``, ``aria-atomic="true"``): a
  screen reader reads out each new verdict without the learner moving there;
- the radio buttons of one quiz share a ``name``, so they are one group: Tab
  reaches the group once and the arrow keys choose among its options (JupyterLab's
  own shortcuts, which would take the arrow keys to move between cells, are
  suppressed inside the group); the group and the text box are labelled by the
  quiz's prompt;
- every slider handle in the notebook's outputs is labelled by its slider's
  description (ipywidgets gives the handle ``role="slider"`` but no name);
- an explorer's figure gets its ``alt`` text (ipywidgets' Image has no ``alt``,
  and setting its ``tooltip`` breaks its view in ipywidgets 8.1);
- a box that scrolls (CSS class ``rnncourse-scroll``, e.g. the text explorer's
  sample) takes the focus, so the arrow keys can scroll it;
- a style sheet draws a focus ring (a box shadow, which ipywidgets does not
  remove) around the focused text box, button, check box, radio button and
  slider handle of the notebook's outputs.

A MutationObserver keeps doing it for widgets drawn later (a re-run cell draws a
new form). The script is installed once per page; a later copy only re-marks.
``window.__rnncourseAccess.uninstall()`` takes it out of the page again (the
browser tests do, between two notebooks opened in one page, so that each notebook
is judged on what it installs itself).
It changes no behaviour: in a front end that runs no scripts the widgets work the
same, they are only less well announced.

Introduced with the first quiz, in ``00_start_here``.
"""

from __future__ import annotations

import json

__all__ = ["FOCUS_RING", "SCRIPT", "script_output"]

#: The focus ring: two pixels of the course's blue (Okabe-Ito), 5.2:1 against white.
FOCUS_RING = "0 0 0 2px #0072B2"

_CSS = f"""
.jp-OutputArea-output .widget-text input:focus-visible,
.jp-OutputArea-output .widget-button:focus-visible,
.jp-OutputArea-output .widget-checkbox input:focus-visible,
.jp-OutputArea-output .widget-radio-box input:focus-visible,
.jp-OutputArea-output .widget-slider .noUi-handle:focus-visible,
.jp-OutputArea-output .rnncourse-scroll:focus-visible {{
  box-shadow: {FOCUS_RING} !important;
}}
"""

SCRIPT = (
    r"""
(() => {
  if (window.__rnncourseAccess) { window.__rnncourseAccess(); return; }
  const style = document.createElement('style');
  style.id = 'rnncourse-access-style';
  style.textContent = __CSS__;
  document.head.appendChild(style);
  let pending = false, next = 0;
  const newId = (prefix) => prefix + '-' + (next++) + '-' + Math.random().toString(36).slice(2, 8);
  const mark = () => {
    pending = false;
    document.querySelectorAll('.rnncourse-quiz').forEach(quiz => {
      const prompt = quiz.querySelector('.rnncourse-quiz-prompt');
      if (prompt && !prompt.id) prompt.id = newId('rnncourse-quiz-prompt');
      const feedback = quiz.querySelector('.rnncourse-quiz-feedback');
      if (feedback && feedback.getAttribute('aria-live') !== 'polite') {
        feedback.setAttribute('role', 'status');
        feedback.setAttribute('aria-live', 'polite');
        feedback.setAttribute('aria-atomic', 'true');
      }
      const group = quiz.querySelector('.rnncourse-quiz-option .widget-radio-box');
      if (group) {
        if (group.getAttribute('role') !== 'radiogroup') group.setAttribute('role', 'radiogroup');
        if (prompt && group.getAttribute('aria-labelledby') !== prompt.id) {
          group.setAttribute('aria-labelledby', prompt.id);
        }
        if (!group.dataset.rnncourseName) group.dataset.rnncourseName = newId('rnncourse-quiz-options');
        group.querySelectorAll('input[type=radio]').forEach(r => {
          if (r.name !== group.dataset.rnncourseName) r.name = group.dataset.rnncourseName;
          // the arrow keys choose an option; without this JupyterLab takes them to move between
          // cells (its shortcuts match the focused element itself, so the mark is on each radio)
          if (!r.hasAttribute('data-lm-suppress-shortcuts')) {
            r.setAttribute('data-lm-suppress-shortcuts', 'true');
          }
        });
      }
      const box = quiz.querySelector('.rnncourse-quiz-input input');
      if (box && prompt && box.getAttribute('aria-labelledby') !== prompt.id) {
        box.setAttribute('aria-labelledby', prompt.id);
      }
    });
    Object.entries(window.__rnncourseFigureAlt || {}).forEach(([cls, alt]) => {
      document.querySelectorAll('.' + cls + ' img.rnncourse-explorer-figure').forEach(img => {
        if (img.alt !== alt) img.alt = alt;
      });
    });
    document.querySelectorAll('.rnncourse-scroll').forEach(box => {
      if (box.getAttribute('tabindex') !== '0') box.setAttribute('tabindex', '0');
    });
    document.querySelectorAll('.jp-OutputArea-output .widget-slider').forEach(slider => {
      const label = slider.querySelector(':scope > .widget-label');
      const text = label ? label.textContent.trim() : '';
      slider.querySelectorAll('.noUi-handle').forEach(h => {
        if (text && h.getAttribute('aria-label') !== text) h.setAttribute('aria-label', text);
      });
    });
  };
  const observer = new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(mark); }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  mark.uninstall = () => {
    observer.disconnect();
    style.remove();
    delete window.__rnncourseAccess;
    delete window.__rnncourseFigureAlt;
  };
  window.__rnncourseAccess = mark;
  mark();
})();
"""
).replace("__CSS__", json.dumps(" ".join(_CSS.split())))


def script_output(w, figure_alt: dict[str, str] | None = None):
    """An ipywidgets ``Output`` that takes no room and runs `SCRIPT` when the page draws it.

    Parameters
    ----------
    w : the ``ipywidgets`` module
    figure_alt : CSS class of a widget -> the alt text of the figures (``rnncourse-explorer-figure``)
        inside it
    """
    from IPython.display import Javascript

    alts = ""
    if figure_alt:
        alts = (
            "window.__rnncourseFigureAlt = Object.assign(window.__rnncourseFigureAlt || {}, "
            + json.dumps(figure_alt)
            + ");\n"
        )
    out = w.Output(layout=w.Layout(height="0px", overflow="hidden", margin="0", padding="0"))
    out.add_class("rnncourse-access")
    out.append_display_data(Javascript(alts + SCRIPT))
    return out
