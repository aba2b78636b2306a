"""Small HTML building blocks for reports: every value from data is escaped here.

Fragments are :class:`markupsafe.Markup` (the type Jinja2 uses): joining a fragment with a
plain string escapes the string, from either side, and nothing is escaped twice. Pages are
built from Jinja2 templates with autoescape. Status badges use colour, a symbol and a word,
never colour alone.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from evallib.core.export import csv_text
from evallib.core.files import slug
from evallib.core.text import t
from evallib.evaluation.status import Status

SYMBOLS = {
    Status.GEHAALD: "✔",
    Status.OP_KOERS: "➜",
    Status.NIET_ZEKER: "±",
    Status.NIET_GEHAALD: "✘",
    Status.NOG_NIET_MEETBAAR: "…",
    Status.ONVOLDOENDE_GEGEVENS: "?",
}


#: Elements that have no content and no end tag.
VOID_ELEMENTS = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr"})


class Html(Markup):
    """Safe HTML (a :class:`markupsafe.Markup`) that Jupyter displays as HTML.

    Examples
    --------
    >>> "a < b " + Html("<b>c</b>")
    Html('a &lt; b <b>c</b>')
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def esc(value: object) -> Html:
    """Escape any value for use as HTML text or attribute (safe HTML stays as it is).

    Examples
    --------
    >>> esc("<script>alert(1)</script>")
    Html('&lt;script&gt;alert(1)&lt;/script&gt;')
    """
    return Html(escape("" if value is None else value))


def tag(name: str, content: str | Iterable[str] = "", **attrs: object) -> Html:
    """An element; ``content`` that is not safe HTML is escaped.

    Examples
    --------
    >>> tag("p", "a < b", class_="note")
    Html('<p class="note">a &lt; b</p>')
    >>> tag("input", id="search", type="search")
    Html('<input id="search" type="search">')
    """
    content = esc(content) if isinstance(content, str) else Html("").join(map(esc, content))
    attributes = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None
    )
    if name in VOID_ELEMENTS:
        return Html(f"<{name}{attributes}>")
    return Html(f"<{name}{attributes}>{content}</{name}>")


def badge(status: Status, lang: str = "nl") -> Html:
    """A status badge: symbol + word, coloured by status class.

    Examples
    --------
    >>> print(badge(Status.GEHAALD))
    <span class="badge status-gehaald"><span aria-hidden="true">✔</span> gehaald</span>
    """
    return Html(
        f'<span class="badge status-{status.value}"><span aria-hidden="true">{SYMBOLS[status]}</span> '
        f"{esc(status.label(lang))}</span>"
    )


_BLOCK = re.compile(r"<(div|p|br|li|ul|ol|table|tr)\b")


def visible_text(cell: object) -> str:
    """The text a reader sees in a cell: tags stripped, entities read, white space as one space.

    Examples
    --------
    >>> visible_text(badge(Status.GEHAALD)), visible_text("a  <b>"), visible_text(Html("x&amp;y"))
    ('✔ gehaald', 'a <b>', 'x&y')
    >>> visible_text(Html("<div>Doel<div>afgeleid</div></div>"))
    'Doel afgeleid'

    """
    if isinstance(cell, Markup):
        # a block element starts on its own line: its text is a word apart from what precedes it
        return Markup(_BLOCK.sub(r" <\1", str(cell))).striptags()
    return " ".join(("" if cell is None else str(cell)).split())


def csv_link(
    header: Sequence[object], rows: Sequence[Sequence[object]], name: str = "", lang: str = "nl"
) -> Html:
    """A "Download (CSV)" link holding a table's visible cells in its own address.

    The address is a ``data:text/csv`` URI: nothing is fetched, the page stays one file. Each
    row of the table is a row of the file, each cell its visible text (a suppressed number as
    "minder dan 10"), made inert for spreadsheets (:func:`evallib.core.export.inert`).

    Examples
    --------
    >>> print(csv_link(["school", "n"], [["=1+1", "minder dan 10"]], "Tabel A"))
    <p class="table-download"><a href="data:text/csv;charset=utf-8,school,n%0D%0A%27%3D1%2B1,minder%20dan%2010%0D%0A" download="tabel-a.csv">Download (CSV)</a></p>
    """
    text = csv_text(
        [visible_text(h) for h in header], ([visible_text(c) for c in row] for row in rows)
    )
    href = "data:text/csv;charset=utf-8," + quote(text, safe=",;:/()!*-_.~")
    file = (slug(name) or t("table.file", lang)) + ".csv"
    return tag(
        "p",
        [tag("a", t("table.download", lang), href=href, download=file)],
        class_="table-download",
    )


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    caption: str | None = None,
    class_: str = "data",
    lang: str = "nl",
) -> Html:
    """A table; cells that are not :class:`Html` are escaped. Under it, a link that downloads
    the table's visible cells as CSV (:func:`csv_link`).

    Examples
    --------
    >>> html = table(["a"], [["<1"]], caption="T")
    >>> "<td>&lt;1</td>" in html, 'download="t.csv"' in html
    (True, True)
    """
    rows = [list(row) for row in rows]
    head = tag("thead", [tag("tr", [tag("th", h, scope="col") for h in header])])
    body = tag("tbody", [tag("tr", [tag("td", c) for c in row]) for row in rows])
    parts = [tag("caption", caption)] if caption else []
    # Wide tables scroll sideways inside their own box instead of overflowing the page.
    return tag("div", [tag("table", [*parts, head, body], class_=class_)], class_="table-wrap") + (
        csv_link(header, rows, caption or "", lang)
    )


def figure(fig: object, alt: str, caption: str = "") -> Html:
    """Embed a matplotlib figure as a PNG data URI, with alt text and caption.

    PNG metadata that varies (software version) is left out so the bytes only
    depend on the figure. The image is stored with a palette of 256 colours: a chart has
    few colours, and this makes each one about three times smaller than full colour
    without a visible difference (reports are sent by e-mail and opened offline).
    """
    import matplotlib.pyplot as plt
    from PIL import Image

    # Constrained layout (set where the figure is made) fits labels in one draw; bbox_inches="tight"
    # would draw every figure twice. The pixels are taken from the canvas: writing a full-colour
    # PNG only to read it back before the palette is made cost a third of the time.
    fig.set_dpi(110)
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    plt.close(fig)
    image = image.convert("RGB").quantize(256, Image.Quantize.MEDIANCUT)
    small = io.BytesIO()
    image.save(small, format="PNG", optimize=True)
    data = base64.b64encode(small.getvalue()).decode("ascii")
    img = Html(f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}">')
    return tag("figure", [img, tag("figcaption", caption)] if caption else [img])


def synthetic_banner(lang: str = "nl") -> Html:
    """The warning shown on every page built from synthetic data."""
    # Inline style so the warning also stands out in JupyterLab, where the report CSS is absent.
    style = "background:#7a1f00;color:#fff;text-align:center;padding:.45rem 1rem"
    return tag(
        "div",
        [tag("strong", t("synthetic.banner", lang))],
        class_="synthetic",
        role="note",
        style=style,
    )


def stylesheet() -> str:
    """The report stylesheet (inline in every page; nothing is fetched)."""
    return resources.files("evallib.reporting").joinpath("templates/report.css").read_text("utf-8")


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page templates (``reporting/templates/*.j2``).

    Autoescape is on: a value that is not :class:`~markupsafe.Markup` is escaped, so data can
    never become markup. Undefined names are errors, not empty text.

    Examples
    --------
    >>> environment().from_string("<p>{{ x }}</p>").render(x="a < b")
    '<p>a &lt; b</p>'
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("evallib.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def script_text(name: str) -> Markup:
    """One of evallib's own scripts (``reporting/templates/<name>``), to inline in a page.

    Scripts hold no data and no words: a page passes those as JSON (see ``index.html.j2``).
    """
    text = resources.files("evallib.reporting").joinpath(f"templates/{name}").read_text("utf-8")
    if "</" in text:  # would end the inline <script> element early
        raise ValueError(f"{name} contains '</', which cannot be inlined in a page")
    return Markup(text)


def render(
    template: str, *, title: str, synthetic: bool, lang: str = "nl", **context: object
) -> str:
    """A complete page from a template that extends ``page.html.j2``.

    Examples
    --------
    >>> html = render("page.html.j2", title="T", synthetic=False, body=Html("<p>x</p>"))
    >>> html.splitlines()[-5:]
    ['<main class="report">', '<p>x</p>', '</main>', '</body>', '</html>']
    """
    values: dict[str, object] = {
        "title": title,
        "lang": lang,
        "stylesheet": Markup(stylesheet()),
        "banner": synthetic_banner(lang) if synthetic else "",
        "home": None,
        "home_text": t("page.home", lang),
        "script": "",
    }
    return environment().get_template(template).render({**values, **context})


def page(
    title: str,
    body: str,
    *,
    synthetic: bool,
    lang: str = "nl",
    script: str = "",
    home: str | None = None,
) -> str:
    """A complete, self-contained HTML page around already-safe ``body`` HTML.

    ``script`` is evallib's own inline JavaScript (never data); nothing is fetched.
    ``home`` is the address of the start page (``index.html``), linked at the top.

    Examples
    --------
    >>> html = page("A < B", Html("<p>x</p>"), synthetic=False, home="index.html")
    >>> "<title>A &lt; B</title>" in html, '<a href="index.html">' in html
    (True, True)
    """
    # ``body`` is trusted as HTML here (the shell's contract); Markup() keeps it from escaping.
    return render(
        "page.html.j2",
        title=title,
        synthetic=synthetic,
        lang=lang,
        body=Markup(body),
        script=Markup(script),
        home=home,
    )
