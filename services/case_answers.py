"""A case's answers as questions and answers, for people (the case page, CSV export).

Forms built by editors store each answer under its question's label already. The
built-in journeys (missed bin, street problem, bulky waste, registrar, Open311)
store machine keys such as ``bin_type`` and ``bin_type_label``: ``QUESTIONS`` says
which question each key answers, a ``<key>_label`` answer stands for ``<key>`` (the
words the resident chose rather than the code), and values that are not text
(lists of items, yes/no, amounts in pence) are put into words.
"""

from __future__ import annotations

NOT_GIVEN = "Not given"
LABEL_SUFFIX = "_label"

# Stored key -> the question as residents were asked it; also the display order.
QUESTIONS = {
    "category": "What is the problem?",
    "bin_type": "Which bin was not collected?",
    "description": "Describe the problem",
    "street": "Which street is it on?",
    "landmark": "What is it near?",
    "address": "Address",
    "items": "What needs collecting?",
    "collection_date": "Collection date",
    "concession": "Concession (reduced price)",
    "concession_reference": "Concession reference",
    "total_pence": "Price",
    "appointment": "What is the appointment for?",
    "office": "Which office?",
    "time": "Appointment time",
    "name": "Whose registration is it?",
    "media_url": "Photo sent by the app",
    "source": "Reported through",
    "device_id": "Device",
    "uprn": "UPRN",
}
# Keys that are not answers a resident gave (kept on the case for systems).
NOT_SHOWN = {"photos"}


def in_words(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key.endswith("_pence") and isinstance(value, int):
        return f"£{value / 100:,.2f}"
    if isinstance(value, list):
        return ", ".join(
            f"{item.get('quantity', 1)} × {item.get('name', '')}"
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def question_for(key: str) -> str:
    if key in QUESTIONS:
        return QUESTIONS[key]
    if "_" in key and key == key.lower() and " " not in key:
        return key.replace("_", " ").capitalize()  # a key no journey declared
    return key  # an editor's question label


def question_rows(answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs: built-in journeys' keys in ``QUESTIONS`` order,
    then every other answer in the order it was stored."""
    if not isinstance(answers, dict):
        return []
    values = {}
    for key, value in answers.items():
        if key in NOT_SHOWN:
            continue
        if key.endswith(LABEL_SUFFIX) and key[: -len(LABEL_SUFFIX)] in answers:
            continue  # shown in place of its code below
        labelled = answers.get(f"{key}{LABEL_SUFFIX}")
        values[key] = labelled if labelled not in (None, "") else value
    known = [k for k in QUESTIONS if k in values]
    others = [k for k in values if k not in QUESTIONS]
    return [(question_for(k), in_words(k, values[k])) for k in known + others]
