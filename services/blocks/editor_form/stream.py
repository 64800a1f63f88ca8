"""The questions an editor can place in a form, each with its optional condition
("show this question only when ...") and, for a question with one answer to
compare, its optional jump ("if the answer is ..., go to ..."). Existing stored
forms keep working: a question saved before conditions or jumps existed simply
has none."""

from __future__ import annotations

from wagtail import blocks

from services.blocks.editor_form.branching import ConditionBlock, JumpBlock
from services.blocks.editor_form.format_questions import (
    CouncilTaxAccountQuestionBlock,
    EmailQuestionBlock,
    NationalInsuranceQuestionBlock,
    NumberQuestionBlock,
    PhoneQuestionBlock,
    PostcodeQuestionBlock,
    SelectQuestionBlock,
    VehicleRegistrationQuestionBlock,
    YesNoQuestionBlock,
)
from services.blocks.editor_form.questions import (
    AddressQuestionBlock,
    ChoiceQuestionBlock,
    DateQuestionBlock,
    FileQuestionBlock,
    LongTextQuestionBlock,
    TextQuestionBlock,
)
from services.blocks.editor_form.repeating import AddAnotherQuestionBlock
from services.blocks.pay_steps import BookingStepBlock, PaymentStepBlock


def _conditional(block_class, **kwargs):
    return block_class([("show_when", ConditionBlock())], **kwargs)


def _branching(block_class, **kwargs):
    """A question that may also jump: its answer is one option, a few words or a
    number (not an address, a file, a list of items, a payment or a booking)."""
    return block_class(
        [("show_when", ConditionBlock()), ("go_to", JumpBlock())], **kwargs
    )


class QuestionStreamBlock(blocks.StreamBlock):
    text = _branching(TextQuestionBlock)
    long_text = _conditional(LongTextQuestionBlock, label="Long text")
    choice = _branching(ChoiceQuestionBlock)
    date = _conditional(DateQuestionBlock)
    address = _conditional(AddressQuestionBlock)
    file = _conditional(FileQuestionBlock)
    number = _branching(NumberQuestionBlock)
    email = _branching(EmailQuestionBlock)
    phone = _branching(PhoneQuestionBlock, label="UK telephone number")
    postcode = _branching(PostcodeQuestionBlock, label="UK postcode")
    yes_no = _branching(YesNoQuestionBlock)
    select = _branching(SelectQuestionBlock)
    vehicle_registration = _branching(VehicleRegistrationQuestionBlock)
    ni_number = _branching(NationalInsuranceQuestionBlock)
    council_tax_account = _branching(CouncilTaxAccountQuestionBlock)
    add_another = _conditional(AddAnotherQuestionBlock)
    # Payment and booking steps (services.blocks.pay_steps): the charge is taken
    # on GOV.UK Pay after "check your answers", the place is held meanwhile.
    payment = _conditional(PaymentStepBlock)
    booking = _conditional(BookingStepBlock)
