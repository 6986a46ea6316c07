"""The one exception type the ehf library raises for bad input."""


class EhfError(ValueError):
    """Raised for any input the library cannot accept: malformed XML, hostile
    constructs (DTDs, entities), oversize documents, wrong document type, or
    values that do not fit the model. The message is safe to show to a user."""
