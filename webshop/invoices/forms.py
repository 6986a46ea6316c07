"""Forms of the invoice pages: accept or dispute a deviation, and the municipality's tolerances."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from webshop.params import FiniteDecimalField


class DecisionForm(FlaskForm):
    invoice_id = IntegerField(validators=[InputRequired()])
    decision = RadioField(_l("Vurdering"), validators=[InputRequired()],
                          choices=[SelectChoice("accept", _l("Godta avviket")),
                                   SelectChoice("dispute", _l("Bestrid fakturaen"))])
    reason = TextAreaField(_l("Begrunnelse"), validators=[InputRequired(), Length(max=1000)])


class ToleranceForm(FlaskForm):
    quantity = FiniteDecimalField(_l("Antall over mottatt (enheter)"), places=3,
                                  validators=[InputRequired(), NumberRange(min=0, max=1000)])
    price = FiniteDecimalField(_l("Pris over eller under avtalt pris (kroner per enhet)"), places=2,
                               validators=[InputRequired(), NumberRange(min=0, max=100000)])
    three_way = BooleanField(_l("Treveis: kontroller mot varemottaket"))
