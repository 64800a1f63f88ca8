"""Branching: "show this question only when <an earlier question> is <an answer>"
and "if the answer is <an answer>, go to <a later question>".

Both are data on the question (``ConditionBlock``, ``JumpBlock``), naming the
other question by its label, so they read in the admin as the editor wrote them.
The route through a form is worked out on the server from the answers so far
(``route``): a question whose condition is not met, or whose earlier question is
itself off the route or not answered yet, is not asked; nor are the questions a
jump passes over. Their answers (kept in the journey in case the resident changes
their mind) go neither onto check your answers nor onto the case.
``condition_errors`` and ``jump_errors`` are what the form block's ``clean()``
reports to the editor; ``route_known`` says whether the answers so far settle
which questions will be asked ("Question 2 of 5").
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


class JumpBlock(blocks.StructBlock):
    answer = blocks.CharBlock(
        required=False,
        max_length=100,
        label="If the answer is",
        help_text="One of this question's options, e.g. Yes (or, for a question "
        "answered in words or numbers, the answer as it is written).",
    )
    question = blocks.CharBlock(
        required=False,
        max_length=120,
        label="go to the question",
        help_text="The label of a later question. The questions in between are "
        "not asked. Leave both empty to go on to the next question.",
    )

    class Meta:
        icon = "redirect"
        label = "Go to a later question"
        form_classname = "struct-block jump-block"


def condition_of(question) -> tuple[str, str] | None:
    """(earlier question's label, answer) or ``None`` for an unconditional one."""
    condition = question.value.get("show_when") or {}
    label = (condition.get("question") or "").strip()
    if not label:
        return None
    return label, (condition.get("answer") or "").strip()


def jump_of(question) -> tuple[str, str] | None:
    """(answer, later question's label) or ``None`` when the question has no jump."""
    jump = question.value.get("go_to") or {}
    target = (jump.get("question") or "").strip()
    expected = (jump.get("answer") or "").strip()
    if not target or not expected:
        return None
    return expected, target


def has_options(question) -> bool:
    return question.block_type in CONDITION_TYPES


def options_of(question) -> list[str]:
    if question.block_type == "yes_no":
        return ["Yes", "No"]
    return list(question.value.get("choices") or [])


def answer_matches(stored: dict | None, expected: str) -> bool:
    answer = (stored or {}).get("answer")
    if isinstance(answer, list):
        return expected in answer
    return answer == expected


def jump_matches(question, stored: dict | None, expected: str) -> bool:
    """An option matches as the editor spelt it; an answer in words or numbers
    matches whatever its case (``yes`` for ``Yes``)."""
    if has_options(question):
        return answer_matches(stored, expected)
    answer = (stored or {}).get("answer")
    if answer is None or isinstance(answer, list | dict):
        return False
    return str(answer).strip().casefold() == expected.casefold()


def route(named_questions, answers: dict) -> list:
    """The (step name, question) pairs asked, given the answers so far."""
    labels = [question.value["label"] for _name, question in named_questions]
    on_route: dict[str, str] = {}  # label → step name, of questions on the route
    asked = []
    going_to = None  # the label a jump continues at; the questions before are passed
    for index, (name, question) in enumerate(named_questions):
        if going_to is not None:
            if labels[index] != going_to:
                continue
            going_to = None
        condition = condition_of(question)
        if condition is not None:
            label, expected = condition
            earlier = on_route.get(label)
            if earlier is None or not answer_matches(answers.get(earlier), expected):
                continue
        asked.append((name, question))
        on_route.setdefault(question.value["label"], name)
        jump = jump_of(question)
        if (
            jump is not None
            and name in answers
            and jump_matches(question, answers[name], jump[0])
            and jump[1] in labels[index + 1 :]  # never a jump the editor could not save
        ):
            going_to = jump[1]
    return asked


def route_known(named_questions, answers: dict) -> bool:
    """Whether the answers so far settle the route: no question on it that is
    still to be answered has a jump or is named by a later question's condition."""
    deciding = {c[0] for _n, q in named_questions if (c := condition_of(q))}
    return not any(
        name not in answers
        and (jump_of(question) is not None or question.value["label"] in deciding)
        for name, question in route(named_questions, answers)
    )


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


def jump_errors(questions) -> dict[int, str]:
    """Editor errors by question index: a jump names a later question (never its
    own) and, on a question with options, one of them."""
    errors: dict[int, str] = {}
    labels = [question.value["label"].strip() for question in questions]
    for index, question in enumerate(questions):
        jump = question.value.get("go_to")
        if jump is None:
            continue
        expected = (jump.get("answer") or "").strip()
        target = (jump.get("question") or "").strip()
        if not expected and not target:
            continue
        if not target:
            errors[index] = (
                f"Enter the label of the later question to go to when the answer "
                f"is “{expected}”."
            )
        elif not expected:
            errors[index] = f"Enter the answer that goes to “{target}”."
        elif target == labels[index] and target not in labels[index + 1 :]:
            errors[index] = (
                "A question cannot go to itself. Enter the label of a later question."
            )
        elif target not in labels[index + 1 :]:
            where = (
                f"“{target}” comes before this question"
                if target in labels[:index]
                else f"No later question is labelled “{target}”"
            )
            errors[index] = f"{where}. A jump goes to a question further on."
        elif has_options(question) and expected not in options_of(question):
            errors[index] = (
                f"“{expected}” is not an answer to this question. Use one of: "
                + ", ".join(options_of(question))
            )
    return errors
