"""The council-ready report as a file: the chart rendered once, then DOCX or PDF over the outline."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from tracker.digest.model import Digest

FORMATS = ("docx", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render_report(digest: Digest, fmt: str, lang: str = "nl") -> bytes:
    """The report as `fmt` ("docx" or "pdf") bytes, the chart embedded when there is one."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    from tracker.digest.chart import render_chart

    chart = render_chart(digest, lang)
    renderer = getattr(import_module(f"tracker.digest.{fmt}"), f"render_{fmt}")
    return bytes(renderer(digest, lang, chart=chart))


def report_filename(digest: Digest, fmt: str, lang: str = "nl") -> str:
    """"halfjaarrapportage-2023H1.pdf" (the report's kind in the file name)."""
    kinds = ({"half": "half-year-report", "quarter": "quarterly-report", "month": "monthly-report",
              "week": "weekly-report"} if lang == "en" else
             {"half": "halfjaarrapportage", "quarter": "kwartaalrapportage",
              "month": "maandrapportage", "week": "weekrapportage"})
    return f"{kinds.get(digest.kind, kinds['half'])}-{digest.period.key}.{fmt}"


def write_report(digest: Digest, fmt: str, path: Path, lang: str = "nl") -> Path:
    """Render the report and write it to `path`; returns the path."""
    path.write_bytes(render_report(digest, fmt, lang))
    return path
