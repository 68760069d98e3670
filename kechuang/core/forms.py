"""Form helpers: Tabler/Bootstrap classes on every widget."""

from django import forms


def style_widgets(form) -> None:
    """Add the theme's classes to every widget of a form (also forms we do not own)."""
    for name, field in form.fields.items():
        widget = field.widget
        css = (
            "form-select"
            if isinstance(widget, forms.Select)
            else ("form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control")
        )
        # Read errors only if validation already ran: touching `form.errors` here would
        # validate before a subclass had a chance to set up its fields (e.g. dynamic choices).
        if form.is_bound and form._errors and name in form._errors:
            css += " is-invalid"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class StyledFormMixin:
    """Adds the theme's CSS classes to every widget (and `is-invalid` after a failed submit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
