from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webshop.forms import quantity_field
from webshop.params import MAX_DB_INT, MAX_PAGE, MAX_PRICE, FiniteDecimalField


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Søk i katalogen"), validators=[Optional(), Length(max=200)])
    side = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)], default=1)
    leverandor = IntegerField(_l("Leverandør"), validators=[Optional(), NumberRange(min=1, max=MAX_DB_INT)])
    kategori = StringField(_l("Kategori"), validators=[Optional(), Length(min=2, max=4)])
    miljo = BooleanField(_l("Bare miljømerkede varer"))
    # Bounded above: an unbounded Decimal such as 1e999990 would be formatted to a million digits.
    fra = FiniteDecimalField(_l("Pris fra"), places=None, validators=[Optional(), NumberRange(
        min=0, max=MAX_PRICE, message=_l("Pris: skriv et tall fra 0 til %(max)s kr.", max=MAX_PRICE))])
    til = FiniteDecimalField(_l("Pris til"), places=None, validators=[Optional(), NumberRange(
        min=0, max=MAX_PRICE, message=_l("Pris: skriv et tall fra 0 til %(max)s kr.", max=MAX_PRICE))])


class AddToCartForm(FlaskForm):
    item_id = HiddenField(validators=[DataRequired()])
    quantity = quantity_field()


class FavouriteForm(FlaskForm):
    item_id = HiddenField(validators=[DataRequired()])


class ItemRequestForm(FlaskForm):
    query = StringField(_l("Hva søkte du etter?"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Beskriv varen"), validators=[DataRequired(_l("Beskriv varen du ikke fant.")),
                                                                 Length(max=2000)])


class TemplateForm(FlaskForm):
    name = StringField(_l("Navn på malen"), validators=[DataRequired(_l("Gi malen et navn.")), Length(max=100)])


class CurateForm(FlaskForm):
    name = StringField(_l("Visningsnavn (tomt: leverandørens navn)"), validators=[Optional(), Length(max=300)])
    extra_keywords = StringField(_l("Ekstra søkeord"), validators=[Optional(), Length(max=500)])
    hidden = BooleanField(_l("Skjul varen for bestillere"))


class SynonymForm(FlaskForm):
    terms = StringField(_l("Ord som betyr det samme, skilt med komma"),
                        validators=[DataRequired(_l("Skriv minst to ord, skilt med komma.")), Length(max=500)])


class ImportForm(FlaskForm):
    agreement_id = SelectField(_l("Avtale"), coerce=int, validators=[DataRequired(_l("Velg en avtale."))])
    file = FileField(_l("Katalogfil (CSV eller EHF-katalog XML)"),
                     validators=[FileRequired(_l("Velg en fil.")), FileAllowed(["csv", "txt", "xml"],
                                                                               _l("Filen må være CSV eller XML."))])
