"""Where citeproc-py 0.11 departs from the CSL specification in ways a citation shows, mended
once, on import (styles.py imports this before formatting anything).

1. Substitution. CSL says a variable rendered in place of a missing author (an unsigned
   article's title, a newspaper's name) "is suppressed in the rest of the output". citeproc-py
   suppresses it only when the substitute is a bare `<text variable=…>`; every style used here
   substitutes through a macro or a `<choose>`, so APA and MLA printed an unsigned article's
   title twice, and Chicago and Harvard the paper's name twice. Here the variables a
   substitute actually rendered are recorded as it renders, then suppressed.
2. Reviews. CSL's `reviewed-author` is a name variable and `reviewed-title` a plain one;
   citeproc-py knows neither, and looks a `<names>` role up by its hyphenated name in a
   reference whose keys it wrote with underscores, so a review never named the work's author.
   `with_name_aliases` gives a source's references their hyphenated name keys too.
3. Term forms. A term asked for in a form the locale lacks falls back as CSL says
   (`verb-short` to `verb` to the long form, `symbol` to `short` to long); citeproc-py gave
   nothing, so "Review of X, by Y" lost its "by".
"""

from __future__ import annotations

import threading

import citeproc
from citeproc.model import Locale, Substitute, Text, VariableError

_recording = threading.local()
_original_variable = Text._variable

for _name in ("reviewed_author",):
    if _name not in citeproc.NAMES:
        citeproc.NAMES.append(_name)  # source.json reads this list to parse names
        citeproc.VARIABLES.append(_name)
if "reviewed_title" not in citeproc.VARIABLES:
    citeproc.VARIABLES.append("reviewed_title")


def _variable(self, item, context):
    text = _original_variable(self, item, context)
    stack = getattr(_recording, "stack", None)
    if stack and text:
        stack[-1].append(self.get("variable"))
    return text


def _substitute_render(self, item, context=None, **kwargs):
    stack = _recording.__dict__.setdefault("stack", [])
    text = None
    for child in self.getchildren():
        stack.append([])
        try:
            if isinstance(child, citeproc.model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            stack.pop()
            continue
        rendered = stack.pop()
        if text:
            self.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed.setdefault(Text_TAG, [])
            repressed.extend(rendered)
            break
    return text


def with_name_aliases(source):
    """`source` (a citeproc source) with each hyphenated name role also under its CSL name."""
    for reference in source.values():
        for key in [k for k in reference if k in citeproc.NAMES and "_" in k]:
            dict.__setitem__(reference, key.replace("_", "-"), reference[key])
    return source


TERM_FORM_FALLBACK = {"verb-short": "verb", "verb": None, "symbol": "short", "short": None}
_original_get_term = Locale.get_term


def _get_term(self, name, form=None, zero_padded=False):
    try:
        return _original_get_term(self, name, form, zero_padded=zero_padded)
    except IndexError:
        if form not in TERM_FORM_FALLBACK:
            raise
        return _get_term(self, name, TERM_FORM_FALLBACK[form], zero_padded)


Locale.get_term = _get_term
Text_TAG = "{http://purl.org/net/xbiblio/csl}text"
Text._variable = _variable
Substitute.render = _substitute_render
