"""Footnotes at the bottom of the frame (page or column) where they are referenced.

``FootnoteParagraph`` reserves room at the frame's bottom when it is laid
out (it raises the frame's bottom limit by the height of its new notes, or
refuses / splits itself when its notes would not fit), and
``NotesDocTemplate.handle_pageEnd`` draws the collected notes under a short
rule.  The onDraw hook ``_fnref`` records the page each reference is
actually drawn on, so the build can assert note and reference share a page.
"""
from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Paragraph


NOTE_RULE_GAP = 10.0       # space above the rule + rule + space below


class NoteBlock:
    """Measures and draws the footnotes of one frame."""

    def __init__(self, notes: dict[int, str], style: ParagraphStyle):
        self.notes = notes
        self.style = style
        self._cache: dict[tuple[int, float], float] = {}

    def para(self, n: int) -> Paragraph:
        return Paragraph("<super>%d</super>\u00a0%s" % (n, self.notes[n]), self.style)

    def note_height(self, n: int, width: float) -> float:
        key = (n, round(width, 2))
        if key not in self._cache:
            _, h = self.para(n).wrap(width, 10000)
            self._cache[key] = h + self.style.spaceAfter
        return self._cache[key]

    def height(self, nums, width, with_rule: bool) -> float:
        if not nums:
            return 0.0
        return (NOTE_RULE_GAP if with_rule else 0.0) + sum(self.note_height(n, width) for n in nums)

    def draw(self, canv, frame, nums, note_pages: dict[int, int]):
        width = frame._width - frame._leftPadding - frame._rightPadding
        x = frame._x1 + frame._leftPadding
        y = frame._y1 + frame._bottomPadding + self.height(nums, width, True)
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.setStrokeGray(0.35)
        canv.line(x, y - 4, x + min(width / 3.0, 120), y - 4)
        canv.restoreState()
        y -= NOTE_RULE_GAP
        for n in nums:
            p = self.para(n)
            _, h = p.wrap(width, 10000)
            p.drawOn(canv, x, y - h)
            y -= h + self.style.spaceAfter
            note_pages[n] = canv.getPageNumber()


def frame_width(frame) -> float:
    return frame._width - frame._leftPadding - frame._rightPadding


def _scan_refs(frags, out: list):
    """Collect the note numbers of the ``_fnref`` onDraw frags, also inside
    the nested word lists that a split paragraph is made of."""
    for f in frags:
        if isinstance(f, (list, tuple)):
            _scan_refs(f, out)
            continue
        cb = getattr(f, "cbDefn", None)
        if cb is not None and getattr(cb, "name", "") == "_fnref":
            n = int(cb.label)
            if n not in out:
                out.append(n)


class FootnoteParagraph(Paragraph):
    """A body paragraph whose footnotes go to the bottom of its frame.

    ``block`` (a NoteBlock) is set on a per-document subclass, see
    ``footnote_paragraph_class``."""
    block: NoteBlock | None = None

    def __init__(self, text, style=None, bulletText=None, frags=None,
                 caseSensitive=1, encoding="utf8"):
        super().__init__(text, style, bulletText=bulletText, frags=frags,
                         caseSensitive=caseSensitive, encoding=encoding)
        self.note_nums = []
        _scan_refs(self.frags, self.note_nums)

    def _new_notes(self, nums=None):
        frame = getattr(self, "_frame", None)
        placed = getattr(frame, "_cm_notes", []) if frame is not None else []
        nums = self.note_nums if nums is None else nums
        return [n for n in nums if n not in placed], not placed, frame

    def _extra(self, nums, aW):
        new, first, frame = self._new_notes(nums)
        if not new:
            return 0.0
        width = frame_width(frame) if frame is not None else aW
        return self.block.height(new, width, first)

    def wrap(self, aW, aH):
        w, h = super().wrap(aW, aH)
        extra = self._extra(None, aW) if self.note_nums else 0.0
        if extra and h + extra > aH + 1e-6:
            return w, h + extra           # will not fit with its notes: split or move on
        return w, h

    def split(self, aW, aH):
        if not self.note_nums:
            return super().split(aW, aH)
        avail = aH
        for _ in range(6):
            parts = super().split(aW, avail)
            if not parts:
                return []
            first = parts[0]
            nums = first.note_nums if len(parts) > 1 else self.note_nums
            extra = self._extra(nums, aW)
            height = first.height if len(parts) > 1 else self.height
            if len(parts) > 1 and height + extra <= aH + 1e-6:
                return parts
            avail = aH - extra - (0 if len(parts) > 1 else self.style.leading)
            if avail <= self.style.leading:
                return []
        return []

    def drawOn(self, canv, x, y, _sW=0):
        frame = getattr(self, "_frame", None)
        if frame is not None and self.note_nums:
            new, first, _ = self._new_notes()
            if new:
                frame._y1p += self.block.height(new, frame_width(frame), first)
                frame._cm_notes.extend(new)
        super().drawOn(canv, x, y, _sW)


def footnote_paragraph_class(block: NoteBlock):
    return type("DocFootnoteParagraph", (FootnoteParagraph,), {"block": block})


class NotesDocTemplate(BaseDocTemplate):
    """Resets the per-frame note state on each page and draws the notes."""
    note_block: NoteBlock | None = None

    def __init__(self, *a, **kw):
        self.note_pages: dict[int, int] = {}
        super().__init__(*a, **kw)

    def handle_pageBegin(self):
        super().handle_pageBegin()
        for f in self.pageTemplate.frames:
            f._cm_notes = []
            f._y1p = f._y1 + f._bottomPadding

    def handle_pageEnd(self):
        for f in self.pageTemplate.frames:
            nums = getattr(f, "_cm_notes", None)
            if nums and self.note_block is not None:
                self.note_block.draw(self.canv, f, nums, self.note_pages)
            f._cm_notes = []
        super().handle_pageEnd()
