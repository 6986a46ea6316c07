from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webshop.forms import quantity_field


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Søk i katalogen"), validators=[Optional(), Length(max=200)])
    side = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)], default=1)
    leverandor = IntegerField(_l("Leverandør"), validators=[Optional()])
    kategori = StringField(_l("Kategori"), validators=[Optional(), Length(min=2, max=4)])
    miljo = BooleanField(_l("Bare miljømerkede varer"))
    fra = DecimalField(_l("Pris fra"), places=None, validators=[Optional(), NumberRange(min=0)])
    til = DecimalField(_l("Pris til"), places=None, validators=[Optional(), NumberRange(min=0)])


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
