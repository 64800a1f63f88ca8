"""Branching: "show this question only when <an earlier question> is <an answer>".

The condition is data on the question (``ConditionBlock``), naming the earlier
question by its label, so it reads in the admin as the editor wrote it. The
route through a form is worked out on the server from the answers so far
(``route``): a question whose condition is not met, or whose earlier question is
itself off the route or not answered yet, is not asked, and its answer (kept in
the journey in case the resident changes their mind) goes neither onto check your
answers nor onto the case. ``condition_errors`` is what the form block's
``clean()`` reports to the editor.
"""

from __future__ import annotations

from wagtail import blocks

# Question types whose answer is one of a list of options a condition can name.
CONDITION_TYPES = ("choice", "yes_no", "select")


class ConditionBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        required=False,
        max_length=120,
        label="Show only when the answer to",
        help_text="The label of an earlier choice, yes/no or select question. "
        "Leave empty to always ask this question.",
    )
    answer = blocks.CharBlock(
        required=False,
        max_length=100,
        label="is",
        help_text="One of that question's options, e.g. Yes.",
    )

    class Meta:
        icon = "decision"
        label = "Show this question only when"
        form_classname = "struct-block condition-block"


def condition_of(question) -> tuple[str, str] | None:
    """(earlier question's label, answer) or ``None`` for an unconditional one."""
    condition = question.value.get("show_when") or {}
    label = (condition.get("question") or "").strip()
    if not label:
        return None
    return label, (condition.get("answer") or "").strip()


def options_of(question) -> list[str]:
    if question.block_type == "yes_no":
        return ["Yes", "No"]
    return list(question.value.get("choices") or [])


def answer_matches(stored: dict | None, expected: str) -> bool:
    answer = (stored or {}).get("answer")
    if isinstance(answer, list):
        return expected in answer
    return answer == expected


def route(named_questions, answers: dict) -> list:
    """The (step name, question) pairs asked, given the answers so far."""
    on_route: dict[str, str] = {}  # label → step name, of questions on the route
    asked = []
    for name, question in named_questions:
        condition = condition_of(question)
        if condition is not None:
            label, expected = condition
            earlier = on_route.get(label)
            if earlier is None or not answer_matches(answers.get(earlier), expected):
                continue
        asked.append((name, question))
        on_route.setdefault(question.value["label"], name)
    return asked


def condition_errors(questions) -> dict[int, str]:
    """Editor errors by question index: a condition must name an earlier choice,
    yes/no or select question and one of its options."""
    errors: dict[int, str] = {}
    earlier: dict[str, object] = {}
    for index, question in enumerate(questions):
        condition = condition_of(question)
        if condition is not None:
            label, expected = condition
            target = earlier.get(label)
            if target is None:
                errors[index] = (
                    f"No earlier question is labelled “{label}”. A condition names "
                    "a choice, yes/no or select question above this one."
                )
            elif target.block_type not in CONDITION_TYPES:
                errors[index] = (
                    f"“{label}” is not a choice, yes/no or select question, so it "
                    "cannot decide whether this question is asked."
                )
            elif expected not in options_of(target):
                errors[index] = (
                    f"“{expected}” is not an answer to “{label}”. Use one of: "
                    + ", ".join(options_of(target))
                )
        earlier.setdefault(question.value["label"], question)
    return errors
