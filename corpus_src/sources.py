"""Reading the Markdown sources of the demo collection (see README.md here).

Holds:
- ``parse_front_matter``: the front matter read by PyYAML's safe loader
  (it replaced a hand-written parser of a YAML subset, which gave the same
  values for every source here).
- ``load_source``: front matter + validation -> ``Source``.
- ``parse_body``: the Markdown subset -> a list of blocks, and
  ``inline_tokens``: inline markup -> tokens that the PDF and HTML writers
  render in their own way.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LANGS = ("en", "de", "es", "fr")
THEMES = ("Live", "Work", "Learn", "Connect", "Plan")
DOC_TYPES = ("profile", "report", "essay", "blog")
PDF_META = ("full", "none", "misleading")
LAYOUTS = ("one-column", "two-column")
KNOWN_KEYS = {
    "id", "practice", "title", "lang", "langs", "doc_type", "city", "country",
    "year", "themes", "date", "author", "pdf_meta", "print_date", "layout",
    "librarian",
    # optional extras understood by the build (not part of the gold labels)
    "subtitle", "short_title",
}
# librarian override keys -> metadata.csv column
LIBRARIAN_KEYS = {
    "title": "title", "year": "year", "city": "city", "cities": "city",
    "country": "country", "countries": "country", "theme": "theme",
    "themes": "theme", "doc_type": "doc_type",
}
# source folder -> allowed doc_type values
FOLDER_TYPES = {
    "profiles": ("profile",),
    "reports": ("report", "essay"),
    "blog": ("blog", "essay"),
}


class SourceError(ValueError):
    pass


# ---------------------------------------------------------------- front matter

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_front_matter(text: str) -> dict:
    """The front matter's YAML (PyYAML's safe loader); dates stay ``YYYY-MM-DD`` strings, as validation reads them."""
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SourceError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping of keys to values")
    return {key: value.isoformat() if isinstance(value, _dt.date) else value for key, value in meta.items()}


def split_front_matter(text: str) -> tuple[str, str]:
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError("no front matter (file must start with a '---' line)")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:])
    raise SourceError("front matter is not closed by a '---' line")


# ---------------------------------------------------------------- sources

@dataclass
class Source:
    path: Path
    kind: str              # profiles | reports | blog (source folder)
    meta: dict
    body: str

    def __getattr__(self, name):
        try:
            return self.__dict__["meta"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def date_obj(self) -> _dt.date | None:
        d = self.meta.get("date")
        return _dt.date.fromisoformat(d) if d else None

    @property
    def pub_date(self) -> _dt.date:
        """Publication date: the front-matter date, else 1 January of year."""
        return self.date_obj or _dt.date(self.meta["year"], 1, 1)


def _as_list(v):
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def validate(meta: dict, path: Path, kind: str) -> tuple[dict, list[str]]:
    """Check and normalise front matter; returns (meta, warnings)."""
    errs, warns = [], []
    for key in ("id", "practice", "title", "lang", "langs", "doc_type", "city",
                "country", "year", "themes"):
        if key not in meta:
            errs.append("missing key %r" % key)
    if errs:
        raise SourceError("; ".join(errs))
    for key in sorted(set(meta) - KNOWN_KEYS):
        warns.append("unknown front-matter key %r ignored" % key)
    m = dict(meta)
    for key in ("id", "practice", "title", "lang"):
        m[key] = str(m[key]).strip()
    if m["id"] != path.stem:
        errs.append("id %r differs from file name %r" % (m["id"], path.stem))
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", m["id"]):
        errs.append("id %r is not lowercase ASCII with dashes" % m["id"])
    if m["lang"] not in LANGS:
        errs.append("lang %r not one of %s" % (m["lang"], LANGS))
    else:
        # "...-es", or for bilingual documents "...-en-de": the trailing
        # language segments must include the main language
        tail = []
        for seg in reversed(m["id"].split("-")[1:]):
            if seg not in LANGS:
                break
            tail.append(seg)
        if m["lang"] not in tail:
            errs.append("id %r does not end with -%s" % (m["id"], m["lang"]))
    m["langs"] = [str(x) for x in _as_list(m["langs"])]
    if not m["langs"] or any(l not in LANGS for l in m["langs"]):
        errs.append("langs %r must be a non-empty list of %s" % (m["langs"], LANGS))
    elif m["lang"] not in m["langs"]:
        errs.append("lang %r is not in langs %r" % (m["lang"], m["langs"]))
    if m["doc_type"] not in FOLDER_TYPES[kind]:
        errs.append("doc_type %r not allowed in %s/ (allowed: %s)"
                    % (m["doc_type"], kind, FOLDER_TYPES[kind]))
    m["city"] = [str(x) for x in _as_list(m["city"])]
    m["country"] = [str(x) for x in _as_list(m["country"])]
    for c in m["country"]:
        if not re.fullmatch(r"[A-Z]{2}", c):
            errs.append("country %r is not an ISO 3166 alpha-2 code" % c)
    if not isinstance(m["year"], int) or not 1950 <= m["year"] <= 2100:
        errs.append("year %r is not a plausible integer year" % (m["year"],))
    m["themes"] = [str(x) for x in _as_list(m["themes"])]
    if not 1 <= len(m["themes"]) <= 2 or any(t not in THEMES for t in m["themes"]):
        errs.append("themes %r must be 1-2 of %s" % (m["themes"], THEMES))
    date = m.get("date")
    if date is not None:
        date = str(date)
        if not _DATE_RE.match(date):
            errs.append("date %r is not YYYY-MM-DD" % date)
        else:
            try:
                d = _dt.date.fromisoformat(date)
                if isinstance(m["year"], int) and d.year != m["year"]:
                    errs.append("date %s does not fall in year %s" % (date, m["year"]))
            except ValueError:
                errs.append("date %r is not a calendar date" % date)
        m["date"] = date
    elif kind == "blog":
        errs.append("blog posts need a date")
    m["pdf_meta"] = m.get("pdf_meta") or "full"
    if m["pdf_meta"] not in PDF_META:
        errs.append("pdf_meta %r not one of %s" % (m["pdf_meta"], PDF_META))
    pd = m.get("print_date", True)
    if pd is None:
        pd = True
    if not isinstance(pd, bool):
        errs.append("print_date %r is not true/false" % (pd,))
    m["print_date"] = pd
    m["layout"] = m.get("layout") or "one-column"
    if m["layout"] not in LAYOUTS:
        errs.append("layout %r not one of %s" % (m["layout"], LAYOUTS))
    lib = m.get("librarian") or {}
    if not isinstance(lib, dict):
        errs.append("librarian must be a mapping")
        lib = {}
    for k in lib:
        if k not in LIBRARIAN_KEYS:
            errs.append("librarian key %r not one of %s" % (k, sorted(LIBRARIAN_KEYS)))
    m["librarian"] = lib
    if m.get("author") is not None:
        m["author"] = str(m["author"])
    if errs:
        raise SourceError("; ".join(errs))
    return m, warns


def load_source(path: Path, kind: str) -> tuple[Source, list[str]]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    fm, body = split_front_matter(text)
    meta = parse_front_matter(fm)
    meta, warns = validate(meta, path, kind)
    return Source(path=path, kind=kind, meta=meta, body=body), warns


# ---------------------------------------------------------------- body blocks

@dataclass
class Block:
    kind: str                 # h2 | h3 | para | bullet | number | quote | lang
    text: str = ""            # inline Markdown (or the language for kind == "lang")
    lang: str = ""            # language in force for this block
    num: int = 0              # item number for kind == "number"


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)   # label -> inline text


_LANG_RE = re.compile(r"^<!--\s*lang:\s*([a-z]{2})\s*-->\s*$")
_NOTE_DEF_RE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_BULLET_RE = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_NUMBER_RE = re.compile(r"^\s{0,3}(\d+)[.)]\s+(.*)$")
_HEAD_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def parse_body(text: str, lang: str, title: str = "") -> Body:
    body = Body()
    cur_lang = lang
    para: list[str] = []
    para_kind = "para"
    item: Block | None = None
    note_label = None
    in_comment = False

    def flush():
        nonlocal para, item, para_kind
        if item is not None:
            body.blocks.append(item)
            item = None
        if para:
            joined = " ".join(s.strip() for s in para).strip()
            if joined:
                body.blocks.append(Block(para_kind, joined, cur_lang))
            para = []
        para_kind = "para"

    for raw in text.split("\n"):
        line = raw.rstrip()
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        m = _LANG_RE.match(line.strip())
        if m:
            flush()
            note_label = None
            cur_lang = m.group(1)
            body.blocks.append(Block("lang", cur_lang, cur_lang))
            continue
        if line.strip().startswith("<!--"):
            flush()
            if "-->" not in line:
                in_comment = True
            continue
        if not line.strip():
            flush()
            continue
        m = _NOTE_DEF_RE.match(line)
        if m:
            flush()
            note_label = m.group(1)
            body.notes[note_label] = m.group(2).strip()
            continue
        if note_label is not None and raw.startswith(("  ", "\t")):
            body.notes[note_label] += " " + line.strip()
            continue
        note_label = None
        m = _HEAD_RE.match(line)
        if m:
            flush()
            level, htext = len(m.group(1)), m.group(2).strip()
            if level == 1 and htext == title and not body.blocks:
                continue          # a repeated document title
            body.blocks.append(Block("h2" if level <= 2 else "h3", htext, cur_lang))
            continue
        m = _BULLET_RE.match(line)
        if m:
            flush()
            item = Block("bullet", m.group(1).strip(), cur_lang)
            continue
        m = _NUMBER_RE.match(line)
        if m:
            flush()
            item = Block("number", m.group(2).strip(), cur_lang, int(m.group(1)))
            continue
        if line.lstrip().startswith(">"):
            if item is not None or (para and para_kind != "quote"):
                flush()
            para_kind = "quote"
            para.append(line.lstrip()[1:].strip())
            continue
        if item is not None:
            item.text += " " + line.strip()
            continue
        para.append(line)
    flush()
    return body


# ---------------------------------------------------------------- inline

_INLINE_RE = re.compile(
    r"(?P<fn>\[\^(?P<fnl>[^\]]+)\])"
    r"|(?P<link>\[(?P<lt>[^\]]+)\]\((?P<lu>[^)\s]+)\))"
    r"|(?P<b>\*\*|__)"
    r"|(?P<i>\*)"
    r"|(?P<code>`[^`]+`)"
)


def inline_tokens(text: str):
    """Yield ('text', s) | ('bold', on) | ('italic', on) | ('note', label)
    | ('link', text, url) tokens.  Unbalanced markers are closed at the end."""
    bold = italic = False
    pos = 0
    out = []
    for m in _INLINE_RE.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        pos = m.end()
        if m.group("fn"):
            out.append(("note", m.group("fnl")))
        elif m.group("link"):
            out.append(("link", m.group("lt"), m.group("lu")))
        elif m.group("b"):
            bold = not bold
            out.append(("bold", bold))
        elif m.group("i"):
            # a lone '*' surrounded by spaces is a literal asterisk
            before = text[m.start() - 1:m.start()]
            after = text[m.end():m.end() + 1]
            if not italic and (after in ("", " ") or (before.isalnum() and after == " ")):
                out.append(("text", "*"))
                continue
            italic = not italic
            out.append(("italic", italic))
        elif m.group("code"):
            out.append(("text", m.group("code")[1:-1]))
    if pos < len(text):
        out.append(("text", text[pos:]))
    if italic:
        out.append(("italic", False))
    if bold:
        out.append(("bold", False))
    return out


def plain_text(text: str) -> str:
    """Inline Markdown -> plain text (footnote references dropped)."""
    parts = []
    for tok in inline_tokens(text):
        if tok[0] == "text":
            parts.append(tok[1])
        elif tok[0] == "link":
            parts.append(tok[1])
    return re.sub(r"\s+", " ", "".join(parts)).strip()
