"""Blog posts (corpus/blog/<id>.html or .md).

About half the posts (chosen by a hash of the id, so adding a post never
changes another) become a small HTML page: ``<html lang>``, ``<title>``,
site header with a nav, ``<article>`` with an ``<h1>``, a ``<time
datetime="YYYY-MM-DD">`` byline and the body, a newsletter aside and a
footer.  The others become Markdown with a front matter holding ONLY
``title`` and ``date``, followed by the body as written (HTML comments such
as ``<!-- lang: xx -->`` removed).
"""
from __future__ import annotations

import re
import zlib
from html import escape

import i18n
from sources import Source, inline_tokens, parse_body


def blog_format(src: Source) -> str:
    return ("html", "md")[zlib.crc32(("blog:" + src.id).encode("utf-8")) % 2]


class _Html:
    def __init__(self, note_texts):
        self.note_texts = note_texts
        self.numbers: dict[str, int] = {}

    def __call__(self, md: str, notes: bool = True) -> str:
        out = []
        for tok in inline_tokens(md):
            if tok[0] == "text":
                out.append(escape(tok[1], quote=False))
            elif tok[0] == "link":
                out.append('<a href="%s">%s</a>' % (escape(tok[2]), escape(tok[1], quote=False)))
            elif tok[0] == "bold":
                out.append("<strong>" if tok[1] else "</strong>")
            elif tok[0] == "italic":
                out.append("<em>" if tok[1] else "</em>")
            elif tok[0] == "note" and notes and tok[1] in self.note_texts:
                n = self.numbers.setdefault(tok[1], len(self.numbers) + 1)
                out.append('<sup id="fnref-%d"><a href="#fn-%d">%d</a></sup>' % (n, n, n))
        return "".join(out)


def render_html(src: Source) -> str:
    lang = src.lang
    body = parse_body(src.body, lang, src.title)
    h = _Html(body.notes)
    parts = []
    open_list = None
    for b in body.blocks:
        if b.kind in ("bullet", "number"):
            tag = "ul" if b.kind == "bullet" else "ol"
            if open_list != tag:
                if open_list:
                    parts.append("      </%s>" % open_list)
                parts.append("      <%s>" % tag)
                open_list = tag
            parts.append("        <li>%s</li>" % h(b.text))
            continue
        if open_list:
            parts.append("      </%s>" % open_list)
            open_list = None
        attr = ' lang="%s"' % b.lang if b.lang != lang else ""
        if b.kind == "para":
            parts.append("      <p%s>%s</p>" % (attr, h(b.text)))
        elif b.kind == "quote":
            parts.append("      <blockquote%s><p>%s</p></blockquote>" % (attr, h(b.text)))
        elif b.kind in ("h2", "h3"):
            parts.append("      <%s%s>%s</%s>" % (b.kind, attr, h(b.text, notes=False), b.kind))
    if open_list:
        parts.append("      </%s>" % open_list)
    if h.numbers:
        parts.append('      <section class="footnotes">')
        parts.append("        <h2>%s</h2>" % escape(i18n.t("notes", lang)))
        parts.append("        <ol>")
        for label, n in sorted(h.numbers.items(), key=lambda kv: kv[1]):
            parts.append('          <li id="fn-%d">%s <a href="#fnref-%d">↩</a></li>'
                         % (n, h(body.notes[label], notes=False), n))
        parts.append("        </ol>")
        parts.append("      </section>")

    nav = i18n.t("nav", lang)
    hrefs = ["/", "/good-ideas/", "/reports/", "/blog/", "/about/"]
    nav_html = "\n".join('        <li><a href="%s">%s</a></li>' % (u, escape(n))
                         for u, n in zip(hrefs, nav))
    author = src.meta.get("author")
    by = ""
    if author:
        by = '<span class="author">%s %s</span> · ' % (escape(i18n.t("by", lang)), escape(author))
    date = src.date_obj
    time_html = '<time datetime="%s">%s</time>' % (date.isoformat(), escape(i18n.long_date(date, lang)))
    title = escape(src.title, quote=False)
    return """<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} | Cities of Migration</title>
  <link rel="stylesheet" href="/static/site.css">
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">Cities of Migration</a>
    <nav>
      <ul>
{nav}
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">{by}{posted} {time}</p>
{body}
    </article>
    <aside class="newsletter">
      <p>{newsletter}</p>
    </aside>
  </main>
  <footer class="site-footer">
    <p>{initiative} <a href="https://maytree.com">maytree.com</a></p>
  </footer>
</body>
</html>
""".format(lang=lang, title=title, nav=nav_html, by=by,
           posted=escape(i18n.t("posted", lang)), time=time_html, body="\n".join(parts),
           newsletter=escape(i18n.t("newsletter", lang)),
           initiative=escape(i18n.t("initiative", lang)))


def _yaml_str(s: str) -> str:
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def render_markdown(src: Source) -> str:
    text = re.sub(r"<!--.*?-->[ \t]*\n?", "", src.body, flags=re.S)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return "---\ntitle: %s\ndate: %s\n---\n\n%s\n" % (_yaml_str(src.title), src.date, text)


def write_blog(src: Source, out_dir) -> str:
    """Write the post; returns its file name."""
    fmt = blog_format(src)
    name = "%s.%s" % (src.id, fmt)
    text = render_html(src) if fmt == "html" else render_markdown(src)
    with open(out_dir / name, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return name
