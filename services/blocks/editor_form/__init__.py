"""The editor-built form service (journey 3), split by concern:

``fields`` (form fields and the address form), ``questions`` and
``format_questions`` (question blocks), ``repeating`` ("add another"),
``branching`` (conditions and the route), ``versions`` (in-flight journeys keep
their version), ``stream`` (what an editor may place) and ``block`` (the
``EditorFormBlock`` journey). Names are re-exported so imports never change.
"""

from services.blocks.editor_form.block import (  # noqa: F401
    EditorFormBlock,
    question_form_class,
    step_name,
)
from services.blocks.editor_form.fields import (  # noqa: F401
    AddressForm,
    DateInputWidget,
    GovUKDateField,
    GovUKNumberField,
    address_from_profile,
    format_address,
)
from services.blocks.editor_form.questions import (  # noqa: F401
    DJANGO_REQUIRED,
    NOT_GIVEN,
    AddressQuestionBlock,
    ChoiceQuestionBlock,
    DateQuestionBlock,
    FileQuestionBlock,
    LongTextQuestionBlock,
    QuestionBlock,
    TextQuestionBlock,
)
from services.blocks.editor_form.stream import QuestionStreamBlock  # noqa: F401
