"""The "add another" question: a set of simple sub-questions asked once per item
(a person, a vehicle), as in the GOV.UK "add multiple things" pattern, without
JavaScript.

It takes two steps of the journey:

* ``<name>`` asks the sub-questions of one item on one page; once it validates the
  item is added to the list kept under ``<name>-items`` (``add_item``);
* ``<name>-more`` lists the items added, each with a "Remove" link, and asks
  "Do you need to add another <item>?". Yes clears both steps' answers, so the
  journey asks for a new item; No moves on. A remove link asks first ("Are you
  sure ...?", the same step with ``remove=<n>``); removing the last item asks for
  an item again.

On the case the answer is a list with one ``{sub-question label: answer}`` per item.
"""

from __future__ import annotations

from django import forms

from wagtail import blocks

from frontend.forms import GovUKForm
from services.blocks.editor_form.format_questions import (
    EmailQuestionBlock,
    NumberQuestionBlock,
    PhoneQuestionBlock,
    PostcodeQuestionBlock,
    SelectQuestionBlock,
    VehicleRegistrationQuestionBlock,
    YesNoQuestionBlock,
)
from services.blocks.editor_form.questions import (
    NOT_GIVEN,
    DateQuestionBlock,
    TextQuestionBlock,
)

MORE = "-more"
ITEMS = "-items"


class SubQuestionStreamBlock(blocks.StreamBlock):
    text = TextQuestionBlock()
    number = NumberQuestionBlock()
    date = DateQuestionBlock()
    email = EmailQuestionBlock()
    phone = PhoneQuestionBlock(label="UK telephone number")
    postcode = PostcodeQuestionBlock()
    vehicle_registration = VehicleRegistrationQuestionBlock()
    yes_no = YesNoQuestionBlock()
    select = SelectQuestionBlock()


class AddAnotherQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        max_length=120, help_text="The question, e.g. Who lives at the property?"
    )
    hint = blocks.CharBlock(required=False, max_length=200)
    item_name = blocks.CharBlock(
        max_length=40, help_text="One item, in lower case, e.g. person or vehicle."
    )
    item_name_plural = blocks.CharBlock(
        max_length=40, help_text="More than one, e.g. people or vehicles."
    )
    max_items = blocks.IntegerBlock(default=10, min_value=1, max_value=50)
    questions = SubQuestionStreamBlock(
        min_num=1, help_text="Asked together, on one page, for each item."
    )

    class Meta:
        icon = "list-ul"
        label = "Add another (repeating group)"
        description = "A few questions asked again for each item the resident adds."
        preview_value = {
            "label": "Who lives at the property?",
            "item_name": "person",
            "item_name_plural": "people",
        }

    # -- forms -------------------------------------------------------------------
    def item_form_class(self, value) -> type[forms.Form]:
        fields = {
            f"q{index + 1}": sub.block.form_class(sub.value).base_fields["answer"]
            for index, sub in enumerate(value["questions"])
        }
        return type("AddAnotherItemForm", (GovUKForm,), fields)

    def items(self, stored_items) -> list[dict]:
        return list(stored_items or [])

    def item_rows(self, value, items: list[dict], name: str) -> list[dict]:
        """A summary row per item, each with its remove link."""
        return [
            {
                "key": f"{value['item_name'].capitalize()} {number}",
                "value": self.describe_item(value, item),
                "href": f"?step={name}{MORE}&remove={number}",
                "change_text": "Remove",
            }
            for number, item in enumerate(items, start=1)
        ]

    def more_form_class(self, value, items, name) -> type[forms.Form]:
        item, plural = value["item_name"], value["item_name_plural"]
        limit = value["max_items"]
        rows = self.item_rows(value, items, name)

        class AddAnotherForm(GovUKForm):
            template_name = "services/forms/add_another.html"
            more = forms.ChoiceField(
                label=f"Do you need to add another {item}?",
                choices=[("Yes", "Yes"), ("No", "No")],
                widget=forms.RadioSelect(attrs={"inline": True}),
                error_messages={
                    "required": f"Select yes if you need to add another {item}",
                    "invalid_choice": "Select yes or no",
                },
            )

            def clean_more(self):
                more = self.cleaned_data["more"]
                if more == "Yes" and len(items) >= limit:
                    raise forms.ValidationError(
                        f"You can add up to {limit} {plural}. Select no to continue"
                    )
                return more

        AddAnotherForm.rows = rows
        return AddAnotherForm

    def remove_form_class(self, value, items, number: int) -> type[forms.Form]:
        item = value["item_name"]
        description = self.describe_item(value, items[number - 1])

        class RemoveItemForm(GovUKForm):
            remove = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=number,
                min_value=1,
                max_value=len(items),
            )
            confirm = forms.ChoiceField(
                label=f"Are you sure you want to remove {item} {number}?",
                help_text=description,
                choices=[("Yes", "Yes"), ("No", "No")],
                widget=forms.RadioSelect(attrs={"inline": True}),
                error_messages={
                    "required": f"Select yes if you want to remove {item} {number}"
                },
            )

        return RemoveItemForm

    # -- answers -----------------------------------------------------------------
    def item_answers(self, value, item: dict) -> dict:
        """One item as ``{sub-question label: answer}``."""
        return {
            sub.value["label"]: sub.block.answer(
                sub.value, {"answer": item.get(f"q{index + 1}")}
            )
            for index, sub in enumerate(value["questions"])
        }

    def describe_item(self, value, item: dict) -> str:
        return "; ".join(
            f"{sub.value['label']}: "
            + sub.block.display(sub.value, {"answer": item.get(f"q{index + 1}")})
            for index, sub in enumerate(value["questions"])
        )

    def answer(self, value, stored_items) -> list[dict]:
        return [self.item_answers(value, item) for item in self.items(stored_items)]

    def display(self, value, stored_items) -> str:
        items = self.items(stored_items)
        if not items:
            return NOT_GIVEN
        name = value["item_name"].capitalize()
        return "\n".join(
            f"{name} {number}: {self.describe_item(value, item)}"
            for number, item in enumerate(items, start=1)
        )


def plural_title(value, count: int) -> str:
    noun = value["item_name"] if count == 1 else value["item_name_plural"]
    return f"You have added {count} {noun}"
