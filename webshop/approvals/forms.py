"""Forms of the approval workflow: decide on an order, bulk approve, name a deputy."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from webshop.params import FiniteDecimalField
from webshop.textsafety import SafeText


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Kommentar (må fylles ut ved avvisning eller retur)"),
                            validators=[Optional(), Length(max=1000), SafeText(multiline=True)])
    approve = SubmitField(_l("Godkjenn"))
    reject = SubmitField(_l("Avvis"))
    return_order = SubmitField(_l("Send tilbake for endring"))


class BulkApproveForm(FlaskForm):
    """Only the CSRF token; the order ids come as a list of checkboxes named ``order_id``."""


class InboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    enhet = SelectField(_l("Enhet"), coerce=int, validators=[Optional()])
    type = SelectField(_l("Type"), choices=[SelectChoice("", _l("Alle ordrer")),
                                            SelectChoice("katalog", _l("Bare katalogordrer"))],
                       validators=[Optional()])
    fra_belop = FiniteDecimalField(_l("Fra beløp (kr)"), places=2, validators=[
        Optional(), NumberRange(min=0, max=100_000_000, message=_l("Beløpet må være 0 eller mer."))])


class SubstituteForm(FlaskForm):
    deputy_id = SelectField(_l("Stedfortreder"), coerce=int, validators=[InputRequired(_l("Velg stedfortreder."))])
    starts_on = DateField(_l("Fra og med"), validators=[InputRequired(_l("Skriv inn startdato."))])
    ends_on = DateField(_l("Til og med"), validators=[InputRequired(_l("Skriv inn sluttdato."))])
