"""The search form: validated on the server like every other form."""

from django import forms

from frontend.forms import GovUKForm
from search.analysis import MAX_QUERY_LENGTH, clean_query
from search.queries import KINDS, MAX_PAGE


class SearchForm(GovUKForm):
    """The query, validated; the filters come from ``filters()``."""

    q = forms.CharField(
        label="Search this site",
        strip=True,
        error_messages={"required": "Enter a word or phrase to search for"},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "spellcheck": "false",
                "data-suggest-url": "/search/suggest/",
            }
        ),
    )

    def __init__(self, data=None, **kwargs):
        self.was_shortened = False
        if data is not None:
            # Control characters (NUL included) and excess length are cleaned away
            # before validation: the resident gets results for the rest.
            raw = data.get("q", "")
            data = data.copy()
            data["q"] = clean_query(raw)
            self.was_shortened = len(" ".join(raw.split())) > MAX_QUERY_LENGTH
        super().__init__(data, auto_id="search-%s", **kwargs)

    def clean_q(self):
        query = clean_query(self.cleaned_data["q"])
        if not any(ch.isalnum() for ch in query):
            raise forms.ValidationError(
                "Enter a word or phrase to search for, using letters or numbers",
                code="no_words",
            )
        return query

    def filters(self) -> dict:
        """Section, type and page from the filter and pagination links: the valid
        ones, ignoring any that are not (they are links, not something typed)."""
        values = {}
        for name, field in FILTER_FIELDS.items():
            try:
                values[name] = field.clean(self.data.get(name))
            except forms.ValidationError:
                values[name] = None
        return {
            "section": values["section"] or "",
            "kind": values["type"] or "",
            "page": values["page"] or 1,
        }


FILTER_FIELDS = {
    "section": forms.SlugField(required=False),
    "type": forms.ChoiceField(
        required=False,
        choices=[("", "All")] + [(k, label) for k, (label, _m) in KINDS.items()],
    ),
    "page": forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE),
}
