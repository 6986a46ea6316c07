"""The trainer's forms: a course (two conditions side by side) and an exercise of their own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webshop.forms import quantity_field
from webshop.lab import exercises
from webshop.lab.courses import MAX_PARTICIPANTS
from webshop.params import FiniteDecimalField
from webshop.textsafety import SafeText

CATALOGUE_CHOICES = [SelectChoice("curated", _l("Kuratert: innkjøpers navn og synonymer")),
                     SelectChoice("raw", _l("Rå: leverandørens egne navn, ingen synonymer"))]
RANGE_CHOICES = [SelectChoice("full", _l("Hele sortimentet")), SelectChoice("limited", _l("Begrenset sortiment"))]
ORDERING_CHOICES = [SelectChoice("everyone", _l("Alle bestiller")),
                    SelectChoice("designated", _l("Noen få utpekte bestillere"))]
BEHAVIOUR_CHOICES = [SelectChoice("", _l("Som leverandøren er satt opp")), SelectChoice("accept", _l("Godtar alt")),
                     SelectChoice("partial", _l("Delvis: to linjer utsolgt")), SelectChoice("reject", _l("Avviser")),
                     SelectChoice("change", _l("Endrer antall eller pris")), SelectChoice("silent", _l("Svarer aldri"))]
UNIT_CHOICES = [SelectChoice("", _l("Hvilken som helst")), SelectChoice("EA", _l("stk")),
                SelectChoice("XPK", _l("pakke")), SelectChoice("XBX", _l("eske")), SelectChoice("KGM", _l("kg")),
                SelectChoice("LTR", _l("liter"))]
CHECK_CHOICES = [SelectChoice(exercises.ORDER_ITEMS, _l("Bestilt varen (navnet inneholder teksten)")),
                 SelectChoice(exercises.ORDER_ITEM_NUMBER, _l("Bestilt varen med dette varenummeret")),
                 SelectChoice(exercises.OVER_LIMIT, _l("Sendt en bestilling over grensen (beløp i kr)")),
                 SelectChoice(exercises.CANT_FIND, _l("Bestilt som fritekst eller meldt inn som ønsket vare"))]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _money(label: str) -> FiniteDecimalField:
    return FiniteDecimalField(label, places=2, validators=[
        Optional(), NumberRange(min=0, max=10_000_000, message=_l("Beløpet må være mellom 0 og 10 000 000 kr."))])


class CourseForm(FlaskForm):
    name = StringField(_l("Kursets navn"), validators=[InputRequired(_l("Gi kurset et navn.")), Length(max=200),
                                                       SafeText()])
    held_on = DateField(_l("Dato"), validators=[InputRequired(_l("Skriv inn datoen."))])
    template_key = SelectField(_l("Øvingskommunene er kopier av"), choices=[
        SelectChoice("demo", _l("Demokommunen (Fjellbygd)")), SelectChoice("own", _l("Din egen kommune"))],
        default="demo")
    design = SelectField(_l("Oppsett"), choices=[
        SelectChoice("between", _l("Hver deltaker får én betingelse (tilfeldig og jevnt fordelt)")),
        SelectChoice("within", _l("Alle prøver begge betingelsene (rekkefølgen balansert)"))], default="between")
    participants = IntegerField(_l("Antall deltakere (P01, P02, …)"), default=6, validators=[
        InputRequired(_l("Skriv inn antall deltakere.")),
        NumberRange(min=0, max=MAX_PARTICIPANTS, message=_l("Mellom 0 og %(max)s.", max=MAX_PARTICIPANTS))])
    invite = TextAreaField(_l("Eller inviter kjente brukere: én e-postadresse per linje"),
                           validators=[Optional(), Length(max=5000)])
    exercise_keys = CheckboxesField(_l("Oppgaver"), default=["finn-sukker", "tre-varer"])
    a_name = StringField(_l("Navn"), default=_l("Kuratert katalog"),
                         validators=[InputRequired(_l("Gi betingelse A et navn.")), Length(max=200), SafeText()])
    a_catalogue = SelectField(_l("Katalog"), choices=CATALOGUE_CHOICES, default="curated")
    a_range = SelectField(_l("Sortiment"), choices=RANGE_CHOICES, default="full")
    a_ordering = SelectField(_l("Bestillerrett"), choices=ORDERING_CHOICES, default="everyone")
    a_auto = _money(_l("Godkjennes automatisk under (kr, tom = som kommunen)"))
    a_supplier = SelectField(_l("Leverandøren svarer"), choices=BEHAVIOUR_CHOICES, default="")
    b_name = StringField(_l("Navn (tom = bare én betingelse)"), default=_l("Leverandørens katalog"),
                         validators=[Optional(), Length(max=200), SafeText()])
    b_catalogue = SelectField(_l("Katalog"), choices=CATALOGUE_CHOICES, default="raw")
    b_range = SelectField(_l("Sortiment"), choices=RANGE_CHOICES, default="full")
    b_ordering = SelectField(_l("Bestillerrett"), choices=ORDERING_CHOICES, default="everyone")
    b_auto = _money(_l("Godkjennes automatisk under (kr, tom = som kommunen)"))
    b_supplier = SelectField(_l("Leverandøren svarer"), choices=BEHAVIOUR_CHOICES, default="")


class ExerciseForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[InputRequired(_l("Gi oppgaven en tittel.")), Length(max=200),
                                                  SafeText()])
    find = StringField(_l("Hva skal deltakeren finne? (et ord fra varens navn, et varenummer eller et beløp)"),
                       validators=[Optional(), Length(max=100), SafeText()])
    quantity = quantity_field()
    unit_code = SelectField(_l("Enhet"), choices=UNIT_CHOICES, default="")
    check_kind = SelectField(_l("Slik sjekkes det at oppgaven er løst"), choices=CHECK_CHOICES)
    instructions = TextAreaField(_l("Instruksjon til deltakeren (tom = lages av feltene over)"),
                                 validators=[Optional(), Length(max=2000), SafeText(multiline=True)])
    time_limit_minutes = IntegerField(_l("Tidsgrense (minutter)"), default=5, validators=[
        InputRequired(_l("Skriv inn en tidsgrense.")), NumberRange(min=1, max=60, message=_l("Mellom 1 og 60."))])
    phone_seconds = IntegerField(_l("Så lang tid tar det på telefon (sekunder)"), default=60, validators=[
        InputRequired(_l("Skriv inn tiden på telefon.")),
        NumberRange(min=1, max=3600, message=_l("Mellom 1 og 3600."))])
