"""Forms of the leader's view: spend import, cost-centre mapping, target and unit goals, proposal."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webshop.params import MAX_PRICE, FiniteDecimalField


class SpendImportForm(FlaskForm):
    file = FileField(_l("Regnskapsfil (CSV)"), validators=[
        FileRequired(_l("Velg en fil.")), FileAllowed(["csv", "txt"], _l("Filen må være CSV."))])


class CostCentreForm(FlaskForm):
    code = StringField(_l("Koststed i regnskapet"), validators=[DataRequired(_l("Skriv koststedet.")), Length(max=40)])
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[DataRequired(_l("Velg en enhet."))])


class SettingsForm(FlaskForm):
    target_percent = FiniteDecimalField(_l("Kommunens mål: andel av forbruket gjennom e-handel (%)"), places=2,
                                        validators=[InputRequired(_l("Skriv inn et mål.")),
                                                    NumberRange(min=0.01, max=100, message=_l("Velg 0–100 %%."))])
    large_order_limit = FiniteDecimalField(_l("Store engangsordrer fra (kr, eks. mva.)"), places=2,
                                           validators=[InputRequired(_l("Skriv inn en grense.")),
                                                       NumberRange(min=1, max=MAX_PRICE, message=_l(
                                                           "Grensen må være mellom 1 kr og 100 000 000 kr."))])


class UnitGoalForm(FlaskForm):
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[DataRequired(_l("Velg en enhet."))])
    target_percent = FiniteDecimalField(_l("Enhetens mål (%), tomt for kommunens mål"), places=2,
                                        validators=[Optional(), NumberRange(min=0.01, max=100,
                                                                            message=_l("Velg 0–100 %%."))])


class ProposalForm(FlaskForm):
    class Meta:
        csrf = False

    enhet = IntegerField(_l("Enhet"), validators=[InputRequired()])
    antall = IntegerField(_l("Antall bestillere i forslaget"), validators=[
        InputRequired(_l("Skriv inn et antall.")), NumberRange(min=1, max=100, message=_l("Velg 1–100."))])
