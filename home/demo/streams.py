"""Helpers that write StreamField blocks as Wagtail's raw JSON data.

A link to a demo page is written as ``"ref:<key>"`` in a ``page`` value; the builder
swaps it for the page's id once every page exists (see ``builders.resolve_refs``).
"""

REF_PREFIX = "ref:"


def ref(key: str) -> str:
    return f"{REF_PREFIX}{key}"


# Link values (LinkBlock) ------------------------------------------------------------


def page_link(key: str, text: str = "") -> dict:
    return {"link_text": text, "page": ref(key), "url": ""}


def url_link(url: str, text: str) -> dict:
    return {"link_text": text, "page": None, "url": url}


def links(*values: dict, block_type: str = "link") -> list[dict]:
    """A StreamField made only of links (top tasks, navigation, related links)."""
    return [{"type": block_type, "value": value} for value in values]


def tasks(*values: dict) -> list[dict]:
    return links(*values, block_type="task")


# Body blocks (BaseStoryBlock) ---------------------------------------------------------


def h2(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def h3(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h3"}}


def para(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def inset(html: str) -> dict:
    return {"type": "inset_text", "value": {"text": html}}


def warning(text: str) -> dict:
    return {"type": "warning_text", "value": {"text": text}}


def details(summary: str, html: str) -> dict:
    return {"type": "details", "value": {"summary": summary, "content": html}}


def accordion(*sections: tuple) -> dict:
    """Sections as ``(heading, summary, html)``; the summary may be empty."""
    return {
        "type": "accordion",
        "value": {
            "sections": [
                {"heading": heading, "summary": summary, "content": html}
                for heading, summary, html in sections
            ]
        },
    }


def table(
    caption: str, rows: list[list[str]], first_col_is_header: bool = False
) -> dict:
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": first_col_is_header,
            "table_caption": caption,
        },
    }


def video(title: str, url: str) -> dict:
    return {"type": "video", "value": {"title": title, "url": url, "transcript": None}}


def call_to_action(link: dict, start_button: bool = False) -> dict:
    return {
        "type": "call_to_action",
        "value": {"link": link, "start_button": start_button},
    }


def contact(key: str) -> dict:
    """A contact card; ``key`` names a contact in ``content.CONTACTS``."""
    return {"type": "contact", "value": f"contact:{key}"}


def related(heading: str, *values: dict) -> dict:
    return {
        "type": "related_links",
        "value": {"heading": heading, "links": list(values)},
    }


# Step-by-step steps (StepBlock) ---------------------------------------------------------


def step(title: str, html: str, *step_links: dict, logic: str = "") -> dict:
    return {
        "type": "step",
        "value": {
            "title": title,
            "logic": logic,
            "content": html,
            "links": list(step_links),
        },
    }
