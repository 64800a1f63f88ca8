from .editor_form import EditorFormBlock  # noqa: F401
from .missed_bin import MissedBinBlock  # noqa: F401
from .street_problem import StreetProblemBlock  # noqa: F401
from .transactions import TransactionBlock, TransactionPageMixin  # noqa: F401
