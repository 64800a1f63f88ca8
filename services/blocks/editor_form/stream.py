"""The questions an editor can place in a form, each with its optional condition
("show this question only when ..."). Existing stored forms keep working: a
question saved before conditions existed simply has none."""

from __future__ import annotations

from wagtail import blocks

from services.blocks.editor_form.branching import ConditionBlock
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


class QuestionStreamBlock(blocks.StreamBlock):
    text = _conditional(TextQuestionBlock)
    long_text = _conditional(LongTextQuestionBlock, label="Long text")
    choice = _conditional(ChoiceQuestionBlock)
    date = _conditional(DateQuestionBlock)
    address = _conditional(AddressQuestionBlock)
    file = _conditional(FileQuestionBlock)
    number = _conditional(NumberQuestionBlock)
    email = _conditional(EmailQuestionBlock)
    phone = _conditional(PhoneQuestionBlock, label="UK telephone number")
    postcode = _conditional(PostcodeQuestionBlock, label="UK postcode")
    yes_no = _conditional(YesNoQuestionBlock)
    select = _conditional(SelectQuestionBlock)
    vehicle_registration = _conditional(VehicleRegistrationQuestionBlock)
    ni_number = _conditional(NationalInsuranceQuestionBlock)
    council_tax_account = _conditional(CouncilTaxAccountQuestionBlock)
    add_another = _conditional(AddAnotherQuestionBlock)
    # Payment and booking steps (services.blocks.pay_steps): the charge is taken
    # on GOV.UK Pay after "check your answers", the place is held meanwhile.
    payment = _conditional(PaymentStepBlock)
    booking = _conditional(BookingStepBlock)
