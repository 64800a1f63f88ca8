"""Read the demo council from the data files in ``home/demo/data/``.

``council.yaml`` holds the staff users, contact details, review dates, page
defaults, the council site's settings, its alert banner and its page tree;
``parks.yaml`` the microsite's settings and page tree. Files include others
(``{include: council/bins.yaml}``). The loader checks the data, expands the page
content vocabulary below into the StreamField data Wagtail stores, and hands the
builder (``home.demo.builders``) plain dictionaries: links to other demo pages are
still written ``"ref:<key>"`` and contact details ``"contact:<key>"``, because ids
only exist once the pages do.

A page is a mapping: ``model`` (``app_label.ModelName``), ``title``, optionally
``key`` (how other pages link to it; default the slug), ``slug`` (default from the
title), ``owner`` (a username, inherited by child pages), ``contact_key`` (inherited
too), ``review_date``, ``children``, ``parts`` (a guide's parts: ``title`` and
``body``), and any field of the model.

Content vocabulary (each block is a mapping with one of these words):

======================================  ===============================================
``{h2: text}``, ``{h3: text}``            a heading
``{para: html}``                          a paragraph of rich text
``{inset: html}``                         inset text
``{warning: text}``                       warning text
``{details: {summary, html}}``            a details (show/hide) component
``{accordion: [{heading, summary, html}]}``  an accordion (summary optional)
``{table: {caption, rows, first_col_is_header}}``  a table; the first row is its header
``{video: {title, url}}``                 a YouTube or Vimeo video
``{call_to_action: link}``                a link on its own line
``{start_button: link}``                  a green "Start now" button
``{contact: key}``                        the contact details named ``key``
``{related: {heading, links: [link]}}``   a related links box
``{step: {title, html, links, logic}}``   a step of a step by step (``logic``: and/or)
``{block: type, value: data}``            any other block, as Wagtail stores it
======================================  ===============================================

A link is ``{page_link: key}`` (the page's title is the text) or
``{page_link: key, text: ...}``, or ``{url: https://..., text: ...}``. A field
whose blocks can only be links (top tasks, related links, a service's ``start``,
navigation) is just a list of links: ``start: [{page_link: apply-for-a-permit}]``
puts a start button to that page on a service page. In rich text, a link to a demo
page is ``<a linktype="page" id="ref:KEY">``. A page field pointing at another page
(such as the home page's ``news_index``) is ``{page: key}``. A date is a YAML date
(``2026-03-02``) or ``{days_ago: 60}`` (that many days before loading).

``{include: file.yaml}`` anywhere is replaced by the file's content (a list of
pages or blocks is spliced into the list it stands in); with ``with:
{name: value}`` every ``{name}`` in the included text is filled in (write ``{{`` and
``}}`` for literal braces there).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

from wagtail.fields import StreamField

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
REF_PREFIX = "ref:"
CONTACT_PREFIX = "contact:"
# Keys of a page that are not model fields (the builder reads them).
PAGE_META_KEYS = frozenset(
    {"model", "key", "slug", "children", "owner", "review_date", "parts", "contact_key"}
)


FROM_KEY = "_from"  # the file a page came from (set by the loader)


class DemoDataError(ValueError):
    """The demo data files say something the loader cannot read."""


@dataclass
class SiteData:
    settings: dict  # SiteSettings fields, streams expanded
    home: dict  # the home page and its descendants


@dataclass
class DemoData:
    users: list
    contacts: dict
    review_dates: list
    alert: dict
    council: SiteData
    parks: SiteData


# ------------------------------------------------------------------ the vocabulary


def ref(key: str) -> str:
    return f"{REF_PREFIX}{key}"


def _text(value, where: str) -> str:
    if not isinstance(value, str):
        raise DemoDataError(
            f"{where}: expected text, got {value!r} (quote it in the YAML)"
        )
    return value


def _mapping(value, where: str, required=(), optional=(), *, more=False) -> dict:
    """``value``, checked to be a mapping with the ``required`` keys and no others
    than those and the ``optional`` ones (any others too with ``more``)."""
    if not isinstance(value, dict):
        raise DemoDataError(f"{where}: expected a mapping, got {value!r}")
    unknown = set() if more else set(value) - set(required) - set(optional)
    missing = set(required) - set(value)
    if unknown or missing:
        raise DemoDataError(
            f"{where}: "
            + "; ".join(
                part
                for part in (
                    f"unknown {sorted(unknown)}" if unknown else "",
                    f"missing {sorted(missing)}" if missing else "",
                )
                if part
            )
        )
    return value


def is_link(value) -> bool:
    return isinstance(value, dict) and ("page_link" in value or "url" in value)


def link(value, where: str) -> dict:
    """A LinkBlock value from ``{page_link: key[, text]}`` or ``{url, text}``."""
    if isinstance(value, dict) and "page_link" in value:
        _mapping(value, where, ("page_link",), ("text",))
        return {
            "link_text": _text(value.get("text", ""), where),
            "page": ref(_text(value["page_link"], where)),
            "url": "",
        }
    _mapping(value, where, ("url", "text"))
    return {
        "link_text": _text(value["text"], where),
        "page": None,
        "url": _text(value["url"], where),
    }


def _links(values, where: str) -> list[dict]:
    if not isinstance(values, list):
        raise DemoDataError(f"{where}: expected a list of links")
    return [link(v, f"{where}[{i}]") for i, v in enumerate(values)]


def _heading(level):
    return lambda v, w: {"text": _text(v, w), "level": level}


def _details(v, w):
    _mapping(v, w, ("summary", "html"))
    return {"summary": _text(v["summary"], w), "content": _text(v["html"], w)}


def _accordion(v, w):
    if not isinstance(v, list) or not v:
        raise DemoDataError(f"{w}: an accordion is a list of sections")
    sections = []
    for i, section in enumerate(v):
        where = f"{w}[{i}]"
        _mapping(section, where, ("heading", "html"), ("summary",))
        sections.append(
            {
                "heading": _text(section["heading"], where),
                "summary": _text(section.get("summary", ""), where),
                "content": _text(section["html"], where),
            }
        )
    return {"sections": sections}


def _table(v, w):
    _mapping(v, w, ("caption", "rows"), ("first_col_is_header",))
    rows = v["rows"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise DemoDataError(f"{w}: rows is a list of rows, each a list of cells")
    return {
        "data": [[_text(cell, w) for cell in row] for row in rows],
        "first_row_is_table_header": True,
        "first_col_is_header": bool(v.get("first_col_is_header", False)),
        "table_caption": _text(v["caption"], w),
    }


def _video(v, w):
    _mapping(v, w, ("title", "url"))
    return {
        "title": _text(v["title"], w),
        "url": _text(v["url"], w),
        "transcript": None,
    }


def _related(v, w):
    _mapping(v, w, ("heading", "links"))
    return {"heading": _text(v["heading"], w), "links": _links(v["links"], w)}


def _step(v, w):
    _mapping(v, w, ("title", "html"), ("links", "logic"))
    return {
        "title": _text(v["title"], w),
        "logic": _text(v.get("logic", ""), w),
        "content": _text(v["html"], w),
        "links": _links(v.get("links", []), w),
    }


# word: (block type, how the value is written)
WORDS = {
    "h2": ("heading", _heading("h2")),
    "h3": ("heading", _heading("h3")),
    "para": ("paragraph", _text),
    "inset": ("inset_text", lambda v, w: {"text": _text(v, w)}),
    "warning": ("warning_text", lambda v, w: {"text": _text(v, w)}),
    "details": ("details", _details),
    "accordion": ("accordion", _accordion),
    "table": ("table", _table),
    "video": ("video", _video),
    "call_to_action": (
        "call_to_action",
        lambda v, w: {"link": link(v, w), "start_button": False},
    ),
    "start_button": (
        "call_to_action",
        lambda v, w: {"link": link(v, w), "start_button": True},
    ),
    "contact": ("contact", lambda v, w: f"{CONTACT_PREFIX}{_text(v, w)}"),
    "related": ("related_links", _related),
    "step": ("step", _step),
}


def stream(items, where: str, stream_block=None) -> list[dict]:
    """StreamField data (``[{"type": ..., "value": ...}]``) from vocabulary items.

    ``stream_block`` (the field's block) lets a bare link stand for the field's
    only kind of block, and checks every block type exists there.
    """
    if not isinstance(items, list):
        raise DemoDataError(f"{where}: expected a list of blocks")
    children = stream_block.child_blocks if stream_block is not None else None
    blocks = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if is_link(item):
            if not children or len(children) != 1:
                raise DemoDataError(
                    f"{at}: a link needs a block around it here, such as "
                    "{call_to_action: ...} or {related: ...}"
                )
            blocks.append({"type": next(iter(children)), "value": link(item, at)})
            continue
        if isinstance(item, dict) and "block" in item:
            _mapping(item, at, ("block", "value"))
            block_type, value = item["block"], item["value"]
        else:
            if not isinstance(item, dict) or len(item) != 1:
                raise DemoDataError(
                    f"{at}: a block is one of {sorted(WORDS)}: {item!r}"
                )
            ((word, value),) = item.items()
            if word not in WORDS:
                raise DemoDataError(
                    f"{at}: unknown block {word!r}; use one of {sorted(WORDS)}"
                )
            block_type, write = WORDS[word]
            value = write(value, f"{at}.{word}")
        if children is not None and block_type not in children:
            raise DemoDataError(f"{at}: this field has no {block_type!r} block")
        blocks.append({"type": block_type, "value": value})
    return blocks


# ------------------------------------------------------------------ files and values


def _read(name: str, data_dir: Path, where: str = ""):
    at = f"{where}: " if where else ""
    path = (data_dir / name).resolve()
    if data_dir.resolve() not in path.parents:
        raise DemoDataError(f"{at}{name}: includes stay inside {data_dir}")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise DemoDataError(f"{at}{name}: no such demo data file") from None
    except yaml.YAMLError as error:
        raise DemoDataError(f"{name}: {error}") from None


def _fill_in(value, variables: dict, where: str):
    if isinstance(value, str):
        try:
            return value.format_map(variables)
        except (KeyError, AttributeError, ValueError, IndexError) as error:
            raise DemoDataError(f"{where}: cannot fill in {value!r}: {error}") from None
    if isinstance(value, list):
        return [_fill_in(v, variables, where) for v in value]
    if isinstance(value, dict):
        return {k: _fill_in(v, variables, where) for k, v in value.items()}
    return value


def _dates(value, today: datetime.date):
    """``{days_ago: N}`` anywhere becomes the date N days before ``today``."""
    if isinstance(value, dict):
        if set(value) == {"days_ago"} and isinstance(value["days_ago"], int):
            return today - datetime.timedelta(days=value["days_ago"])
        return {k: _dates(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v, today) for v in value]
    return value


def _includes(value, data_dir: Path, today: datetime.date, where: str, depth=0):
    """Replace every ``{include: file[, with: {...}]}`` with the file's content."""
    if depth > 10:
        raise DemoDataError(f"{where}: includes nested too deeply (a loop?)")
    if isinstance(value, dict) and "include" in value:
        _mapping(value, where, ("include",), ("with",))
        name = _text(value["include"], where)
        content = _dates(_read(name, data_dir, where), today)
        if "with" in value:
            variables = _dates(
                _mapping(value["with"], f"{where}.with", more=True), today
            )
            content = _fill_in(content, variables, name)
        content = _includes(content, data_dir, today, name, depth + 1)
        # Pages remember their file, for messages about them.
        for item in content if isinstance(content, list) else [content]:
            if isinstance(item, dict) and "model" in item:
                item.setdefault(FROM_KEY, name)
        return content
    if isinstance(value, dict):
        return {
            k: _includes(v, data_dir, today, f"{where}.{k}", depth)
            for k, v in value.items()
        }
    if isinstance(value, list):
        expanded = []
        for index, item in enumerate(value):
            result = _includes(item, data_dir, today, f"{where}[{index}]", depth)
            spliced = isinstance(item, dict) and "include" in item
            if spliced and isinstance(result, list):
                expanded.extend(result)
            else:
                expanded.append(result)
        return expanded
    return value


def _field_value(model, name: str, value, where: str):
    """``value`` from the data, as the builder expects it for ``model.name``."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
        raise DemoDataError(
            f"{where}: {model._meta.label} has no field {name!r}"
        ) from None
    if isinstance(field, StreamField):
        return stream(value, f"{where}, {name}", field.stream_block)
    if isinstance(field, models.ForeignKey) and isinstance(value, dict):
        _mapping(value, f"{where}, {name}", ("page",))
        return ref(_text(value["page"], where))
    return value


def _page(data, file: str, defaults: dict) -> dict:
    data = dict(_mapping(data, file, ("model", "title"), more=True))
    file = data.pop(FROM_KEY, file)
    where = f"{file}, page {data.get('key') or data.get('slug') or data['title']!r}"
    label = _text(data["model"], where)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise DemoDataError(f"{where}: no page model {label!r}") from None
    page = {}
    for name, value in {**defaults.get(label, {}), **data}.items():
        if name == "children":
            page[name] = [_page(child, file, defaults) for child in value]
        elif name == "parts":
            part_model = model._meta.get_field("parts").related_model
            page[name] = [
                {
                    "title": _text(part["title"], f"{where}, parts[{i}]"),
                    "body": _field_value(
                        part_model, "body", part["body"], f"{where}, parts[{i}]"
                    ),
                }
                for i, part in enumerate(value)
            ]
        elif name in PAGE_META_KEYS:
            page[name] = value
        else:
            page[name] = _field_value(model, name, value, where)
    return page


def _settings(data, where: str) -> dict:
    settings_model = apps.get_model("home", "SiteSettings")
    data = _mapping(data, where, ("organisation_name",), more=True)
    return {
        name: _field_value(settings_model, name, value, where)
        for name, value in data.items()
    }


def load(data_dir: Path = DATA_DIR, today: datetime.date | None = None) -> DemoData:
    """Both demo sites from the data files, checked and expanded."""
    today = today or datetime.date.today()
    council, parks = (
        _includes(_dates(_read(name, data_dir), today), data_dir, today, name)
        for name in ("council.yaml", "parks.yaml")
    )
    _mapping(
        council,
        "council.yaml",
        ("users", "review_dates", "contacts", "settings", "alert", "home"),
        ("page_defaults",),
    )
    _mapping(parks, "parks.yaml", ("settings", "home"))
    defaults = council.get("page_defaults") or {}
    return DemoData(
        users=council["users"],
        contacts=council["contacts"],
        review_dates=council["review_dates"],
        alert=_mapping(
            council["alert"], "council.yaml alert", ("title", "message", "severity")
        ),
        council=SiteData(
            settings=_settings(council["settings"], "council.yaml settings"),
            home=_page(council["home"], "council.yaml", defaults),
        ),
        parks=SiteData(
            settings=_settings(parks["settings"], "parks.yaml settings"),
            home=_page(parks["home"], "parks.yaml", defaults),
        ),
    )
