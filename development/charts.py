"""Server-rendered SVG charts for the KPI page: plain strings, no script, no external asset.

Each function takes plain (label, value) data and returns one ``<svg>`` element with a
``<title>`` and an aria label, so the charts print, work offline and are read by screen
readers. Text is escaped; numbers are formatted with thousands separators.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "column_chart", "paired_bar_chart"]

_FONT = "font-family='sans-serif' font-size='12'"
_COLOURS = ("#2f6f9f", "#e08a2c")


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}{unit}"


def _open(width: int, height: int, title: str) -> str:
    t = escape(title)
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{t}'>"
        f"<title>{t}</title>"
    )


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 640
) -> str:
    """Horizontal bars, one per (label, value), labels on the left, values at the bar's end."""
    row, label_w, top = 24, 170, 8
    height = top * 2 + row * max(len(items), 1)
    top_value = max((v for _, v in items), default=0) or 1
    span = width - label_w - 70
    parts = [_open(width, height, title)]
    if not items:
        parts.append(f"<text x='8' y='20' {_FONT}>データがありません</text>")
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = max(value, 0) / top_value * span
        parts.append(
            f"<text x='{label_w - 6}' y='{y + 16}' text-anchor='end' {_FONT}>"
            f"{escape(label)}</text>"
            f"<rect x='{label_w}' y='{y + 4}' width='{w:.1f}' height='{row - 8}' "
            f"fill='{_COLOURS[0]}'><title>{escape(label)}: {_fmt(value, unit)}</title></rect>"
            f"<text x='{label_w + w + 4:.1f}' y='{y + 16}' {_FONT}>{_fmt(value, unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "", height: int = 220
) -> str:
    """Vertical columns over time (e.g. months), labels under the axis, values on top."""
    col, left, bottom, top = 34, 36, 44, 18
    width = left + col * max(len(items), 1) + 10
    top_value = max((v for _, v in items), default=0) or 1
    span = height - bottom - top
    parts = [_open(width, height, title)]
    base = height - bottom
    parts.append(f"<line x1='{left}' y1='{base}' x2='{width - 4}' y2='{base}' stroke='#666'/>")
    if not items:
        parts.append(f"<text x='8' y='20' {_FONT}>データがありません</text>")
    for i, (label, value) in enumerate(items):
        x = left + i * col
        h = max(value, 0) / top_value * span
        parts.append(
            f"<rect x='{x + 5}' y='{base - h:.1f}' width='{col - 10}' height='{h:.1f}' "
            f"fill='{_COLOURS[0]}'><title>{escape(label)}: {_fmt(value, unit)}</title></rect>"
            f"<text x='{x + col / 2:.1f}' y='{base - h - 4:.1f}' text-anchor='middle' "
            f"{_FONT}>{_fmt(value, '')}</text>"
            f"<text x='{x + col / 2:.1f}' y='{base + 14}' text-anchor='end' {_FONT} "
            f"transform='rotate(-45 {x + col / 2:.1f} {base + 14})'>{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def paired_bar_chart(
    items: Sequence[tuple[str, float, float]],
    *,
    title: str,
    names: tuple[str, str],
    unit: str = "",
    width: int = 640,
) -> str:
    """Two bars per label (e.g. 予算 and 執行額 per fiscal year), with a legend."""
    row, label_w, top = 44, 110, 28
    height = top + row * max(len(items), 1) + 8
    top_value = max((max(a, b) for _, a, b in items), default=0) or 1
    span = width - label_w - 110
    parts = [_open(width, height, title)]
    for k, name in enumerate(names):
        x = label_w + k * 150
        parts.append(
            f"<rect x='{x}' y='6' width='12' height='12' fill='{_COLOURS[k]}'/>"
            f"<text x='{x + 16}' y='17' {_FONT}>{escape(name)}</text>"
        )
    if not items:
        parts.append(f"<text x='8' y='{top + 16}' {_FONT}>データがありません</text>")
    for i, (label, a, b) in enumerate(items):
        y = top + i * row
        parts.append(
            f"<text x='{label_w - 6}' y='{y + 24}' text-anchor='end' {_FONT}>{escape(label)}</text>"
        )
        for k, value in enumerate((a, b)):
            w = max(value, 0) / top_value * span
            yy = y + 4 + k * 18
            parts.append(
                f"<rect x='{label_w}' y='{yy}' width='{w:.1f}' height='16' "
                f"fill='{_COLOURS[k]}'><title>{escape(names[k])}: {_fmt(value, unit)}</title>"
                f"</rect><text x='{label_w + w + 4:.1f}' y='{yy + 12}' {_FONT}>"
                f"{_fmt(value, unit)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
