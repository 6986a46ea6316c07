from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webshop.forms import quantity_field
from webshop.params import FiniteDecimalField
from webshop.textsafety import SafeText

UNIT_CHOICES = [SelectChoice(code, label) for code, label in (
    ("EA", _l("stk")), ("XPK", _l("pakke")), ("XBX", _l("eske")), ("KGM", _l("kg")),
    ("LTR", _l("liter")), ("SET", _l("sett")), ("HUR", _l("time")))]


class QuantityForm(FlaskForm):
    quantity = quantity_field()


class FreeTextForm(FlaskForm):
    supplier_id = SelectField(_l("Leverandør"), coerce=int, validators=[InputRequired(_l("Velg leverandør."))])
    description = StringField(_l("Hva trenger du?"), validators=[
        DataRequired(_l("Beskriv varen eller tjenesten.")), Length(max=300), SafeText()])
    quantity = quantity_field()
    unit_code = SelectField(_l("Enhet"), choices=UNIT_CHOICES)
    estimated_price = FiniteDecimalField(_l("Antatt pris per enhet, eks. mva. (kr)"), places=2, validators=[
        InputRequired(_l("Skriv inn en antatt pris (0 hvis du ikke vet).")),
        NumberRange(min=0, max=1_000_000, message=_l("Prisen må være mellom 0 og 1 000 000 kr."))])


class SubmitCartForm(FlaskForm):
    unit_id = SelectField(_l("Leveres til enhet"), coerce=int, validators=[InputRequired(_l("Velg enhet."))])
    buyer_reference = StringField(_l("Deres referanse / ansvarsnummer"), validators=[Optional(), Length(max=100),
                                                                                        SafeText()])
    note = TextAreaField(_l("Melding til leverandør"),
                         validators=[Optional(), Length(max=1000), SafeText(multiline=True)])
