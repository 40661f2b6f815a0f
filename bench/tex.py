"""Real TeX-made PDFs: Debian's manuals as installed, copied into ``bench/cache/tex/``.

The glued-word repair (indexer.ingest.pdf) was tuned on the Debian FAQ
(tests/test_realworld.py); it is measured here on other manuals, made by
pdfTeX and XeTeX (DBLaTeX), of 60 to 260 pages, that were not looked at
while tuning. Only the manuals installed on this machine are used; the
figure says which. ``.ci/run`` does not install them: the benchmark is not
part of CI.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEX_DIR = REPO / "bench" / "cache" / "tex"
# Debian package: path of its manual (pdfTeX or XeTeX made, 60-260 pages)
MANUALS = {
    "debian-policy": "/usr/share/doc/debian-policy/policy.pdf.gz",
    "developers-reference": "/usr/share/developers-reference/developers-reference.pdf",
    "nettle-dev": "/usr/share/doc/nettle-dev/nettle.pdf.gz",
    "maint-guide": "/usr/share/doc/maint-guide/maint-guide.en.pdf",
    "maint-guide-de": "/usr/share/doc/maint-guide-de/maint-guide.de.pdf",
}


def collect(out_dir: Path = TEX_DIR) -> list[Path]:
    """Copy (and unpack) the installed manuals into ``out_dir``; the PDFs there, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for package, source in MANUALS.items():
        path = Path(source)
        if not path.exists():
            continue
        target = out_dir / f"{package}.pdf"
        if not target.exists():
            if path.suffix == ".gz":
                target.write_bytes(gzip.decompress(path.read_bytes()))
            else:
                shutil.copyfile(path, target)
    return sorted(out_dir.glob("*.pdf"))
